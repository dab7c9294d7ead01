/**
 * Deleting the agent's own security group. AWS refuses while any network interface uses it, and a
 * Fargate task's interface outlives the task by a while after it stops, so deletion first asks
 * which interfaces still use the group.
 */
import {
  DeleteSecurityGroupCommand,
  paginateDescribeNetworkInterfaces,
  type EC2Client
} from '@aws-sdk/client-ec2'
import { errorCode } from '../../aws/errors.js'

/** The IDs of the network interfaces that use the group, attached or not. */
export async function interfacesUsing(ec2: EC2Client, groupId: string): Promise<string[]> {
  const ids: string[] = []
  const pages = paginateDescribeNetworkInterfaces(
    { client: ec2 },
    { Filters: [{ Name: 'group-id', Values: [groupId] }] }
  )
  for await (const page of pages) {
    for (const eni of page.NetworkInterfaces ?? []) ids.push(eni.NetworkInterfaceId ?? '')
  }
  return ids.sort()
}

/**
 * `in use` when AWS refuses for a dependent object (an interface that appeared since it was
 * asked); `absent` when a racing run deleted it first.
 */
export async function deleteSecurityGroup(
  ec2: EC2Client,
  groupId: string
): Promise<'deleted' | 'absent' | 'in use'> {
  try {
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))
    return 'deleted'
  } catch (error) {
    const code = errorCode(error)
    if (code === 'InvalidGroup.NotFound') return 'absent'
    if (code === 'DependencyViolation') return 'in use'
    throw error
  }
}
