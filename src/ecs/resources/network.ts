/**
 * Where the agent task runs: the VPC's subnets (or the given ones, checked to be in the VPC) and a
 * security group, the agent's own unless the user names groups.
 */
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  paginateDescribeSubnets,
  type EC2Client,
  type Subnet
} from '@aws-sdk/client-ec2'
import { ActionError } from '../../errors.js'
import { errorCode } from '../../aws/errors.js'
import {
  MANAGED_BY,
  MANAGED_BY_TAG,
  MAX_TASK_SUBNETS,
  type AssignPublicIp,
  type EcsConfig
} from '../../inputs.js'

export interface Subnets {
  ids: string[]
  /** True when any chosen subnet gives instances a public IP: such a subnet usually has no NAT. */
  mapsPublicIp: boolean
  /** How many subnets the VPC or the input offered: more than `ids` when some were left out. */
  offered: number
}

export async function findSubnets(ec2: EC2Client, config: EcsConfig): Promise<Subnets> {
  const offered = config.subnetIds
    ? await describeGivenSubnets(ec2, config)
    : await describeVpcSubnets(ec2, config)
  const chosen = chooseSubnets(offered, config.region, config.assignPublicIp)
  return {
    ids: chosen.map(subnet => subnet.SubnetId ?? '').sort(),
    mapsPublicIp: chosen.some(subnet => subnet.MapPublicIpOnLaunch === true),
    offered: offered.length
  }
}

/**
 * The subnets to hand RunTask. Up to 16, all of them. Beyond that, 16 chosen by a rule that gives
 * the same answer on every run while the VPC stays the same:
 * 1. Only subnets Fargate can use, when there are any: available, in one of the region's
 *    Availability Zones (not a Local or Wavelength Zone), not on an Outpost.
 * 2. Of those, the ones that suit assign-public-ip, when there are any: subnets that map public
 *    IPs on launch for `true`; the others for `false` and `auto`, so the agent runs privately
 *    unless asked otherwise (a public subnet without a public IP has no way out).
 * 3. Spread across zones: one subnet per zone in turn, zones by name, and within a zone the
 *    largest IPv4 range first (the most addresses to start in), then the subnet ID.
 */
export function chooseSubnets(
  subnets: Subnet[],
  region: string,
  assignPublicIp: AssignPublicIp
): Subnet[] {
  if (subnets.length <= MAX_TASK_SUBNETS) return subnets
  const usable = preferWhereAny(subnets, subnet => fargateCanUse(subnet, region))
  const wantsPublic = assignPublicIp === 'enabled'
  const suited = preferWhereAny(
    usable,
    subnet => (subnet.MapPublicIpOnLaunch === true) === wantsPublic
  )
  return spreadAcrossZones(suited, MAX_TASK_SUBNETS)
}

function preferWhereAny(subnets: Subnet[], suits: (subnet: Subnet) => boolean): Subnet[] {
  const suiting = subnets.filter(suits)
  return suiting.length > 0 ? suiting : subnets
}

function fargateCanUse(subnet: Subnet, region: string): boolean {
  const zone = subnet.AvailabilityZone
  // A region's own zones are named after it with one letter more (us-east-1a); Local and
  // Wavelength Zones carry a longer suffix (us-west-2-lax-1a), where Fargate does not run.
  const regionalZone = zone === undefined || new RegExp(`^${region}[a-z]$`).test(zone)
  return (subnet.State ?? 'available') === 'available' && !subnet.OutpostArn && regionalZone
}

/** The first subnet of every zone, then the second of every zone, and so on. */
function spreadAcrossZones(subnets: Subnet[], limit: number): Subnet[] {
  const byZone = new Map<string, Subnet[]>()
  for (const subnet of subnets) {
    const zone = subnet.AvailabilityZone ?? subnet.AvailabilityZoneId ?? ''
    byZone.set(zone, [...(byZone.get(zone) ?? []), subnet])
  }
  const ranked = [...byZone.keys()].sort().flatMap((zone, zoneIndex) =>
    byZone
      .get(zone)!
      .sort(largestFirst)
      .map((subnet, turn) => ({ subnet, turn, zoneIndex }))
  )
  return ranked
    .sort((a, b) => a.turn - b.turn || a.zoneIndex - b.zoneIndex)
    .slice(0, limit)
    .map(({ subnet }) => subnet)
}

/** A /20 before a /24; a subnet with no IPv4 range (IPv6 only) last; then by ID. */
function largestFirst(a: Subnet, b: Subnet): number {
  const prefix = (subnet: Subnet) => Number(subnet.CidrBlock?.split('/')[1] ?? 33)
  const [idA, idB] = [a.SubnetId ?? '', b.SubnetId ?? '']
  return prefix(a) - prefix(b) || (idA < idB ? -1 : idA > idB ? 1 : 0)
}

