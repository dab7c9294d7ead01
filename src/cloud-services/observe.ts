/**
 * What exists of the agent's cloud-services identity in this cluster's account, read at once
 * and without a change: the workflow's account, the readable log groups, and per mode the OIDC
 * provider (irsa), the Pod Identity association (pod-identity), the user's keys (access-key), and
 * the cluster's own role or user.
 */
import type { Cluster } from '@aws-sdk/client-eks'
import type { AccessKeyMetadata } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import type { EksConfig, Mode } from '../inputs.js'
import {
  AGENT_ROLE,
  AGENT_USER,
  agentIdentityName,
  findAgentIdentity,
  type IdentityKind,
  type ObservedIdentity
} from './agent-identity.js'
import type { CloudClients } from './clients.js'
import { listAgentKeys } from './resources/access-key.js'
import { listLogGroupNames } from './resources/log-groups.js'
import { findOidcProvider, type ObservedProvider } from './resources/oidc-provider.js'
import {
  checkPodIdentityAgent,
  findPodIdentityAssociation,
  type ObservedAssociation
} from './resources/pod-identity.js'

export interface CloudObservation {
  accountId: string
  partition: string
  /** What the agent will be able to read; not read by remove. */
  logGroups?: string[]
  kind: IdentityKind
  /** This cluster's agent role or user, by the name only it has. */
  identityName: string
  identity?: ObservedIdentity
  /** irsa. */
  provider?: ObservedProvider
  /** pod-identity: the cluster's ARN, which the role's trust names. */
  clusterArn?: string
  /** pod-identity: the association of the agent's ServiceAccount, when there is one. */
  association?: ObservedAssociation
  /** access-key: the keys of the cluster's user. */
  keys: AccessKeyMetadata[]
}

export async function observeCloudServices(
  clients: CloudClients,
  config: EksConfig,
  mode: Mode,
  serviceAccount: string,
  cluster: () => Promise<Cluster>
): Promise<CloudObservation> {
  const auth = config.cloudServicesAuth
  const kind = auth === 'access-key' ? AGENT_USER : AGENT_ROLE
  const identityName = agentIdentityName(config.agentName, config.clusterName, config.region)
  const target = { clusterName: config.clusterName, namespace: config.namespace, serviceAccount }
  const [caller, logGroups, described, identity, keys, association] = await Promise.all([
    clients.sts.send(new GetCallerIdentityCommand({})).catch(error => {
      throw explainAwsFailure(error, 'the workflow identity')
    }),
    mode === 'remove' ? undefined : listLogGroupNames(clients.logs),
    auth === 'access-key' ? undefined : cluster(),
    findAgentIdentity(clients.iam, kind, identityName),
    auth === 'access-key' ? listAgentKeys(clients.iam, identityName) : [],
    auth === 'pod-identity' ? findPodIdentityAssociation(clients.eks, target) : undefined
  ])
  const accountId = caller.Account ?? ''
  const partition = caller.Arn?.split(':')[1] ?? 'aws'
  // Removing needs no agent in the cluster to hand out credentials.
  if (described && auth === 'pod-identity' && mode !== 'remove') {
    await checkPodIdentityAgent(clients.eks, described, config.region)
  }
  const provider =
    described && auth === 'irsa'
      ? await findOidcProvider(clients.iam, clusterIssuer(described), accountId, partition)
      : undefined
  return {
    accountId,
    partition,
    logGroups,
    kind,
    identityName,
    identity,
    provider,
    clusterArn: described?.arn,
    association,
    keys
  }
}

/** The cluster's OIDC issuer, which IAM must trust for the agent's tokens. */
function clusterIssuer(cluster: Cluster): string {
  const issuer = cluster.identity?.oidc?.issuer
  if (!issuer) {
    throw new ActionError(
      `EKS cluster '${cluster.name}' has no OIDC issuer, which cloud-services-auth: irsa needs. ` +
        'Every EKS cluster has one; check that cluster and aws-region name an EKS cluster.'
    )
  }
  return issuer
}
