/**
 * What scripts/moto-atomic-server.py adds to the emulator for ECS remove, checked against the
 * emulator: a stopped task's network interface is released a while later (still listed once,
 * then gone), a security group an interface uses cannot be deleted, and ListTaskDefinitionFamilies
 * filters by status (moto keeps none of these as AWS does).
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client
} from '@aws-sdk/client-ec2'
import {
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
