/**
 * Who may become the agent: the trust policies of the roles the action makes for it.
 */
import { IRSA_AUDIENCE } from './names.js'
import type { SettledProvider } from './resources/oidc-provider.js'

/**
 * irsa: the cluster's OIDC provider may hand the role to exactly one ServiceAccount's tokens,
 * issued for STS. Nothing else in the cluster, and no other cluster, can become the agent.
 */
export function irsaTrust(
  provider: Pick<SettledProvider, 'arn' | 'issuerHost'>,
  namespace: string,
  serviceAccount: string
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TheAgentServiceAccountOfOneCluster',
        Effect: 'Allow',
        Principal: { Federated: provider.arn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${provider.issuerHost}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${provider.issuerHost}:aud`]: IRSA_AUDIENCE
          }
        }
      }
    ]
  }
}

/**
 * ECS: the agent's task role, assumable by ECS tasks on behalf of this account in this region only
 * (aws:SourceAccount and aws:SourceArn, as AWS advises against the confused deputy).
 */
export function ecsTaskTrust(
  accountId: string,
  partition: string,
  region: string
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EcsTasksOfThisAccountAndRegion',
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:ecs:${region}:${accountId}:*` }
        }
      }
    ]
  }
}

/**
 * EKS Pod Identity: EKS assumes the role for pods, tagging the session with the pod's cluster,
 * namespace and ServiceAccount; only the agent's ServiceAccount of this cluster matches.
 */
export function podIdentityTrust(
  accountId: string,
  clusterArn: string,
  namespace: string,
  serviceAccount: string
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TheAgentServiceAccountOfOneCluster',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': accountId,
            'aws:RequestTag/eks-cluster-arn': clusterArn,
            'aws:RequestTag/kubernetes-namespace': namespace,
            'aws:RequestTag/kubernetes-service-account': serviceAccount
          }
        }
      }
    ]
  }
}
