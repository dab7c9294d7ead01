/**
 * Cloud services with EKS Pod Identity. No emulator has Pod Identity associations or EKS add-ons,
 * so the EKS calls are answered by aws-sdk-client-mock from below the SDK's middleware, by a small
 * fake of the associations; IAM is the emulator's, and the agent goes to a real control plane with
 * the real helm 4. Every call, the mocked ones included, is judged against the shipped policies
 * with resources and conditions in every partition, and every entry of
 * permissions/eks-cloud-services-pod-identity.json must have allowed one of them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  CreatePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSServiceException,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
  type AddonStatus,
  type CreatePodIdentityAssociationCommandInput
} from '@aws-sdk/client-eks'
import {
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListRolesCommand,
  ListUsersCommand
} from '@aws-sdk/client-iam'
import { systemClock } from '../../src/poll.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { compareGrants } from '../support/aws-actions.js'
import { authorisationsOf, type Authorisation } from '../support/aws-authorisation.js'
import { startRequestRecorder, type RequestRecorder } from '../support/aws-request-recorder.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { kubeApi, nodeSpecs } from '../support/kube-nodes.js'
import { REGION, motoUrl, resetMoto, useMotoEnvironment } from '../support/moto.js'
import {
  describeDenial,
  grantsOffered,
  policiesForRun,
  policyFile,
  simulateEverywhere
} from '../support/policy-simulation.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import { uninstallEveryRelease } from '../support/agent-in-cluster.js'
import { SEED_USER, installWithSeedKey } from '../support/seed-install.js'
import { mockEksBelowMiddleware } from '../unit/aws-below-middleware.js'

const execute = promisify(execFile)
const CLUSTER_ARN = 'arn:aws:eks:us-east-1:123456789012:cluster/prod'
const ROLE = 'CloudAEye@prod.us-east-1'
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE}`
const POLICIES = [
  policyFile('permissions/eks.json'),
  policyFile('permissions/eks-cloud-services-pod-identity.json')
]
const originalPath = process.env.PATH
let cluster: EksTestCluster
let work: string
let eks: ReturnType<typeof mockEksBelowMiddleware>
let recorder: RequestRecorder
/** Every authorisation of every run in this file, for the coverage check at the end. */
const judged: Authorisation[] = []
const iam = () => new IAMClient({ region: REGION })

interface Association {
  associationId: string
  clusterName: string
  namespace: string
  serviceAccount: string
  roleArn: string
}
let associations: Association[]

