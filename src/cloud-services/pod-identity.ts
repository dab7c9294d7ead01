/**
 * EKS Pod Identity: the agent's ServiceAccount is associated with its role in EKS, and the Pod
 * Identity agent on each node hands the pods that role's credentials. The agent must run in the
 * cluster for that: the EKS add-on, or EKS Auto Mode, which has it built in.
 */
import {
  CreatePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
  type Cluster,
  type EKSClient
} from '@aws-sdk/client-eks'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'

export const POD_IDENTITY_ADDON = 'eks-pod-identity-agent'

/** Add-on states in which the agent runs or is about to. */
const WORKING_ADDON = new Set(['ACTIVE', 'CREATING', 'UPDATING', 'DEGRADED'])

/** Fails with the fix when nothing in the cluster would hand the pods their credentials. */
export async function checkPodIdentityAgent(
  eks: EKSClient,
  cluster: Cluster,
  region: string
): Promise<void> {
  if (cluster.computeConfig?.enabled) return
  const clusterName = cluster.name ?? ''
  let status: string | undefined
  try {
    const answer = await eks.send(
      new DescribeAddonCommand({ clusterName, addonName: POD_IDENTITY_ADDON })
    )
    status = answer.addon?.status ?? 'ACTIVE'
  } catch (error) {
    if (errorCode(error) !== 'ResourceNotFoundException') {
      throw explainAwsFailure(error, `add-on ${POD_IDENTITY_ADDON} of EKS cluster ${clusterName}`)
    }
  }
  if (status && WORKING_ADDON.has(status)) return
  throw new ActionError(
    `cloud-services-auth: pod-identity needs the EKS Pod Identity agent in cluster ` +
      `'${clusterName}', and its add-on ${POD_IDENTITY_ADDON} is ` +
      `${status ? status.toLowerCase().replace(/_/g, ' ') : 'not installed'}. Install it: aws eks ` +
      `create-addon --cluster-name ${clusterName} --addon-name ${POD_IDENTITY_ADDON} ` +
      `--region ${region}, or use cloud-services-auth: irsa, which needs no add-on.`
  )
}

export interface PodIdentityTarget {
  clusterName: string
  namespace: string
  serviceAccount: string
  roleArn: string
}

/** The ServiceAccount associated with the role: created, pointed at the role, or left as it is. */
export async function ensurePodIdentityAssociation(
  eks: EKSClient,
  target: PodIdentityTarget,
  requestToken: string
): Promise<{ associationId: string; status: 'created' | 'updated' | 'unchanged' }> {
  const what = `the Pod Identity association of ${target.namespace}/${target.serviceAccount}`
  try {
    const existing = await findAssociation(eks, target)
    if (!existing) {
      try {
        const created = await eks.send(
          new CreatePodIdentityAssociationCommand({ ...target, clientRequestToken: requestToken })
        )
        return { associationId: created.association?.associationId ?? '', status: 'created' }
      } catch (error) {
        // A racing run associated the ServiceAccount first: settle theirs.
        if (errorCode(error) !== 'ResourceInUseException') throw error
      }
    }
    const association = existing ?? (await findAssociation(eks, target))
    if (!association) throw new ActionError(`${what} vanished while it was being created.`)
    if (association.roleArn === target.roleArn) {
      return { associationId: association.associationId, status: 'unchanged' }
    }
    await eks.send(
      new UpdatePodIdentityAssociationCommand({
        clusterName: target.clusterName,
        associationId: association.associationId,
        roleArn: target.roleArn
      })
    )
    return { associationId: association.associationId, status: 'updated' }
  } catch (error) {
    throw explainAwsFailure(error, what)
  }
}

async function findAssociation(eks: EKSClient, target: PodIdentityTarget) {
  const { clusterName, namespace, serviceAccount } = target
  const listed = await eks.send(
    new ListPodIdentityAssociationsCommand({ clusterName, namespace, serviceAccount })
  )
  const associationId = listed.associations?.[0]?.associationId
  if (!associationId) return undefined
  const described = await eks.send(
    new DescribePodIdentityAssociationCommand({ clusterName, associationId })
  )
  return { associationId, roleArn: described.association?.roleArn }
}