async function describeVpcSubnets(ec2: EC2Client, config: EcsConfig): Promise<Subnet[]> {
  const subnets: Subnet[] = []
  const pages = paginateDescribeSubnets(
    { client: ec2 },
    { Filters: [{ Name: 'vpc-id', Values: [config.vpcId] }] }
  )
  for await (const page of pages) subnets.push(...(page.Subnets ?? []))
  if (subnets.length === 0) await failOnEmptyVpc(ec2, config)
  return subnets
}

/** No subnets: tell a missing VPC from an empty one, since the fixes differ. */
async function failOnEmptyVpc(ec2: EC2Client, config: EcsConfig): Promise<never> {
  try {
    await ec2.send(new DescribeVpcsCommand({ VpcIds: [config.vpcId] }))
  } catch (error) {
    if (errorCode(error) === 'InvalidVpcID.NotFound') {
      throw new ActionError(
        `VPC ${config.vpcId} not found in region ${config.region}. Check 'vpc-id' and 'aws-region'.`
      )
    }
    throw error
  }
  throw new ActionError(
    `VPC ${config.vpcId} in region ${config.region} has no subnets. Create subnets in it, or ` +
      `give 'subnet-ids'.`
  )
}

async function describeGivenSubnets(ec2: EC2Client, config: EcsConfig): Promise<Subnet[]> {
  let subnets: Subnet[]
  try {
    const answer = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: config.subnetIds }))
    subnets = answer.Subnets ?? []
  } catch (error) {
    if (errorCode(error) === 'InvalidSubnetID.NotFound') {
      throw new ActionError(
        `Input 'subnet-ids': ${(error as Error).message} (region ${config.region}). ` +
          `Give subnets of ${config.vpcId}.`
      )
    }
    throw error
  }
  const foreign = subnets.filter(subnet => subnet.VpcId !== config.vpcId)
  if (foreign.length > 0) {
    const list = foreign.map(subnet => `${subnet.SubnetId} (${subnet.VpcId})`).join(', ')
    throw new ActionError(
      `Input 'subnet-ids': ${list} not in ${config.vpcId}. Give subnets of that VPC.`
    )
  }
  return subnets
}

/** A group named like the agent, and whether it carries the action's tag. */
export interface AgentSecurityGroup {
  id: string
  /** Made by the action: only such a group may be deleted. Deploy reuses either kind. */
  owned: boolean
}

/** The agent's own group in the VPC, found by name; undefined when it does not exist yet. */
export async function findAgentSecurityGroup(
  ec2: EC2Client,
  config: Pick<EcsConfig, 'vpcId' | 'agentName'>
): Promise<AgentSecurityGroup | undefined> {
  const answer = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [config.vpcId] },
        { Name: 'group-name', Values: [config.agentName] }
      ]
    })
  )
  const group = answer.SecurityGroups?.[0]
  if (!group?.GroupId) return undefined
  const owned = (group.Tags ?? []).some(
    tag => tag.Key === MANAGED_BY_TAG && tag.Value === MANAGED_BY
  )
  return { id: group.GroupId, owned }
}

/** The user's groups must exist and belong to the VPC, or the task would fail to start later. */
export async function checkGivenSecurityGroups(
  ec2: EC2Client,
  config: EcsConfig,
  groupIds: string[]
): Promise<void> {
  try {
    const answer = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds }))
    const foreign = (answer.SecurityGroups ?? []).filter(group => group.VpcId !== config.vpcId)
    if (foreign.length > 0) {
      const list = foreign.map(group => `${group.GroupId} (${group.VpcId})`).join(', ')
      throw new ActionError(
        `Input 'security-group-ids': ${list} not in ${config.vpcId}. Give groups of that VPC.`
      )
    }
  } catch (error) {
    if (errorCode(error) === 'InvalidGroup.NotFound') {
      throw new ActionError(
        `Input 'security-group-ids': ${(error as Error).message} (region ${config.region}).`
      )
    }
    throw error
  }
}

/**
 * Creates the agent's group: no ingress (the agent only calls out) and the default egress rule.
 * A run racing this one may create it first; then the duplicate error is answered by reading it.
 */
export async function createAgentSecurityGroup(
  ec2: EC2Client,
  config: EcsConfig
): Promise<{ id: string; createdHere: boolean }> {
  try {
    const answer = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: config.agentName,
        Description: `CloudAEye metrics agent ${config.agentName}: outbound only`,
        VpcId: config.vpcId,
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: Object.entries(config.tags).map(([Key, Value]) => ({ Key, Value }))
          }
        ]
      })
    )
    if (!answer.GroupId) throw new ActionError('ec2:CreateSecurityGroup returned no GroupId.')
    return { id: answer.GroupId, createdHere: true }
  } catch (error) {
    if (errorCode(error) !== 'InvalidGroup.Duplicate') throw error
    const raced = await findAgentSecurityGroup(ec2, config)
    if (!raced) throw error
    return { id: raced.id, createdHere: false }
  }
}
