/**
 * Limits of the ECS API that the emulator does not enforce, on the requests the action makes against
 * it: RunTask's 16 subnets (and how the action picks 16 of a larger VPC), DescribeTasks' 100 tasks a
 * call, StopTask's 255-character reason, RunTask's startedBy and clientToken. The emulator accepts
 * requests past these limits, so each test reads what the action sent: from the emulator's state
 * where it keeps it (a task's startedBy and stoppedReason, its network interface's subnet), and
 * otherwise from a recorder between the action and the emulator, which passes every request through
 * unchanged. The emulator keeps neither a task's full subnet list and public-IP setting nor
 * RunTask's clientToken, which it ignores.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeSubnetsCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  type Subnet
} from '@aws-sdk/client-ec2'
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type DescribeTasksCommandInput,
  type RunTaskCommandInput,
  type Task
} from '@aws-sdk/client-ecs'
import { STARTED_BY } from '../../src/ecs/resources/agent-task.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import {
  startRequestRecorder,
  type AwsExchange,
  type RequestRecorder
} from '../support/aws-request-recorder.js'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  motoUrl,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'

/** ECS takes cluster names of up to 255 characters; with one, a task's ARN is longer than that. */
const LONG_CLUSTER = 'c'.repeat(255)

const ecs = () => new ECSClient({ region: REGION })
const ec2 = () => new EC2Client({ region: REGION })

function ecsInputs(vpcId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'prod',
    'vpc-id': vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
    'cloudaeye-api-key': 'cak_integration_limits_0b7e4d2a91c3',
    'wait-timeout': '2m',
    ...overrides
  }
}

let recorder: RequestRecorder

/** A run of the action, with the requests it sent to the emulator. */
async function runRecorded(
  inputs: Record<string, string>
): Promise<{ result: ActionResult; sent: AwsExchange[] }> {
  const from = recorder.exchanges.length
  const result = await runAction(inputs)
  return { result, sent: recorder.exchanges.slice(from) }
}

function ecsRequests<Input>(sent: AwsExchange[], operation: string): Input[] {
  return sent
    .filter(exchange => exchange.service === 'ecs' && exchange.operation === operation)
    .map(exchange => exchange.params as Input)
}

const runTaskRequests = (sent: AwsExchange[]) => ecsRequests<RunTaskCommandInput>(sent, 'RunTask')
const placementOf = (request: RunTaskCommandInput) =>
  request.networkConfiguration!.awsvpcConfiguration!

/** The zones createNetwork puts subnets in. */
const ZONES = ['a', 'b', 'c'].map(letter => `${REGION}${letter}`)

/**
 * A VPC of `count` subnets over three zones (createNetwork's), in which the subnets that
 * `choosePublic` picks from them map public IPs on launch.
 */
async function vpcWithPublicSubnets(
  count: number,
  choosePublic: (subnets: Subnet[]) => Subnet[]
): Promise<{ vpcId: string; subnets: Subnet[] }> {
  const { vpcId } = await createNetwork(count)
  const client = ec2()
  const describe = async () =>
    (
      await client.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })
      )
    ).Subnets ?? []
  for (const subnet of choosePublic(await describe())) {
    await client.send(
      new ModifySubnetAttributeCommand({
        SubnetId: subnet.SubnetId,
        MapPublicIpOnLaunch: { Value: true }
      })
    )
  }
  const subnets = await describe()
  client.destroy()
  return { vpcId, subnets }
}

const byId = (a: Subnet, b: Subnet) => (a.SubnetId! < b.SubnetId! ? -1 : 1)

/** The lowest IDs of each zone: a choice that ignored the public-IP setting would take them. */
const lowestOfEachZone = (perZone: number) => (subnets: Subnet[]) =>
  ZONES.flatMap(zone =>
    subnets
      .filter(subnet => subnet.AvailabilityZone === zone)
      .sort(byId)
      .slice(0, perZone)
  )

/** The subnets in the zone of the VPC's highest subnet ID, but that subnet. */
const othersInZoneOfHighestId = (subnets: Subnet[]) => {
  const highest = [...subnets].sort(byId).at(-1)!
  return subnets.filter(
    subnet => subnet.AvailabilityZone === highest.AvailabilityZone && subnet !== highest
  )
}

const ids = (subnets: Subnet[]) => subnets.map(subnet => subnet.SubnetId!).sort()
const privateIn = (subnets: Subnet[], zone: string) =>
  ids(subnets.filter(subnet => subnet.AvailabilityZone === zone && !subnet.MapPublicIpOnLaunch))

async function describeTasks(cluster: string, taskArns: string[]): Promise<Task[]> {
  const client = ecs()
  const tasks: Task[] = []
  for (let start = 0; start < taskArns.length; start += 100) {
    const answer = await client.send(
      new DescribeTasksCommand({ cluster, tasks: taskArns.slice(start, start + 100) })
    )
    tasks.push(...(answer.tasks ?? []))
  }
  client.destroy()
  return tasks
}

