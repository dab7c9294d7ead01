/**
 * The ECS paths the emulator cannot produce: a container that exits, RunTask failures, refused
 * permissions, throttling, a wait that runs out, and two runs racing. `run()` is driven as the
 * runner would drive it; ECS and EC2 answer from a small fake cluster through aws-sdk-client-mock,
 * below the SDK middleware, so the call log, error translation and retries are the real ones.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2ServiceException
} from '@aws-sdk/client-ec2'
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  CreateServiceCommand,
  DescribeServicesCommand,
  type ListTasksCommandInput,
  type Service,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSServiceException,
  ListTaskDefinitionFamiliesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type DescribeTasksCommandInput,
  type StopTaskCommandInput,
  type Task
} from '@aws-sdk/client-ecs'
import { PERMISSIONS_DOC } from '../../src/aws/errors.js'
import { CancelledError } from '../../src/cancellation.js'
import { desiredTaskDefinition } from '../../src/ecs/resources/task-definition.js'
import { readConfig } from '../../src/inputs.js'
import type { Clock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { mockEc2BelowMiddleware, mockEcsBelowMiddleware } from './aws-below-middleware.js'

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
/** Distinctive, so any leak is found by a plain substring search. */
const API_KEY = 'cak_live_Q7xWz9LeakCanary_4f2b8e61'
const VPC = 'vpc-0a1b2c3d4e5f60718'
const SUBNETS = ['subnet-0aaa1111bbbb2222c', 'subnet-0ddd3333eeee4444f']
const GROUP = 'sg-0123456789abcdef0'
const FAMILY = 'cloudaeye-metrics-agent'
const TASK_DEFINITION = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:1`
const taskArn = (id: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/${id}`
const OUR_TASK = taskArn('0f0f0f0f1111222233334444aaaabbbb')
const OTHER_TASK = taskArn('9e9e9e9e5555666677778888ccccdddd')

const INPUTS: Record<string, string> = {
  platform: 'ecs',
  cluster: 'prod',
  'aws-region': REGION,
  'cloudaeye-endpoint': 'https://metrics.cloudaeye.example/v1',
  'cloudaeye-api-key': API_KEY,
  'vpc-id': VPC,
  'wait-timeout': '2m'
}

const ecsFake = mockEcsBelowMiddleware()
const ec2Fake = mockEc2BelowMiddleware()
const ecs = ecsFake.mock
const ec2 = ec2Fake.mock

