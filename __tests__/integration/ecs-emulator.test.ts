/**
 * What scripts/moto-atomic-server.py adds to the emulator for ECS remove, checked against the
 * emulator: a stopped task's network interface is released a while later (still listed once,
 * then gone), a security group an interface uses cannot be deleted, and ListTaskDefinitionFamilies
 * filters by status (moto keeps none of these as AWS does). And for service mode, its service
 * scheduler: a service runs its task and replaces one that stops, a new revision is a deployment
 * that completes and stops the old task, a deleted service drains and then is INACTIVE, and
 * CreateService refuses a name in use.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client
} from '@aws-sdk/client-ec2'
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionFamiliesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand
} from '@aws-sdk/client-ecs'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'

const ecs = () => new ECSClient({ region: REGION })
const ec2 = () => new EC2Client({ region: REGION })

async function register(family: string): Promise<string> {
  const { taskDefinition } = await ecs().send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'agent', image: 'busybox', memoryReservation: 512 }]
    })
  )
  return taskDefinition!.taskDefinitionArn!
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates(50)
})

describe("the emulator's task network interfaces and task definition families", () => {
  it('releases a stopped task’s interface after one more look, and guards its group till then', async () => {
    const network = await createNetwork(1)
    await createCluster('eni')
    const { GroupId: group } = await ec2().send(
      new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'g', VpcId: network.vpcId })
    )
    const { tasks } = await ecs().send(
      new RunTaskCommand({
        cluster: 'eni',
        taskDefinition: await register('eni'),
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: network.subnetIds, securityGroups: [group!] }
        }
      })
    )
    const using = async () =>
      (
        await ec2().send(
          new DescribeNetworkInterfacesCommand({
            Filters: [{ Name: 'group-id', Values: [group!] }]
          })
        )
      ).NetworkInterfaces?.map(eni => eni.NetworkInterfaceId)
    const eni = tasks![0].attachments![0].details!.find(d => d.name === 'networkInterfaceId')!.value
    const deleteGroup = () => ec2().send(new DeleteSecurityGroupCommand({ GroupId: group }))

    expect(await using()).toEqual([eni])
    await expect(deleteGroup()).rejects.toMatchObject({ name: 'DependencyViolation' })
    await ecs().send(new StopTaskCommand({ cluster: 'eni', task: tasks![0].taskArn }))
    expect(await using()).toEqual([eni])
    await expect(deleteGroup()).rejects.toMatchObject({ name: 'DependencyViolation' })
    expect(await using()).toEqual([])
    await deleteGroup()
  })

  it('lists a family as ACTIVE only with an active revision, and not once all are deleted', async () => {
    const revision = await register('fam')
    const families = async (status?: 'ACTIVE' | 'INACTIVE' | 'ALL') =>
      (await ecs().send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'fam', status })))
        .families
    expect([await families('ACTIVE'), await families('INACTIVE'), await families()]).toEqual([
      ['fam'],
      [],
      ['fam']
    ])
    await ecs().send(new DeregisterTaskDefinitionCommand({ taskDefinition: revision }))
    expect([await families('ACTIVE'), await families('INACTIVE'), await families()]).toEqual([
      [],
      ['fam'],
      ['fam']
    ])
    await ecs().send(new DeleteTaskDefinitionsCommand({ taskDefinitions: [revision] }))
    expect([await families('ACTIVE'), await families('INACTIVE'), await families()]).toEqual([
      [],
      [],
      []
    ])
  })
})

describe("the emulator's service scheduler", () => {
  const CLUSTER = 'svc'
  let subnets: string[]
  let securityGroups: string[]

  beforeEach(async () => {
    // A task runs after a few looks (each reading of its status is one), so that each test
    // sees it pending first.
    await holdTaskStates(10)
    const network = await createNetwork(1)
    subnets = network.subnetIds
    const { GroupId } = await ec2().send(
      new CreateSecurityGroupCommand({
        GroupName: 'agent',
        Description: 'agent',
        VpcId: network.vpcId
      })
    )
    securityGroups = [GroupId!]
    await createCluster(CLUSTER)
  })

  const describeService = async (): Promise<Service> =>
    (await ecs().send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['agent'] })))
      .services![0]

  /** The service's tasks ECS keeps running, as the scheduler left them. */
  async function serviceTasks(): Promise<Task[]> {
    const { taskArns } = await ecs().send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: 'agent', desiredStatus: 'RUNNING' })
    )
    if (!taskArns?.length) return []
    return (
      await ecs().send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }))
    ).tasks!.filter(task => task.group === 'service:agent')
  }

  /** Looks (each look is what moves the emulator on) until the service is as wanted. */
  async function lookUntil(wanted: (service: Service) => boolean): Promise<Service> {
    for (let look = 0; look < 50; look++) {
      await serviceTasks()
      const service = await describeService()
      if (wanted(service)) return service
    }
    throw new Error(`the service never got there: ${JSON.stringify(await describeService())}`)
  }

  const steady = (service: Service) =>
    service.runningCount === 1 &&
    service.deployments?.length === 1 &&
    service.deployments[0].rolloutState === 'COMPLETED'

  async function createService(taskDefinition: string, clientToken?: string): Promise<Service> {
    const { service } = await ecs().send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'agent',
        taskDefinition,
        desiredCount: 1,
        launchType: 'FARGATE',
        clientToken,
        networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups } }
      })
    )
    return service!
  }

  it("runs the service's task, and starts another when it stops", async () => {
    const created = await createService(await register('agent'))
    expect(created.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', taskDefinition: created.taskDefinition })
    ])
    const running = await lookUntil(steady)
    const [task] = await serviceTasks()
    expect(task).toMatchObject({
      lastStatus: 'RUNNING',
      startedBy: running.deployments![0].id,
      taskDefinitionArn: created.taskDefinition
    })

    await ecs().send(new StopTaskCommand({ cluster: CLUSTER, task: task.taskArn }))
    const replaced = await lookUntil(steady)
    const [replacement] = await serviceTasks()
    expect(replacement.taskArn).not.toBe(task.taskArn)
    expect(replacement.startedBy).toBe(replaced.deployments![0].id)
  })

  it('rolls a new revision out as a deployment that completes and stops the old task', async () => {
    const first = await register('agent')
    await createService(first)
    const before = await lookUntil(steady)
    const [old] = await serviceTasks()

    const second = await register('agent')
    const { service: updated } = await ecs().send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: 'agent', taskDefinition: second })
    )
    expect(updated!.deployments![0]).toMatchObject({ status: 'PRIMARY', taskDefinition: second })
    expect(updated!.deployments![0].id).not.toBe(before.deployments![0].id)
    const rolledOut = await lookUntil(steady)
    expect(rolledOut.deployments![0]).toMatchObject({ taskDefinition: second, status: 'PRIMARY' })
    const [now] = await serviceTasks()
    expect(now.taskDefinitionArn).toBe(second)
    const { tasks } = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: [old.taskArn!] })
    )
    expect(tasks![0]).toMatchObject({
      lastStatus: 'STOPPED',
      stoppedReason: `Replaced by deployment ${rolledOut.deployments![0].id}`
    })
  })

  it('drains a deleted service until its tasks stopped, then makes it INACTIVE', async () => {
    await createService(await register('agent'))
    await lookUntil(steady)
    const [task] = await serviceTasks()
    // Forced, with its task still running: the emulator stops a task at once, so a service
    // scaled to 0 first has nothing left to drain.
    const { service } = await ecs().send(
      new DeleteServiceCommand({ cluster: CLUSTER, service: 'agent', force: true })
    )
    expect(service!.status).toBe('DRAINING')
    await lookUntil(found => found.status === 'INACTIVE')
    expect(await serviceTasks()).toEqual([])
    const { tasks } = await ecs().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: [task.taskArn!] })
    )
    expect(tasks![0].lastStatus).toBe('STOPPED')
  })

  it('refuses a second service of the name while one is ACTIVE or DRAINING', async () => {
    const definition = await register('agent')
    const created = await createService(definition, 'token-1')
    // The same client token is the same request: answered with the service it made.
    expect((await createService(definition, 'token-1')).serviceArn).toBe(created.serviceArn)
    await expect(createService(definition, 'token-2')).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('not idempotent')
    })
    await lookUntil(steady)
    await ecs().send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'agent', force: true }))
    await expect(createService(definition, 'token-3')).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Draining')
    })
    await lookUntil(found => found.status === 'INACTIVE')
    expect((await createService(definition, 'token-4')).status).toBe('ACTIVE')
  })
})