async function agentTaskArns(cluster: string): Promise<string[]> {
  const client = ecs()
  const answer = await client.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING' }))
  client.destroy()
  return answer.taskArns ?? []
}

/**
 * Starts `count` more tasks of the agent's revision as the action would (same family, startedBy
 * and placement), at most 10 a call as RunTask allows: agents left by earlier, racing runs.
 */
async function startMoreAgents(first: ActionResult, cluster: string, count: number) {
  const client = ecs()
  for (let started = 0; started < count; started += 10) {
    await client.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: first.outputs['task-definition-arn'],
        launchType: 'FARGATE',
        count: Math.min(10, count - started),
        startedBy: STARTED_BY,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: first.outputs['subnet-ids'].split(','),
            securityGroups: [first.outputs['security-group-id']]
          }
        }
      })
    )
  }
  client.destroy()
}

const savedEnv = { ...process.env }

beforeAll(async () => {
  recorder = await startRequestRecorder(motoUrl())
})

afterAll(async () => {
  await recorder.close()
  process.env = savedEnv
})

beforeEach(async () => {
  useMotoEnvironment()
  process.env.AWS_ENDPOINT_URL = recorder.url
  // Outside a workflow run the clientToken is random; the one test that needs a run sets these.
  delete process.env.GITHUB_RUN_ID
  delete process.env.GITHUB_RUN_ATTEMPT
  await resetMoto()
  await holdTaskStates()
  await createCluster('prod')
})

describe('RunTask in a VPC of more than 16 subnets', () => {
  it('gets 16 private ones, spread over the zones, named in the output and the log, the same on a re-run', async () => {
    // The VPC's highest subnet ID is the one private subnet of its zone; the other two zones have
    // 8 private subnets each. Spread over the zones, the 16 take that one, which a choice of the
    // lowest IDs would leave out.
    const { vpcId, subnets } = await vpcWithPublicSubnets(24, othersInZoneOfHighestId)
    const highest = ids(subnets).at(-1)!
    const lonelyZone = subnets.find(subnet => subnet.SubnetId === highest)!.AvailabilityZone
    const [firstZone, secondZone] = ZONES.filter(zone => zone !== lonelyZone)

    const first = await runRecorded(ecsInputs(vpcId))

    expect(first.result.failed).toBe(false)
    const [request] = runTaskRequests(first.sent)
    const placement = placementOf(request)
    expect(placement.subnets).toHaveLength(16)
    const chosen = subnets.filter(subnet => placement.subnets!.includes(subnet.SubnetId!))
    expect(chosen.every(subnet => subnet.MapPublicIpOnLaunch === false)).toBe(true)
    // By turns over the zones: the lonely zone's one, then the other two zones 8 and 7, the first
    // by name taking the extra turn. Every subnet is a /24, so within a zone the lowest IDs go first.
    expect(placement.subnets).toEqual(
      [
        highest,
        ...privateIn(subnets, firstZone),
        ...privateIn(subnets, secondZone).slice(0, 7)
      ].sort()
    )
    // Only private subnets were chosen, so no public IP.
    expect(placement.assignPublicIp).toBe('DISABLED')
    expect(first.result.outputs['subnet-ids']).toBe(placement.subnets!.join(','))
    expect(first.result.log).toContain(`${vpcId} has 24 subnets, more than the 16 RunTask takes`)
    expect(first.result.summary).toContain(`16 of the 24 in ${vpcId}`)
    // The emulator puts the task's network interface in the first subnet it was given.
    const [task] = await describeTasks('prod', [first.result.outputs['task-arn']])
    const eni = task.attachments![0].details!
    expect(eni.find(detail => detail.name === 'subnetId')?.value).toBe(placement.subnets![0])

    // With the agent gone, a re-run starts another in the same 16.
    const client = ecs()
    await client.send(
      new StopTaskCommand({ cluster: 'prod', task: first.result.outputs['task-arn'] })
    )
    client.destroy()
    const second = await runRecorded(ecsInputs(vpcId))

    expect(second.result.failed).toBe(false)
    const rerun = runTaskRequests(second.sent)
    expect(rerun).toHaveLength(1)
    expect(placementOf(rerun[0]).subnets).toEqual(placement.subnets)
    expect(second.result.outputs['subnet-ids']).toBe(first.result.outputs['subnet-ids'])
  })

  it('gets the public ones, with a public IP, for assign-public-ip true', async () => {
    const { vpcId, subnets } = await vpcWithPublicSubnets(24, lowestOfEachZone(2))

    const { result, sent } = await runRecorded(ecsInputs(vpcId, { 'assign-public-ip': 'true' }))

    expect(result.failed).toBe(false)
    const placement = placementOf(runTaskRequests(sent)[0])
    const publicIds = ids(subnets.filter(subnet => subnet.MapPublicIpOnLaunch))
    expect(publicIds).toHaveLength(6)
    expect(placement.subnets).toEqual(publicIds)
    expect(placement.assignPublicIp).toBe('ENABLED')
    expect(result.outputs['subnet-ids']).toBe(publicIds.join(','))
  })

  it('gets every subnet of a VPC of 16, public and private alike, as before', async () => {
    const { vpcId, subnets } = await vpcWithPublicSubnets(16, lowestOfEachZone(1))

    const { result, sent } = await runRecorded(ecsInputs(vpcId))

    expect(result.failed).toBe(false)
    const placement = placementOf(runTaskRequests(sent)[0])
    expect(placement.subnets).toEqual(ids(subnets))
    expect(result.outputs['subnet-ids']).toBe(ids(subnets).join(','))
    expect(result.log).not.toContain('RunTask takes')
  })
})