function agentTask(arn: string, lastStatus: string, extra: Partial<Task> = {}): Task {
  return {
    taskArn: arn,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`,
    taskDefinitionArn: TASK_DEFINITION,
    lastStatus,
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    createdAt: new Date('2026-05-01T10:00:00Z'),
    containers: [{ name: 'agent', lastStatus }],
    ...extra
  }
}

/** The agent tasks the fake cluster holds: ListTasks and DescribeTasks read it, RunTask adds. */
const cluster = new Map<string, Task>()
/** RunTask's answer, and how the task looks to every DescribeTasks after it. */
let started: { answer: Task; afterwards: Task[] }

function runTask() {
  for (const task of started.afterwards) cluster.set(task.taskArn!, task)
  return { tasks: [started.answer], failures: [] }
}

const throttled = () =>
  new ECSServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400 }
  })

/** The step's error line, which the runner shows first. */
function failureLine(result: ActionResult): string {
  const lines = result.log.split('\n').filter(line => line.startsWith('::error::'))
  expect(result.failed).toBe(true)
  expect(lines).toHaveLength(1)
  const line = lines[0].slice('::error::'.length)
  // The toolkit escapes newlines: a %0A would mean a multi-line error.
  expect(line).not.toContain('%0A')
  return line
}

/** The key is masked for the runner and appears nowhere else the user or a log can read. */
function expectKeyNowhere(result: ActionResult) {
  const leaks = result.log.split('\n').filter(line => line.includes(API_KEY))
  expect(leaks).toEqual([`::add-mask::${API_KEY}`])
  expect(result.summary).not.toContain(API_KEY)
  expect(JSON.stringify(result.outputs)).not.toContain(API_KEY)
}

/** Mutating commands the fakes were asked, retries included. */
function mockedMutations(): number {
  return (
    ec2.commandCalls(CreateSecurityGroupCommand).length +
    ecs.commandCalls(RegisterTaskDefinitionCommand).length +
    ecs.commandCalls(RunTaskCommand).length +
    ecs.commandCalls(StopTaskCommand).length
  )
}

const savedEnv = { ...process.env }

beforeAll(() => {
  // Requests are signed above the fake, so the SDK needs keys; none of them is ever sent.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDUNITTESTFAKE'
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-fake-secret'
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
  delete process.env.AWS_ENDPOINT_URL
})

afterAll(() => {
  ecsFake.restore()
  ec2Fake.restore()
  process.env = savedEnv
})

beforeEach(() => {
  ecs.reset()
  ec2.reset()
  cluster.clear()
  started = {
    answer: agentTask(OUR_TASK, 'PROVISIONING'),
    afterwards: [agentTask(OUR_TASK, 'RUNNING')]
  }
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: SUBNETS.map(id => ({ SubnetId: id, VpcId: VPC, MapPublicIpOnLaunch: false }))
  })
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] })
  ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: GROUP })
  ecs.on(ListTaskDefinitionFamiliesCommand).resolves({ families: [] })
  ecs.on(RegisterTaskDefinitionCommand).resolves({
    taskDefinition: { taskDefinitionArn: TASK_DEFINITION, family: FAMILY, revision: 1 }
  })
  ecs.on(ListTasksCommand).callsFake(() => ({
    taskArns: [...cluster.values()]
      .filter(task => task.desiredStatus === 'RUNNING')
      .map(task => task.taskArn!)
  }))
  ecs.on(DescribeTasksCommand).callsFake((input: DescribeTasksCommandInput) => ({
    tasks: (input.tasks ?? []).flatMap(arn => cluster.get(arn) ?? []),
    failures: []
  }))
  ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [] })
  ecs.on(RunTaskCommand).callsFake(runTask)
  ecs.on(StopTaskCommand).callsFake((input: StopTaskCommandInput) => {
    const task = cluster.get(input.task!)
    if (task) cluster.set(input.task!, { ...task, desiredStatus: 'STOPPED' })
    return { task }
  })
})

describe('the fake cluster', () => {
  // A control: every failure below starts from this run and changes one answer.
  it('carries a whole first run, seen through the action’s own call log', async () => {
    const result = await runAction(INPUTS)

    expect(result.failed).toBe(false)
    expect(result.outputs).toMatchObject({
      'task-arn': OUR_TASK,
      'task-definition-arn': TASK_DEFINITION,
      'security-group-id': GROUP,
      'subnet-ids': SUBNETS.join(','),
      changed: 'true'
    })
    expect(result.mutatingCalls).toEqual([
      'ec2:CreateSecurityGroup',
      'ecs:RegisterTaskDefinition',
      'ecs:RunTask'
    ])
    expectKeyNowhere(result)
    // The headline: in the summary under the heading, and once in the log, as its last line.
    expect(result.summary).toContain('<p><strong>Deployed</strong></p>')
    expect(result.summary).toMatch(/<p>Agent image <code>[^<]+<\/code> · took \d+s<\/p>/)
    const logLines = result.log.split('\n').filter(line => line.trim() !== '')
    expect(logLines.at(-1)).toMatch(/^Deployed \(\d+s\)$/)
    expect(logLines.filter(line => line.startsWith('Deployed'))).toHaveLength(1)
  })
})

describe('a task that stops before it runs', () => {
  it('fails with the task, its stop code, its reason and the container exit code', async () => {
    started.afterwards = [
      agentTask(OUR_TASK, 'STOPPED', {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          {
            name: 'agent',
            lastStatus: 'STOPPED',
            exitCode: 1,
            reason: 'agent: endpoint refused the API key'
          }
        ]
      })
    ]

    const result = await runAction(INPUTS)

    const line = failureLine(result)
    expect(line).toContain(OUR_TASK)
    expect(line).toContain('EssentialContainerExited')
    expect(line).toContain('Essential container in task exited')
    expect(line).toContain('exit code 1')
    expect(line).toContain('agent: endpoint refused the API key')
    // The summary repeats the failure and lists what exists, for the next run to find.
    expect(result.summary).toMatch(/<strong>Failed:<\/strong>[^<]*EssentialContainerExited/)
    expect(result.log.split('\n').filter(line => /^Failed \(\d+s\)$/.test(line))).toHaveLength(1)
    expect(result.summary).toContain('These resources exist now')
    expect(result.summary).toMatch(new RegExp(`>${GROUP}</a></td><td>created`))
    expect(result.summary).toMatch(new RegExp(`>${FAMILY}:1</a></td><td>created`))
    expect(result.summary).toMatch(
      new RegExp(`>${OUR_TASK.split('/').pop()}</a></td><td>created \\(STOPPED\\)`)
    )
    expect(result.outputs['task-arn']).toBe(OUR_TASK)
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0)
  })
})

describe('RunTask failures with HTTP 200', () => {
  it('fail the step with the reason, and nothing waits', async () => {
    ecs.on(RunTaskCommand).resolves({
      tasks: [],
      failures: [{ reason: 'RESOURCE:MEMORY', detail: 'not enough memory in the capacity pool' }]
    })

    const result = await runAction(INPUTS)

    const line = failureLine(result)
    expect(line).toContain('ecs:RunTask')
    expect(line).toContain('RESOURCE:MEMORY')
    expect(line).toContain('not enough memory in the capacity pool')
    expect(line).toContain('prod')
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0)
    expect(result.calls).not.toContain('ecs:DescribeTasks')
    expect(result.outputs['task-arn']).toBeUndefined()
  })
})

describe('refused permissions', () => {
  it('name ec2:CreateSecurityGroup and point at the README permissions', async () => {
    ec2.on(CreateSecurityGroupCommand).rejects(
      new EC2ServiceException({
        name: 'UnauthorizedOperation',
        $fault: 'client',
        message:
          'You are not authorized to perform this operation. User: arn:aws:sts::123456789012:' +
          'assumed-role/deployer/gha is not authorized to perform: ec2:CreateSecurityGroup',
        $metadata: { httpStatusCode: 403 }
      })
    )

    const result = await runAction(INPUTS)

    const line = failureLine(result)
    expect(line).toContain("IAM permission 'ec2:CreateSecurityGroup'")
    expect(line).toContain(PERMISSIONS_DOC)
    expect(PERMISSIONS_DOC).toMatch(/#permissions$/)
    expect(line).toContain(VPC)
    // The task definition is registered in the same wave; nothing after that wave was tried,
    // and the summary lists the revision that now exists.
    expect([...result.mutatingCalls].sort()).toEqual([
      'ec2:CreateSecurityGroup',
      'ecs:RegisterTaskDefinition'
    ])
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0)
    expect(result.summary).toContain('These resources exist now')
    expect(result.summary).toMatch(new RegExp(`>${FAMILY}:1</a></td><td>created`))
  })

  it('name ecs:RegisterTaskDefinition, and the summary lists the group created before', async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      new AccessDeniedException({
        message: 'User is not authorized to perform: ecs:RegisterTaskDefinition',
        $metadata: { httpStatusCode: 400 }
      })
    )

    const result = await runAction(INPUTS)

    const line = failureLine(result)
    expect(line).toContain("IAM permission 'ecs:RegisterTaskDefinition'")
    expect(line).toContain(PERMISSIONS_DOC)
    expect(line).toContain(`task definition ${FAMILY}`)
    expect(result.summary).toMatch(new RegExp(`>${GROUP}</a></td><td>created`))
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0)
  })
})

describe('an unknown cluster', () => {
  it('fails naming the cluster and region, before anything is created', async () => {
    ecs
      .on(ListTasksCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }))

    const result = await runAction(INPUTS)

    const line = failureLine(result)
    expect(line).toContain("cluster 'prod'")
    expect(line).toContain(REGION)
    expect(result.mutatingCalls).toEqual([])
    expect(mockedMutations()).toBe(0)
    expect(result.summary).toContain('Nothing was created')
  })
})

describe('throttling', () => {
  it('is retried by the SDK with the same RunTask idempotency token, and the run succeeds', async () => {
    ecs.on(RunTaskCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).callsFake(runTask)

    const result = await runAction(INPUTS)

    expect(result.failed).toBe(false)
    expect(result.outputs['task-arn']).toBe(OUR_TASK)
    // One call by the action, three attempts on the wire.
    expect(result.calls.filter(call => call === 'ecs:RunTask')).toHaveLength(1)
    const attempts = ecs.commandCalls(RunTaskCommand)
    expect(attempts).toHaveLength(3)
    const tokens = new Set(attempts.map(attempt => attempt.args[0].input.clientToken))
    expect(tokens.size).toBe(1)
    expect([...tokens][0]).toEqual(expect.any(String))
    expectKeyNowhere(result)
  })
})

describe('a wait that runs out', () => {
  it('fails naming wait-timeout, with the task ARN in the outputs', async () => {
    started.afterwards = [agentTask(OUR_TASK, 'PENDING')]

    const result = await runAction({ ...INPUTS, 'wait-timeout': '30s' })

    const line = failureLine(result)
    expect(line).toContain('wait-timeout')
    expect(line).toContain(OUR_TASK)
    expect(line).toContain('PENDING')
    expect(line).toContain('30s elapsed')
    expect(result.outputs['task-arn']).toBe(OUR_TASK)
    // It polled, rather than giving up after one look.
    expect(ecs.commandCalls(DescribeTasksCommand).length).toBeGreaterThan(2)
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0)
  })
})

describe('cancelled during the wait', () => {
  it('stops polling at once, reports the task it started, and stops nothing', async () => {
    started.afterwards = [agentTask(OUR_TASK, 'PENDING')]
    const cancellation = new AbortController()
    let describesWhenCancelled = -1
    // The runner's signal arrives during the first pause between two looks at the task.
    const clock: Clock = {
      now: () => Date.now(),
      sleep: async (_ms, signal) => {
        describesWhenCancelled = ecs.commandCalls(DescribeTasksCommand).length
        cancellation.abort(
          new CancelledError('Cancelled (SIGTERM) before the deployment finished.')
        )
        signal?.throwIfAborted()
      }
    }

    const result = await runAction(INPUTS, { clock, signal: cancellation.signal })

    expect(failureLine(result)).toBe('Cancelled (SIGTERM) before the deployment finished.')
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(describesWhenCancelled)
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0)
    expect(result.outputs['task-arn']).toBe(OUR_TASK)
    expect(result.summary).toMatch(/Agent task.*created \(PROVISIONING\)/)
    expectKeyNowhere(result)
  })
})

describe('the API key', () => {
  it('is in no failure line, log line, output or summary when a wait runs out', async () => {
    started.afterwards = [agentTask(OUR_TASK, 'PENDING')]
    const result = await runAction({ ...INPUTS, 'wait-timeout': '10s' })
    expect(failureLine(result)).toContain('wait-timeout')
    expectKeyNowhere(result)
  })

  it('is redacted from an AWS error that echoes the request', async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      new ClientException({
        message: `Invalid environment entry CLOUDAEYE_API_KEY=${API_KEY}: value too long`,
        $metadata: { httpStatusCode: 400 }
      })
    )
    const result = await runAction(INPUTS)
    const line = failureLine(result)
    expect(line).toContain('ecs:RegisterTaskDefinition')
    expect(line).toContain('CLOUDAEYE_API_KEY=***')
    expectKeyNowhere(result)
  })

  it('is redacted from a stopped task’s container reason', async () => {
    started.afterwards = [
      agentTask(OUR_TASK, 'STOPPED', {
        stopCode: 'EssentialContainerExited',
        containers: [{ name: 'agent', exitCode: 2, reason: `bad key ${API_KEY}` }]
      })
    ]
    const result = await runAction(INPUTS)
    expect(failureLine(result)).toContain('bad key ***')
    expectKeyNowhere(result)
  })
})

describe('two agents of the current revision', () => {
  const older = new Date('2026-05-01T10:00:00Z')
  const newer = new Date('2026-05-01T10:00:30Z')

  function stopRequests() {
    return ecs.commandCalls(StopTaskCommand).map(call => call.args[0].input)
  }

  it('already running: the older is reused and the newer stopped', async () => {
    // The revision that exists is the one this run wants, so nothing is registered.
    // readConfig masks the key on stdout; that is not what this test looks at.
    const write = jest.spyOn(process.stdout, 'write').mockReturnValue(true)
    const config = await readConfig(name => INPUTS[name] ?? '', {}).finally(() =>
      write.mockRestore()
    )
    if (config.platform !== 'ecs') throw new Error('expected an ECS configuration')
    const { tags, ...definition } = desiredTaskDefinition(config)
    ecs.on(ListTaskDefinitionFamiliesCommand).resolves({ families: [FAMILY] })
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        ...definition,
        taskDefinitionArn: TASK_DEFINITION,
        revision: 1,
        status: 'ACTIVE'
      },
      tags
    })
    // Listed newer first, so keeping the first listed would keep the wrong one.
    cluster.set(OTHER_TASK, agentTask(OTHER_TASK, 'RUNNING', { createdAt: newer }))
    cluster.set(OUR_TASK, agentTask(OUR_TASK, 'RUNNING', { createdAt: older }))

    const result = await runAction(INPUTS)

    expect(result.failed).toBe(false)
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0)
    expect(stopRequests()).toEqual([
      expect.objectContaining({ cluster: 'prod', task: OTHER_TASK, reason: expect.any(String) })
    ])
    expect(stopRequests()[0].reason).toMatch(/^Replaced by /)
    expect(stopRequests()[0].reason).toContain(OUR_TASK)
    expect(result.outputs['task-arn']).toBe(OUR_TASK)
    expect(result.log).toMatch(/Agent task 0f0f0f0f1111222233334444aaaabbbb: reused/)
    expect(result.log).toMatch(/Agent task 9e9e9e9e5555666677778888ccccdddd: stopped/)
  })

  it('racing: a run whose task turns out newer adopts the older and stops its own', async () => {
    // A concurrent run's task shows up, created before ours.
    started.afterwards = [
      agentTask(OUR_TASK, 'RUNNING', { createdAt: newer }),
      agentTask(OTHER_TASK, 'RUNNING', { createdAt: older })
    ]

    const result = await runAction(INPUTS)

    expect(result.failed).toBe(false)
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(1)
    expect(stopRequests()).toHaveLength(1)
    expect(stopRequests()[0].task).toBe(OUR_TASK)
    expect(stopRequests()[0].reason).toBe(`Replaced by ${OTHER_TASK}`)
    expect(result.outputs['task-arn']).toBe(OTHER_TASK)
    expect(result.log).toMatch(/Agent task 9e9e9e9e5555666677778888ccccdddd: reused/)
  })

  it('racing: a run whose task is older keeps it and stops the newer one', async () => {
    started.afterwards = [
      agentTask(OUR_TASK, 'RUNNING', { createdAt: older }),
      agentTask(OTHER_TASK, 'RUNNING', { createdAt: newer })
    ]

    const result = await runAction(INPUTS)

    expect(result.failed).toBe(false)
    expect(stopRequests()).toHaveLength(1)
    expect(stopRequests()[0].task).toBe(OTHER_TASK)
    expect(stopRequests()[0].reason).toBe(`Replaced by ${OUR_TASK}`)
    expect(result.outputs['task-arn']).toBe(OUR_TASK)
    expect(result.log).toMatch(/Agent task 0f0f0f0f1111222233334444aaaabbbb: created/)
  })

  it('racing first runs: a twin revision with the same content counts as current', async () => {
    // The other run registered revision 2 with the same content and started its task first.
    const twin = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:2`
    const write = jest.spyOn(process.stdout, 'write').mockReturnValue(true)
    const config = await readConfig(name => INPUTS[name] ?? '', {}).finally(() =>
      write.mockRestore()
    )
    if (config.platform !== 'ecs') throw new Error('expected an ECS configuration')
    const { tags, ...definition } = desiredTaskDefinition(config)
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: twin }).resolves({
      taskDefinition: { ...definition, taskDefinitionArn: twin, revision: 2, status: 'ACTIVE' },
      tags
    })
    started.afterwards = [
      agentTask(OUR_TASK, 'RUNNING', { createdAt: newer }),
      agentTask(OTHER_TASK, 'RUNNING', { createdAt: older, taskDefinitionArn: twin })
    ]

    const result = await runAction(INPUTS)

    expect(result.failed).toBe(false)
    // Both runs keep the older task; treating revision 2 as stale would stop it, while the other
    // run, treating revision 1 as stale, stopped ours: no agent at all.
    expect(stopRequests()).toEqual([
      expect.objectContaining({ task: OUR_TASK, reason: `Replaced by ${OTHER_TASK}` })
    ])
    expect(result.outputs['task-arn']).toBe(OTHER_TASK)
  })
})

