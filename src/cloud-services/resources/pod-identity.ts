/**
 * EKS Pod Identity: the agent's ServiceAccount is associated with its role in EKS, and the Pod
 * Identity agent on each node hands the pods that role's credentials. The agent must run in the
 * cluster for that: the EKS add-on, or EKS Auto Mode, which has it built in.
 */
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
  type Cluster,
  type EKSClient
} from '@aws-sdk/client-eks'
import { errorCode, explainAwsFailure } from '../../aws/errors.js'
import { ActionError } from '../../errors.js'

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

export interface ObservedAssociation {
  associationId: string
  roleArn?: string
}

/** The association of the agent's ServiceAccount, if any (one per ServiceAccount). */
export async function findPodIdentityAssociation(
  eks: EKSClient,
  target: Omit<PodIdentityTarget, 'roleArn'>
): Promise<ObservedAssociation | undefined> {
  try {
    return await findAssociation(eks, target)
  } catch (error) {
    throw explainAwsFailure(error, describeTarget(target))
  }
}

const describeTarget = (target: Omit<PodIdentityTarget, 'roleArn'>) =>
  `the Pod Identity association of ${target.namespace}/${target.serviceAccount}`

/**
 * The ServiceAccount associated with the role: created, pointed at the role, or left as it is,
 * as observed. A racing run that associated it after the observation is settled instead.
 */
export async function applyPodIdentityAssociation(
  eks: EKSClient,
  target: PodIdentityTarget,
  observed: ObservedAssociation | undefined,
  requestToken: string
): Promise<{ associationId: string; status: 'created' | 'updated' | 'unchanged' }> {
  const what = describeTarget(target)
  try {
    if (!observed) {
      try {
        const created = await eks.send(
          new CreatePodIdentityAssociationCommand({ ...target, clientRequestToken: requestToken })
        )
        return { associationId: created.association?.associationId ?? '', status: 'created' }
      } catch (error) {
        if (errorCode(error) !== 'ResourceInUseException') throw error
      }
    }
    const association = observed ?? (await findAssociation(eks, target))
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

/** Deletes the association; `absent` when it is gone already. */
export async function deletePodIdentityAssociation(
  eks: EKSClient,
  clusterName: string,
  associationId: string
): Promise<'deleted' | 'absent'> {
  try {
    await eks.send(new DeletePodIdentityAssociationCommand({ clusterName, associationId }))
    return 'deleted'
  } catch (error) {
    if (errorCode(error) === 'ResourceNotFoundException') return 'absent'
    throw explainAwsFailure(error, `Pod Identity association ${associationId}`)
  }
}

async function findAssociation(
  eks: EKSClient,
  target: Omit<PodIdentityTarget, 'roleArn'>
): Promise<ObservedAssociation | undefined> {
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
