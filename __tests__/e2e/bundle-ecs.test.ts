import { beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand
} from '@aws-sdk/client-ecs'
import { exposedSecrets } from '../support/secret-exposure.js'
import { runBundle } from '../support/bundle.js'
import {
  agentSecurityGroups,
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  motoEnvironment,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'

const API_KEY = 'cak_e2e_secret_4f1c9a7b2d'

let network: Network

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'e2e',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': API_KEY,
    'wait-timeout': '60s',
    ...overrides
  }
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates()
  network = await createNetwork()
  await createCluster('e2e')
})

describe('the bundle, run as the runner runs it', () => {
  it('deploys, then re-runs unchanged, never showing the API key', async () => {
    const first = await runBundle(inputs(), motoEnvironment())
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain(`::add-mask::${API_KEY}`)
    expect(first.outputs['changed']).toBe('true')
    expect(first.outputs['task-arn']).toMatch(/^arn:aws:ecs:us-east-1:\d+:task\/e2e\//)
    expect(first.summary).toContain('<table>')
    // Each resource is reported once, though the task is recorded as soon as RunTask answers.
    const resourceLines = first.stdout.match(/^(Agent task|Security group|Task definition) .*$/gm)
    expect(resourceLines?.filter(line => line.startsWith('Agent task'))).toEqual([
      expect.stringMatching(/^Agent task \S+: created \(RUNNING\)$/)
    ])
    expect(new Set(resourceLines).size).toBe(resourceLines?.length)

    const second = await runBundle(inputs(), motoEnvironment())
    expect(second.exitCode).toBe(0)
    expect(second.outputs['changed']).toBe('false')
    expect(second.outputs['task-arn']).toBe(first.outputs['task-arn'])
    expect(second.stdout).not.toMatch(/: created/)

    const running = await new ECSClient({ region: REGION }).send(
      new ListTasksCommand({ cluster: 'e2e', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([first.outputs['task-arn']])
    expect(exposedSecrets([first, second], [API_KEY])).toEqual([])
  })

  it('fails an unknown cluster with one clear line and creates nothing', async () => {
    const result = await runBundle(inputs({ cluster: 'nope' }), motoEnvironment())
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      `::error::ECS cluster 'nope' not found in region ${REGION}. Check 'cluster' and 'aws-region'`
    )
    expect(result.stdout).not.toMatch(/: created/)
    expect(result.summary).toContain('Nothing was created.')
    expect(exposedSecrets([result], [API_KEY])).toEqual([])
  })

  it('rejects a bad input before any AWS request', async () => {
    let requests = 0
    const server = createServer((_request, response) => {
      requests++
      response.writeHead(500).end()
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const result = await runBundle(inputs({ 'vpc-id': 'vpc-123' }), {
        ...motoEnvironment(`http://127.0.0.1:${port}`)
      })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        "::error::Input 'vpc-id': 'vpc-123' is not a vpc ID; expected vpc- followed by 8 or 17 hex digits."
      )
      expect(requests).toBe(0)
      expect(exposedSecrets([result], [API_KEY])).toEqual([])
    } finally {
      server.close()
    }
  })

  it('leaves one security group and one agent when two runs race', async () => {
    // Two runs describe the same tasks twice as often; keep the emulator from decaying them.
    await holdTaskStates(50)
    const [a, b] = await Promise.all([
      runBundle(inputs(), motoEnvironment()),
      runBundle(inputs(), motoEnvironment())
    ])
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])
    expect(a.outputs['security-group-id']).toBe(b.outputs['security-group-id'])

    expect(await agentSecurityGroups(network.vpcId)).toEqual([a.outputs['security-group-id']])
    const ecs = new ECSClient({ region: REGION })
    const running = await ecs.send(
      new ListTasksCommand({ cluster: 'e2e', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toHaveLength(1)
    const survivor = running.taskArns![0]
    expect([a.outputs['task-arn'], b.outputs['task-arn']]).toContain(survivor)
    // Real ECS orders racing tasks by createdAt, so both runs name the same one; the emulator
    // gives tasks no createdAt, so a run that decided before its rival started may name its own
    // task, which the rival then replaced.
    for (const output of [a.outputs['task-arn'], b.outputs['task-arn']]) {
      if (output === survivor) continue
      const replaced = await ecs.send(new DescribeTasksCommand({ cluster: 'e2e', tasks: [output] }))
      expect(replaced.tasks![0].stoppedReason).toBe(`Replaced by ${survivor}`)
    }
    expect(exposedSecrets([a, b], [API_KEY])).toEqual([])
  })

  it('leaves one service and one running agent when two service-mode runs race', async () => {
    await holdTaskStates(50)
    const asService = inputs({ 'ecs-run-as': 'service' })
    const [a, b] = await Promise.all([
      runBundle(asService, motoEnvironment()),
      runBundle(asService, motoEnvironment())
    ])
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])
    expect(a.outputs['service-arn']).toBe(b.outputs['service-arn'])
    expect(a.outputs['security-group-id']).toBe(b.outputs['security-group-id'])

    const ecs = new ECSClient({ region: REGION })
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'e2e', services: ['cloudaeye-metrics-agent'] })
    )
    expect(services?.map(service => [service.status, service.runningCount])).toEqual([
      ['ACTIVE', 1]
    ])
    const running = await ecs.send(
      new ListTasksCommand({ cluster: 'e2e', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toHaveLength(1)
    expect([a.outputs['task-arn'], b.outputs['task-arn']]).toContain(running.taskArns![0])
    expect(exposedSecrets([a, b], [API_KEY])).toEqual([])
  })

  it('runs the agent in 16 subnets of a VPC of 24, spread over its zones', async () => {
    // RunTask takes at most 16 subnets; the emulator would take them all.
    const big = await createNetwork(24)
    const result = await runBundle(inputs({ 'vpc-id': big.vpcId }), motoEnvironment())
    expect(result.exitCode).toBe(0)
    const chosen = result.outputs['subnet-ids'].split(',')
    expect(chosen).toHaveLength(16)
    expect(chosen.every(id => big.subnetIds.includes(id))).toBe(true)
    expect(result.summary).toContain(`16 of the 24 in ${big.vpcId}`)
    const { Subnets } = await new EC2Client({ region: REGION }).send(
      new DescribeSubnetsCommand({ SubnetIds: chosen })
    )
    const perZone = new Map<string, number>()
    for (const { AvailabilityZone: zone = '' } of Subnets ?? []) {
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1)
    }
    expect([...perZone.values()].sort()).toEqual([5, 5, 6])
    const { tasks } = await new ECSClient({ region: REGION }).send(
      new DescribeTasksCommand({ cluster: 'e2e', tasks: [result.outputs['task-arn']] })
    )
    const attached = tasks?.[0].attachments?.[0].details?.find(d => d.name === 'subnetId')?.value
    expect(chosen).toContain(attached)
  })
})
