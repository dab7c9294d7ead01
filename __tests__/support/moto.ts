/** Talks to the emulator started by the global set-up: reset, state transitions, fixtures. */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyVpcAttributeCommand
} from '@aws-sdk/client-ec2'
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs'

export const REGION = 'us-east-1'

export function motoUrl(): string {
  const url = process.env.MOTO_URL
  if (!url) throw new Error('MOTO_URL is not set: the jest global set-up starts moto')
  return url
}

/** The environment the SDK needs to talk to the emulator with dummy keys. */
export function motoEnvironment(url = motoUrl()): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION
  }
}

export function useMotoEnvironment(): void {
  Object.assign(process.env, motoEnvironment())
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
}

async function motoApi(path: string, init?: RequestInit, url = motoUrl()): Promise<void> {
  const response = await fetch(`${url}${path}`, { method: 'POST', ...init })
  if (!response.ok) throw new Error(`moto ${path}: HTTP ${response.status}`)
}

export async function resetMoto(url = motoUrl()): Promise<void> {
  await motoApi('/moto-api/reset', undefined, url)
}

/**
 * The emulator moves a task a step towards STOPPED on every DescribeTasks; holding each state for
 * `times` describes lets a waiter see RUNNING.
 */
export async function holdTaskStates(times = 3, url = motoUrl()): Promise<void> {
  await motoApi(
    '/moto-api/state-manager/set-transition',
    {
      body: JSON.stringify({
        model_name: 'ecs::task',
        transition: { progression: 'manual', times }
      }),
      headers: { 'Content-Type': 'application/json' }
    },
    url
  )
}

export interface Network {
  vpcId: string
  subnetIds: string[]
}

export async function createNetwork(subnets = 2): Promise<Network> {
  const ec2 = new EC2Client({ region: REGION })
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))
  const vpcId = vpc.Vpc!.VpcId!
  // The emulator's RunTask needs DNS hostnames on, as many real VPCs have.
  await ec2.send(
    new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } })
  )
  const subnetIds: string[] = []
  for (let i = 0; i < subnets; i++) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.0.${i}.0/24`,
        AvailabilityZone: `${REGION}${'abc'[i % 3]}`
      })
    )
    subnetIds.push(subnet.Subnet!.SubnetId!)
  }
  ec2.destroy()
  return { vpcId, subnetIds: subnetIds.sort() }
}

/** The IDs of the agent's security groups (the action's default name) in the VPC. */
export async function agentSecurityGroups(vpcId: string): Promise<string[]> {
  const ec2 = new EC2Client({ region: REGION })
  const answer = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['cloudaeye-metrics-agent'] }
      ]
    })
  )
  ec2.destroy()
  return (answer.SecurityGroups ?? []).map(group => group.GroupId!)
}

export async function createCluster(name: string): Promise<string> {
  const ecs = new ECSClient({ region: REGION })
  const answer = await ecs.send(new CreateClusterCommand({ clusterName: name }))
  ecs.destroy()
  return answer.cluster!.clusterArn!
}

/** Turns the emulator's IAM enforcement on (every later call is checked) or off. */
export async function enforceIam(on: boolean, url = motoUrl()): Promise<void> {
  await motoApi(
    '/moto-api/reset-auth',
    { body: on ? '0' : 'inf', headers: { 'Content-Type': 'text/plain' } },
    url
  )
}