describe('the other request limits', () => {
  it('DescribeTasks is asked about at most 100 tasks a call', async () => {
    // 250 agents running (a cluster after many racing runs): one stays, the others are stopped.
    const { vpcId } = await createNetwork()
    const first = await runAction(ecsInputs(vpcId))
    expect(first.failed).toBe(false)
    await startMoreAgents(first, 'prod', 249)
    const agents = await agentTaskArns('prod')
    expect(agents).toHaveLength(250)

    const { result, sent } = await runRecorded(ecsInputs(vpcId))

    expect(result.failed).toBe(false)
    const asked = ecsRequests<DescribeTasksCommandInput>(sent, 'DescribeTasks').map(
      request => request.tasks ?? []
    )
    expect(Math.max(...asked.map(tasks => tasks.length))).toBeLessThanOrEqual(100)
    expect(new Set(asked.flat()).size).toBe(250)
    expect(asked.length).toBeGreaterThanOrEqual(3)
    // Every DescribeTasks the run made went through the recorder.
    expect(result.calls.filter(call => call === 'ecs:DescribeTasks')).toHaveLength(asked.length)
    expect(runTaskRequests(sent)).toHaveLength(0)
    // The emulator gives tasks no createdAt, so of equally old tasks the lowest ARN stays.
    const kept = [...agents].sort()[0]
    expect(result.outputs['task-arn']).toBe(kept)
    expect(result.calls.filter(call => call === 'ecs:StopTask')).toHaveLength(249)
    expect(await agentTaskArns('prod')).toEqual([kept])
    const stopped = (await describeTasks('prod', agents)).filter(task => task.taskArn !== kept)
    expect(stopped).toHaveLength(249)
    expect(stopped.every(task => task.stoppedReason === `Replaced by ${kept}`)).toBe(true)
  })

  it('StopTask gets a reason of at most 255 characters, even in a cluster with a long name', async () => {
    await createCluster(LONG_CLUSTER)
    const { vpcId } = await createNetwork()
    const inputs = ecsInputs(vpcId, { cluster: LONG_CLUSTER })
    const first = await runAction(inputs)
    expect(first.failed).toBe(false)
    await startMoreAgents(first, LONG_CLUSTER, 1)
    const agents = await agentTaskArns(LONG_CLUSTER)
    expect(agents).toHaveLength(2)
    const [kept, replaced] = [...agents].sort()
    expect(`Replaced by ${kept}`.length).toBeGreaterThan(255)

    const result = await runAction(inputs)

    expect(result.failed).toBe(false)
    expect(result.calls.filter(call => call === 'ecs:StopTask')).toHaveLength(1)
    expect(await agentTaskArns(LONG_CLUSTER)).toEqual([kept])
    const [stopped] = await describeTasks(LONG_CLUSTER, [replaced])
    expect(stopped.desiredStatus).toBe('STOPPED')
    expect(stopped.stoppedReason!.length).toBeLessThanOrEqual(255)
    expect(stopped.stoppedReason).toBe(`Replaced by ${kept.split('/').pop()}`)
  })

  it('RunTask gets a startedBy of at most 36 allowed characters and a clientToken of at most 64', async () => {
    const { vpcId } = await createNetwork()
    const check = async ({ result, sent }: { result: ActionResult; sent: AwsExchange[] }) => {
      expect(result.failed).toBe(false)
      const [{ startedBy, clientToken, cluster }] = runTaskRequests(sent)
      expect(startedBy).toBe(STARTED_BY)
      expect(startedBy).toMatch(/^[A-Za-z0-9_/-]{1,36}$/)
      // Printable ASCII, 33 to 126.
      expect(clientToken).toMatch(/^[!-~]{1,64}$/)
      const [task] = await describeTasks(cluster!, [result.outputs['task-arn']])
      expect(task.startedBy).toBe(STARTED_BY)
    }
    // Outside a workflow run: a random token.
    await check(await runRecorded(ecsInputs(vpcId)))

    // In a workflow run, a token derived from the run and the cluster, however long its name.
    await createCluster(LONG_CLUSTER)
    process.env.GITHUB_RUN_ID = '98765432101'
    process.env.GITHUB_RUN_ATTEMPT = '3'
    await check(await runRecorded(ecsInputs(vpcId, { cluster: LONG_CLUSTER })))
  })
})
