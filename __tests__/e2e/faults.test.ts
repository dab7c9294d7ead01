/**
 * Transient AWS failures: a loopback proxy in front of the emulator throttles (JSON services) or
 * answers 503 (query services) for 30% of requests. Runs of the bundle must all succeed on the
 * SDK's retries alone and converge to the same state as without faults. On EKS the runs deploy to
 * a real control plane with the real helm; only their AWS calls go through the proxy.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand
} from '@aws-sdk/client-ecs'
import {
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUsersCommand
} from '@aws-sdk/client-iam'
import { startFaultProxy, type FaultProxy } from '../../scripts/fault-proxy.mjs'
import { helmReleases, secretData } from '../support/agent-in-cluster.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import { RecordingHelm } from '../support/recording-helm.js'
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
let cluster: EksTestCluster

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({ name: 'faults', nodes: nodeSpecs('healthy', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  await cluster?.stop()
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  // Retried DescribeTasks calls count too; keep the emulator from decaying the tasks.
  await holdTaskStates(50)
  proxy = await startFaultProxy({ target: motoUrl(), failureRate: 0.3, seed: 20261124 })
})

afterEach(async () => {
  await proxy.close()
})

const throughProxy = () => motoEnvironment(proxy.url)

/**
 * Two runs on EKS, every AWS call (DescribeCluster included) through the fault proxy and the
 * cluster itself direct; both must succeed, the second changing nothing.
 */
async function runTwiceOnEks(
  inputs: Record<string, string>,
  helm: RecordingHelm,
  helmHome: string
): Promise<BundleResult[]> {
  const environment = {
    ...(await cluster.environmentVia(proxy.url)),
    ...helm.environment(helmHome)
  }
  const runs = [await runBundle(inputs, environment), await runBundle(inputs, environment)]
  for (const run of runs) {
    expect(run.stdout).not.toContain('::error::')
    expect(run.exitCode).toBe(0)
  }
  expect(runs[1].outputs['changed']).toBe('false')
  return runs
}

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

  it('ECS as a service: deploy, re-run and upgrade succeed and leave one service, one agent', async () => {
    const network = await createNetwork()
    await createCluster('faults')
    const inputs = {
      platform: 'ecs',
      cluster: 'faults',
      'vpc-id': network.vpcId,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': API_KEY,
      'ecs-run-as': 'service'
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
    expect(proxy.stats.failed).toBeGreaterThan(5)

    const ecs = new ECSClient({ region: REGION })
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'faults', services: ['cloudaeye-metrics-agent'] })
    )
    expect(services?.map(service => [service.status, service.taskDefinition])).toEqual([
      ['ACTIVE', runs[2].outputs['task-definition-arn']]
    ])
    const running = await ecs.send(
      new ListTasksCommand({ cluster: 'faults', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([runs[2].outputs['task-arn']])
  })

  it('EKS with irsa: two runs leave one provider and one role, and the agent has it', async () => {
    const helm = await RecordingHelm.create(REAL_HELM_4)
    const helmHome = await mkdtemp(path.join(os.tmpdir(), 'faults-helm-home-'))
    try {
      const inputs = {
        platform: 'eks',
        cluster: 'faults',
        namespace: 'faults-irsa',
        'agent-name': 'agent-irsa',
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        'enable-cloud-services': 'true'
      }
      const [first, second] = await runTwiceOnEks(inputs, helm, helmHome)
      expect(second.outputs['role-arn']).toBe(first.outputs['role-arn'])
      expect(proxy.stats.failed).toBeGreaterThan(3)

      const iam = new IAMClient({ region: REGION })
      const roles = (await iam.send(new ListRolesCommand({}))).Roles!.map(role => role.Arn)
      expect(roles.filter(arn => arn?.includes(':role/CloudAEye'))).toEqual([
        first.outputs['role-arn']
      ])
      const { Role } = await iam.send(
        new GetRoleCommand({ RoleName: 'CloudAEye-agent-irsa@faults.us-east-1' })
      )
      expect(Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
        'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
      )
      const policies = await iam.send(
        new ListRolePoliciesCommand({ RoleName: 'CloudAEye-agent-irsa@faults.us-east-1' })
      )
      expect(policies.PolicyNames).toEqual(['CloudAEyeCloudWatchRead'])
      const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}))
      expect(providers.OpenIDConnectProviderList).toHaveLength(1)
      expect(exposedSecrets([first, second], [API_KEY], await helm.calls())).toEqual([])
      const releases = await helmReleases(cluster.adminKubeconfig, 'faults-irsa')
      expect(releases).toMatchObject([{ name: 'agent-irsa', revision: '1', status: 'deployed' }])
    } finally {
      await helm.remove()
      await rm(helmHome, { recursive: true, force: true })
    }
  }, 90_000)

  it("EKS with access-key: two runs leave the cluster's one user and one key", async () => {
    const helm = await RecordingHelm.create(REAL_HELM_4)
    const helmHome = await mkdtemp(path.join(os.tmpdir(), 'faults-helm-home-'))
    try {
      const inputs = {
        platform: 'eks',
        cluster: 'faults',
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        'enable-cloud-services': 'true',
        'cloud-services-auth': 'access-key'
      }
      const [first, second] = await runTwiceOnEks(inputs, helm, helmHome)
      expect(second.outputs['access-key-id']).toBe(first.outputs['access-key-id'])
      const secrets = [API_KEY, ...(await deliveredAwsSecrets(helm))]
      expect(secrets).toHaveLength(2)
      expect(exposedSecrets([first, second], secrets, await helm.calls())).toEqual([])
      expect(proxy.stats.failed).toBeGreaterThan(3)

      const iam = new IAMClient({ region: REGION })
      const keys = await iam.send(
        new ListAccessKeysCommand({ UserName: 'CloudAEye@faults.us-east-1' })
      )
      expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
        first.outputs['access-key-id']
      ])
      const users = await iam.send(new ListUsersCommand({}))
      expect(users.Users!.map(user => user.UserName).sort()).toEqual([
        'CloudAEye@faults.us-east-1',
        'eks-deployer'
      ])
      // One revision in the cluster, and the agent holds that one key.
      const releases = await helmReleases(cluster.adminKubeconfig, 'cloudaeye')
      expect(releases).toMatchObject([
        { name: 'cloudaeye-metrics-agent', revision: '1', status: 'deployed' }
      ])
      const secret = await secretData(
        cluster.adminKubeconfig,
        'cloudaeye',
        'cloudaeye-metrics-agent'
      )
      expect(secret['aws-access-key-id']).toBe(first.outputs['access-key-id'])
    } finally {
      await helm.remove()
      await rm(helmHome, { recursive: true, force: true })
    }
  }, 90_000)
})
