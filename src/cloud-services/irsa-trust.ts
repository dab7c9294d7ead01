/**
 * The trust policy of an irsa role: the cluster's OIDC provider may hand the role to exactly one
 * ServiceAccount's tokens, issued for STS. Nothing else in the cluster, and no other cluster,
 * can become the agent.
 */
import { IRSA_AUDIENCE } from './names.js'
import type { SettledProvider } from './oidc-provider.js'

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