beforeAll(async () => {
  useMotoEnvironment()
  work = await mkdtemp(path.join(os.tmpdir(), 'pod-identity-'))
  cluster = await startEksTestCluster({ name: 'prod', nodes: nodeSpecs('node', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await cluster?.stop()
  await rm(work, { recursive: true, force: true })
})

/** The region of each cluster the fake knows; `prod` is the one most tests use. */
const CLUSTER_REGIONS: Record<string, string> = {
  prod: REGION,
  'west-a': 'eu-west-1',
  'west-b': 'eu-west-1'
}

/** The clusters EKS describes, and the associations it keeps, as the EKS API reference has them. */
function fakeEks(options: { addon?: string; autoMode?: boolean } = {}) {
  eks = mockEksBelowMiddleware()
  associations = []
  eks.mock.on(DescribeClusterCommand).callsFake(input => ({
    cluster: {
      name: input.name,
      arn: `arn:aws:eks:${CLUSTER_REGIONS[input.name]}:123456789012:cluster/${input.name}`,
      status: 'ACTIVE',
      ...(options.autoMode ? { computeConfig: { enabled: true } } : {})
    }
  }))
  const addon = options.addon ?? 'ACTIVE'
  if (addon === 'missing') {
    eks.mock.on(DescribeAddonCommand).rejects(
      new EKSServiceException({
        name: 'ResourceNotFoundException',
        message: 'No addon: eks-pod-identity-agent found in cluster: prod',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 }
      })
    )
  } else {
    eks.mock.on(DescribeAddonCommand).resolves({
      addon: {
        addonName: 'eks-pod-identity-agent',
        clusterName: 'prod',
        status: addon as AddonStatus
      }
    })
  }
  eks.mock.on(ListPodIdentityAssociationsCommand).callsFake(input => ({
    associations: associations.filter(
      a =>
        a.clusterName === input.clusterName &&
        a.namespace === input.namespace &&
        a.serviceAccount === input.serviceAccount
    )
  }))
  eks.mock.on(DescribePodIdentityAssociationCommand).callsFake(input => ({
    association: { ...associations.find(a => a.associationId === input.associationId) }
  }))
  eks.mock
    .on(CreatePodIdentityAssociationCommand)
    .callsFake((input: CreatePodIdentityAssociationCommandInput) => {
      const association = {
        associationId: `a-${associations.length + 1}`,
        clusterName: input.clusterName!,
        namespace: input.namespace!,
        serviceAccount: input.serviceAccount!,
        roleArn: input.roleArn!
      }
      associations.push(association)
      return { association }
    })
  eks.mock.on(UpdatePodIdentityAssociationCommand).callsFake(input => {
    const association = associations.find(a => a.associationId === input.associationId)!
    association.roleArn = input.roleArn
    return { association }
  })
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  process.env.RUNNER_TEMP = await mkdtemp(path.join(work, 'temp-'))
  recorder = await startRequestRecorder(motoUrl())
  fakeEks()
})

afterEach(async () => {
  eks.restore()
  await recorder.close()
  await uninstallEveryRelease(cluster.adminKubeconfig)
})

/**
 * One run, with IAM, STS and Logs through the recorder to the emulator and EKS answered by the
 * fake; its calls are judged against the shipped policies before it is returned.
 */
async function run(inputs: Record<string, string>): Promise<ActionResult> {
  Object.assign(process.env, {
    PATH: `${path.dirname(REAL_HELM_4)}${path.delimiter}${originalPath}`,
    AWS_ENDPOINT_URL: recorder.url
  })
  const recorded = recorder.exchanges.length
  const mocked = eks.mock.calls().length
  const given: Record<string, string> = {
    platform: 'eks',
    cluster: 'prod',
    kubeconfig: cluster.adminKubeconfig,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': 'cak_pod_identity_91c3',
    'enable-cloud-services': 'true',
    'cloud-services-auth': 'pod-identity',
    'wait-timeout': '45s',
    ...inputs
  }
  const result = await runAction(given, { clock: systemClock })
  const exchanges = [
    ...recorder.exchanges.slice(recorded),
    ...eks.mock
      .calls()
      .slice(mocked)
      .map(call => {
        const command = call.args[0] as { constructor: { name: string }; input: object }
        return {
          service: 'eks',
          region: given['aws-region'] ?? REGION,
          operation: command.constructor.name.replace(/Command$/, ''),
          params: command.input as Record<string, unknown>,
          status: 200,
          answer: '{}'
        }
      })
  ]
  const authorisations = exchanges.flatMap(authorisationsOf)
  const verdicts = await simulateEverywhere(authorisations, policiesForRun(given))
  expect(verdicts.filter(verdict => !verdict.allowed).map(describeDenial)).toEqual([])
  if (given['cloud-services-auth'] === 'pod-identity') judged.push(...authorisations)
  return result
}

const created = () => eks.mock.commandCalls(CreatePodIdentityAssociationCommand)
const updated = () => eks.mock.commandCalls(UpdatePodIdentityAssociationCommand)

async function serviceAccountAnnotations(namespace: string) {
  const api = await kubeApi(cluster.adminKubeconfig)
  try {
    const account = await api.request(
      'GET',
      `/api/v1/namespaces/${namespace}/serviceaccounts/cloudaeye-metrics-agent`
    )
    return account.metadata.annotations ?? {}
  } finally {
    api.close()
  }
}

describe('pod-identity', () => {
  it('makes the role, associates the ServiceAccount with it, and re-runs without a call that changes anything', async () => {
    const result = await run({ namespace: 'pi-fresh' })
    expect(result.log).not.toContain('::error::')
    expect(result.failed).toBe(false)
    expect(result.outputs['role-arn']).toBe(ROLE_ARN)

    const { Role } = await iam().send(new GetRoleCommand({ RoleName: ROLE }))
    expect(Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
    )
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement).toEqual([
      {
        Sid: 'TheAgentServiceAccountOfOneCluster',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '123456789012',
            'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
            'aws:RequestTag/kubernetes-namespace': 'pi-fresh',
            'aws:RequestTag/kubernetes-service-account': 'cloudaeye-metrics-agent'
          }
        }
      }
    ])
    expect(created().map(call => call.args[0].input)).toEqual([
      {
        clusterName: 'prod',
        namespace: 'pi-fresh',
        serviceAccount: 'cloudaeye-metrics-agent',
        roleArn: ROLE_ARN,
        clientRequestToken: expect.stringMatching(/^metrics-agent-action-/)
      }
    ])
    expect(result.summary).toContain('Pod Identity association')
    // The chart adds nothing for Pod Identity: no annotation, no AWS key in the Secret.
    expect(await serviceAccountAnnotations('pi-fresh')).not.toHaveProperty(
      'eks.amazonaws.com/role-arn'
    )

    const again = await run({ namespace: 'pi-fresh' })
    expect(again.failed).toBe(false)
    expect(again.outputs['changed']).toBe('false')
    expect(again.calls.filter(call => !/:(Describe|List|Get)/.test(call))).toEqual([])
    expect(created()).toHaveLength(1)
  }, 120_000)

  it('three clusters in two regions: a role and an association each, re-runs create nothing', async () => {
    const clusters = Object.entries(CLUSTER_REGIONS).map(([name, region]) => ({
      cluster: name,
      'aws-region': region,
      namespace: `pi-${name}`,
      'agent-name': `agent-${name}`
    }))
    for (const inputs of clusters) {
      const result = await run(inputs)
      expect(result.log).not.toContain('::error::')
      expect(result.failed).toBe(false)
    }
    const roles = (await iam().send(new ListRolesCommand({}))).Roles!
    expect(roles.map(role => role.RoleName).sort()).toEqual([
      'CloudAEye-agent-prod@prod.us-east-1',
      'CloudAEye-agent-west-a@west-a.eu-west-1',
      'CloudAEye-agent-west-b@west-b.eu-west-1'
    ])
    for (const inputs of clusters) {
      const name = `CloudAEye-${inputs['agent-name']}@${inputs.cluster}.${inputs['aws-region']}`
      const { Role } = await iam().send(new GetRoleCommand({ RoleName: name }))
      const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))
      expect(trust.Statement[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toBe(
        `arn:aws:eks:${inputs['aws-region']}:123456789012:cluster/${inputs.cluster}`
      )
      expect(associations.filter(a => a.clusterName === inputs.cluster)).toEqual([
        expect.objectContaining({ namespace: inputs.namespace, roleArn: Role!.Arn })
      ])
    }
    expect((await iam().send(new ListUsersCommand({}))).Users).toEqual([])
    for (const inputs of clusters) {
      const again = await run(inputs)
      expect(again.outputs['changed']).toBe('false')
      expect(again.calls.filter(call => !/:(Describe|List|Get)/.test(call))).toEqual([])
    }
    expect(created()).toHaveLength(3)
  }, 180_000)

  it('points an association of the ServiceAccount at the agent role, and follows a move of namespace', async () => {
    associations.push({
      associationId: 'a-0',
      clusterName: 'prod',
      namespace: 'pi-repoint',
      serviceAccount: 'cloudaeye-metrics-agent',
      roleArn: 'arn:aws:iam::123456789012:role/someone-elses'
    })
    const result = await run({ namespace: 'pi-repoint' })
    expect(result.failed).toBe(false)
    expect(updated().map(call => call.args[0].input)).toEqual([
      { clusterName: 'prod', associationId: 'a-0', roleArn: ROLE_ARN }
    ])
    expect(created()).toEqual([])

    // The agent moves to another namespace (its release there anew): the role follows it.
    await execute(REAL_HELM_4, [
      'uninstall',
      'cloudaeye-metrics-agent',
      '--namespace',
      'pi-repoint',
      '--wait',
      '--kubeconfig',
      cluster.adminKubeconfig
    ])
    const moved = await run({ namespace: 'pi-moved' })
    expect(moved.failed).toBe(false)
    expect(moved.log).toContain(`IAM role ${ROLE}: brought back trust policy.`)
    expect(created().map(call => call.args[0].input.namespace)).toEqual(['pi-moved'])
  }, 120_000)

  it('settles the association a racing run created first', async () => {
    eks.mock.on(CreatePodIdentityAssociationCommand).callsFakeOnce(input => {
      associations.push({
        associationId: 'a-race',
        clusterName: input.clusterName,
        namespace: input.namespace,
        serviceAccount: input.serviceAccount,
        roleArn: input.roleArn
      })
      throw new EKSServiceException({
        name: 'ResourceInUseException',
        message: 'Association already exists',
        $fault: 'client',
        $metadata: { httpStatusCode: 409 }
      })
    })
    const result = await run({ namespace: 'pi-race' })
    expect(result.failed).toBe(false)
    expect(associations.map(a => a.associationId)).toEqual(['a-race'])
    expect(updated()).toEqual([])
  }, 120_000)

  it('without the Pod Identity agent, fails with the fix before creating anything', async () => {
    eks.restore()
    fakeEks({ addon: 'missing' })
    const result = await run({ namespace: 'pi-missing' })
    expect(result.failed).toBe(true)
    expect(result.log).toContain(
      'aws eks create-addon --cluster-name prod --addon-name eks-pod-identity-agent --region us-east-1'
    )
    expect(result.log).toContain('cloud-services-auth: irsa, which needs no add-on')
    const roles = await iam().send(new ListRolesCommand({}))
    expect(roles.Roles?.filter(role => role.RoleName?.startsWith('CloudAEye'))).toEqual([])
    expect(created()).toEqual([])
  }, 120_000)

  it('on EKS Auto Mode, which has the agent built in, does not look for the add-on', async () => {
    eks.restore()
    fakeEks({ addon: 'missing', autoMode: true })
    const result = await run({ namespace: 'pi-auto' })
    expect(result.failed).toBe(false)
    expect(eks.mock.commandCalls(DescribeAddonCommand)).toEqual([])
    expect(created()).toHaveLength(1)
  }, 120_000)

  it("moving off a key deletes it once the agent runs with the role: the seed's, then the cluster user's", async () => {
    const seedKey = await installWithSeedKey({
      kubeconfig: cluster.adminKubeconfig,
      namespace: 'pi-move',
      cluster: 'prod'
    })
    const fromSeed = await run({ namespace: 'pi-move' })
    expect(fromSeed.failed).toBe(false)
    expect(fromSeed.log).toContain(`Deleted access key ${seedKey.AccessKeyId}`)
    const seedKeys = await iam().send(new ListAccessKeysCommand({ UserName: SEED_USER }))
    expect(seedKeys.AccessKeyMetadata).toEqual([])

    const keyed = await run({ namespace: 'pi-move', 'cloud-services-auth': 'access-key' })
    expect(keyed.failed).toBe(false)
    const back = await run({ namespace: 'pi-move' })
    expect(back.failed).toBe(false)
    expect(back.log).toContain(`Deleted access key ${keyed.outputs['access-key-id']}`)
    const keys = await iam().send(
      new ListAccessKeysCommand({ UserName: 'CloudAEye@prod.us-east-1' })
    )
    expect(keys.AccessKeyMetadata).toEqual([])
  }, 120_000)
})

describe('permissions/eks-cloud-services-pod-identity.json', () => {
  // Reads what the runs above were judged on, so it runs last and needs the whole file.
  it('has no statement, action or resource entry that no call needed', async () => {
    const verdicts = await simulateEverywhere(judged, POLICIES)
    const used = new Set(verdicts.flatMap(verdict => verdict.grants))
    const offered = grantsOffered([policyFile('permissions/eks-cloud-services-pod-identity.json')])
    expect(compareGrants(offered, used)).toEqual({ unused: [], staleExcuses: [] })
  })
})
