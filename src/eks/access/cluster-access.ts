/**
 * How helm and the rollout watch reach the cluster: the user's kubeconfig, or one built from
 * eks:DescribeCluster whose credential plugin is this action's own bundle, signing a fresh token
 * as `aws eks get-token` does whenever one is needed (no AWS CLI needed).
 */
import { access, constants } from 'node:fs/promises'
import { DescribeClusterCommand, EKSClient, type Cluster } from '@aws-sdk/client-eks'
import type { CallLog } from '../../aws/call-log.js'
import { clientConfig, instrument } from '../../aws/clients.js'
import { errorCode, explainAwsFailure } from '../../aws/errors.js'
import { ActionError } from '../../errors.js'
import type { EksConfig } from '../../inputs.js'
import { writeKubeconfig } from './kubeconfig.js'
import { execCredentialUser } from '../exec-credential.js'

export interface ClusterAccess {
  kubeconfigPath: string
  /** What to do when the cluster refuses the credentials. */
  refusedAdvice: string
  /** Removes what was written; safe to call twice. */
  remove(): Promise<void>
}

const ACCESS_ENTRY_ADVICE =
  "The cluster does not accept the workflow's AWS identity: give that IAM role an EKS access " +
  'entry (aws eks create-access-entry) with the Kubernetes group that ' +
  'permissions/eks-kubernetes-role.yaml binds, or an access policy such as ' +
  'AmazonEKSClusterAdminPolicy. See the README, "EKS cluster access".'

/**
 * The cluster as `eks:DescribeCluster` reports it, asked once per run: cluster access and the
 * cloud-services identity both read it, and the first to ask starts the one call.
 */
export function describedCluster(
  config: EksConfig,
  callLog: CallLog,
  signal: AbortSignal
): () => Promise<Cluster> {
  let answer: Promise<Cluster> | undefined
  return () => (answer ??= describeCluster(config, callLog, signal))
}

async function describeCluster(
  config: EksConfig,
  callLog: CallLog,
  signal: AbortSignal
): Promise<Cluster> {
  const eks = instrument(new EKSClient(clientConfig(config.region, signal)), 'eks', callLog)
  try {
    const answer = await eks
      .send(new DescribeClusterCommand({ name: config.clusterName }))
      .catch(error => {
        if (errorCode(error) === 'ResourceNotFoundException') {
          throw new ActionError(
            `EKS cluster '${config.clusterName}' not found in region ${config.region}. Check ` +
              `'cluster' and 'aws-region', and that the credentials are for the cluster's account.`
          )
        }
        throw explainAwsFailure(error, `EKS cluster ${config.clusterName}`)
      })
    if (!answer.cluster) {
      throw new ActionError(`EKS cluster '${config.clusterName}' was described as nothing.`)
    }
    return answer.cluster
  } finally {
    eks.destroy()
  }
}

export async function clusterAccess(
  config: EksConfig,
  cluster: () => Promise<Cluster>
): Promise<ClusterAccess> {
  if (config.kubeconfig) {
    await access(config.kubeconfig, constants.R_OK).catch(() => {
      throw new ActionError(`Input 'kubeconfig': cannot read '${config.kubeconfig}'.`)
    })
    return {
      kubeconfigPath: config.kubeconfig,
      refusedAdvice: "Check that the user in 'kubeconfig' may install the chart's resources.",
      remove: async () => undefined
    }
  }
  const described = await cluster()
  if (described.status && described.status !== 'ACTIVE') {
    throw new ActionError(
      `EKS cluster '${config.clusterName}' is ${described.status}; the agent can be installed ` +
        `once it is ACTIVE.`
    )
  }
  const kubeconfig = await writeKubeconfig({
    clusterName: config.clusterName,
    endpoint: described.endpoint ?? '',
    certificateAuthorityData: described.certificateAuthority?.data ?? '',
    user: execCredentialUser(config.clusterName, config.region)
  })
  return {
    kubeconfigPath: kubeconfig.path,
    refusedAdvice: ACCESS_ENTRY_ADVICE,
    remove: kubeconfig.remove
  }
}