/**
 * ecs-run-as: service. The emulator's scheduler always rolls out; what the circuit breaker does
 * with a deployment whose tasks fail, and a service whose tasks keep stopping, come from here.
 */
describe('a service whose tasks do not stay up', () => {
  const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/${FAMILY}`
  const STOPPED_TASK = taskArn('5a5a5a5a6b6b7c7c8d8d9e9e0f0f1a1a')
  const asService = { ...INPUTS, 'ecs-run-as': 'service' }

  function service(rolloutState: 'FAILED' | 'IN_PROGRESS', rolloutStateReason: string): Service {
    return {
      serviceArn: SERVICE_ARN,
      serviceName: FAMILY,
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 0,
      taskDefinition: TASK_DEFINITION,
      tags: [{ key: 'cloudaeye:managed-by', value: 'metrics-agent-action' }],
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'PRIMARY',
          taskDefinition: TASK_DEFINITION,
          rolloutState,
          rolloutStateReason
        }
      ]
    }
  }

  /** After CreateService, the service reads as given, and its task has stopped. */
  function serviceAfterCreate(answer: Service) {
    let created = false
    ecs.on(CreateServiceCommand).callsFake(() => {
      created = true
      cluster.set(
        STOPPED_TASK,
        agentTask(STOPPED_TASK, 'STOPPED', {
          group: `service:${FAMILY}`,
          startedBy: 'ecs-svc/1',
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [
            {
              name: 'agent',
              lastStatus: 'STOPPED',
              exitCode: 1,
              reason: 'agent: no route to endpoint'
            }
          ]
        })
      )
      return { service: answer }
    })
    ecs
      .on(DescribeServicesCommand)
      .callsFake(() => ({ services: created ? [answer] : [], failures: [] }))
    ecs.on(ListTasksCommand).callsFake((input: ListTasksCommandInput) => ({
      taskArns: [...cluster.values()]
        .filter(task => task.desiredStatus === (input.desiredStatus ?? 'RUNNING'))
        .map(task => task.taskArn!)
    }))
  }

  it('a deployment the circuit breaker rolls back fails the step with the stopped tasks’ reasons', async () => {
    serviceAfterCreate(service('FAILED', 'ECS deployment circuit breaker: tasks failed to start.'))

    const result = await runAction(asService)

    const line = failureLine(result)
    expect(line).toContain(`Service ${FAMILY}'s deployment failed`)
    expect(line).toContain('ECS deployment circuit breaker: tasks failed to start.')
    expect(line).toContain('rolls it back')
    expect(line).toContain(STOPPED_TASK.split('/').pop())
    expect(line).toContain('EssentialContainerExited')
    expect(line).toContain('exit code 1')
    expect(line).toContain('agent: no route to endpoint')
    expect(result.outputs['service-arn']).toBe(SERVICE_ARN)
    expect(result.summary).toMatch(new RegExp(`>${FAMILY}</a></td><td>created`))
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0)
    expectKeyNowhere(result)
  })

  it('tasks that keep stopping fail the step within wait-timeout, naming why they stopped', async () => {
    serviceAfterCreate(service('IN_PROGRESS', 'ECS deployment ecs-svc/1 in progress.'))

    const result = await runAction({ ...asService, 'wait-timeout': '30s' })

    const line = failureLine(result)
    expect(line).toMatch(
      /Service cloudaeye-metrics-agent is not steady after 30s elapsed, past wait-timeout/
    )
    expect(line).toContain('0 of 1 task(s) running')
    expect(line).toContain('Essential container in task exited')
    expect(line).toContain('agent: no route to endpoint')
    // It polled, rather than giving up after one look.
    expect(ecs.commandCalls(DescribeServicesCommand).length).toBeGreaterThan(3)
    expect(result.outputs['service-arn']).toBe(SERVICE_ARN)
    expectKeyNowhere(result)
  })
})
