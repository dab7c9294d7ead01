/**
 * Transient AWS failures: a loopback proxy in front of the emulator throttles (JSON services) or
 * answers 503 (query services) for 30% of requests. Runs of the bundle must all succeed on the
 * SDK's retries alone and converge to the same state as without faults.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ECSClient, ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs'
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation'
import { startFaultProxy, type FaultProxy } from '../../scripts/fault-proxy.mjs'
import { runBundle } from '../support/bundle.js'
import { createEksCluster } from '../support/eks-cluster.js'
import { FakeHelm } from '../support/fake-helm.js'
import { deliveredAwsSecrets, exposedSecrets } from '../support/secret-exposure.js'
import {
  agentSecurityGroups,
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  motoEnvironment,
  motoUrl,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'

const API_KEY = 'cak_faults_0d93e1'
let proxy: FaultProxy

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  // Retried DescribeTasks calls count too; keep the emulator from decaying the tasks.
  await holdTaskStates(50)
  proxy = await startFaultProxy({ target: motoUrl(), failureRate: 0.3, seed: 20261124 })
})

afterEach(async () => {
  await proxy.close()
})

const throughProxy = () => motoEnvironment(proxy.url)

describe('with 30% of AWS requests throttled or refused with 503', () => {
  it('ECS: deploy, re-run and upgrade all succeed and leave one group, two revisions, one agent', async () => {
    const network = await createNetwork()
    await createCluster('faults')
    const inputs = {
      platform: 'ecs',
      cluster: 'faults',
      'vpc-id': network.vpcId,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': API_KEY
    }
    const runs = [
      await runBundle(inputs, throughProxy()),
      await runBundle(inputs, throughProxy()),
      await runBundle(
        { ...inputs, 'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0' },
        throughProxy()
      )
    ]
    for (const run of runs) {
      expect(run.stdout).not.toContain('::error::')
      expect(run.exitCode).toBe(0)
    }
    expect(runs[1].outputs['changed']).toBe('false')
    expect(exposedSecrets(runs, [API_KEY])).toEqual([])
    // The faults were real: without them the test would prove nothing.
    expect(proxy.stats.failed).toBeGreaterThan(5)

    expect(await agentSecurityGroups(network.vpcId)).toHaveLength(1)
    const ecs = new ECSClient({ region: REGION })
    const revisions = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'cloudaeye-metrics-agent' })
    )
    expect(revisions.taskDefinitionArns).toHaveLength(2)
    const running = await ecs.send(
      new ListTasksCommand({ cluster: 'faults', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([runs[2].outputs['task-arn']])
  })

  it('EKS with cloud services: two runs leave one stack and one key', async () => {
    await createEksCluster('faults')
    const helm = await FakeHelm.create({ version: 'v4.1.4' })
    try {
      const inputs = {
        platform: 'eks',
        cluster: 'faults',
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        'enable-cloud-services': 'true'
      }
      const environment = {
        ...throughProxy(),
        PATH: `${helm.directory}:${process.env.PATH}`
      }
      const first = await runBundle(inputs, environment)
      const second = await runBundle(inputs, environment)
      for (const run of [first, second]) {
        expect(run.stdout).not.toContain('::error::')
        expect(run.exitCode).toBe(0)
      }
      expect(second.outputs['access-key-id']).toBe(first.outputs['access-key-id'])
      const secrets = [API_KEY, ...(await deliveredAwsSecrets(helm))]
      expect(secrets).toHaveLength(2)
      expect(exposedSecrets([first, second], secrets, helm)).toEqual([])
      expect(proxy.stats.failed).toBeGreaterThan(3)

      const keys = await new IAMClient({ region: REGION }).send(
        new ListAccessKeysCommand({ UserName: 'CloudAEyeServiceAccount' })
      )
      expect(keys.AccessKeyMetadata).toHaveLength(1)
      const stacks = await new CloudFormationClient({ region: REGION }).send(
        new ListStacksCommand({})
      )
      expect(
        stacks.StackSummaries?.filter(stack => stack.StackStatus !== 'DELETE_COMPLETE')
      ).toHaveLength(1)
    } finally {
      await helm.remove()
    }
  })
})
