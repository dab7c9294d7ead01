import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs'
import { runBundle } from '../support/bundle.js'
import { actionsOnly, policyStatements, userWithPolicy } from '../support/iam-policies.js'
import {
  REGION,
  createCluster,
  createNetwork,
  enforceIam,
  holdTaskStates,
  resetMoto,
  useMotoEnvironment,
  type Network
} from '../support/moto.js'

const POLICY = policyStatements('permissions/ecs.json')

let network: Network

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'ecs',
    cluster: 'least',
    'vpc-id': network.vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': 'cak_least_privilege',
    ...overrides
  }
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await holdTaskStates()
  network = await createNetwork()
  await createCluster('least')
})

afterEach(async () => {
  await enforceIam(false)
})

describe('permissions/ecs.json is enough, with IAM enforced', () => {
  it('deploys, re-runs without creating anything, and upgrades to one new agent', async () => {
    const asDeployer = await userWithPolicy('deployer', actionsOnly(POLICY))
    await enforceIam(true)

    const fresh = await runBundle(inputs(), asDeployer)
    expect(fresh.stdout).not.toContain('::error::')
    expect(fresh.exitCode).toBe(0)
    expect(fresh.outputs['changed']).toBe('true')

    const rerun = await runBundle(inputs(), asDeployer)
    expect(rerun.exitCode).toBe(0)
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['task-arn']).toBe(fresh.outputs['task-arn'])

    const upgrade = await runBundle(
      inputs({ 'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0' }),
      asDeployer
    )
    expect(upgrade.stdout).not.toContain('::error::')
    expect(upgrade.exitCode).toBe(0)
    expect(upgrade.outputs['task-arn']).not.toBe(fresh.outputs['task-arn'])

    await enforceIam(false)
    const running = await new ECSClient({ region: REGION }).send(
      new ListTasksCommand({ cluster: 'least', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([upgrade.outputs['task-arn']])
  })

  it('names the refused IAM action when the policy lacks one', async () => {
    const withoutRunTask = POLICY.filter(statement => statement.Sid !== 'RunAgentTask')
    const asDeployer = await userWithPolicy('short', actionsOnly(withoutRunTask))
    await enforceIam(true)

    const result = await runBundle(inputs(), asDeployer)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /::error::AWS refused ecs:RunTask \(agent task in cluster least\): the workflow's credentials lack the IAM permission 'ecs:RunTask'/
    )
  })
})
