/**
 * permissions/eks.json with eks-cloud-services-irsa.json or eks-cloud-services-access-key.json,
 * and the plan and remove files of both, proven twice. Against the emulator with IAM enforced, the
 * bundle, run as the cluster's deployer user holding only the policies' actions, deploys to a real
 * control plane with the real helm, re-runs, brings back an edited identity, moves an agent off an
 * older key and cleans up after a failed helm; it plans on an empty account and on a deployed one,
 * and removes twice. And every call of every run is judged with its resources and conditions in
 * every partition by the policy simulation the bundle helper applies to all runs; every entry of
 * the policies must have allowed something. The cluster admits the deployer through EKS token
 * authentication, whose GetCallerIdentity needs no permission. (The pod-identity plan and remove
 * files are proven the same way in integration/eks-lifecycle-pod-identity.test.ts: no emulator
 * has Pod Identity, so its EKS calls are answered by a stub in the process that runs the action.)
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListUserPoliciesCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  UntagUserCommand,
  UpdateAssumeRolePolicyCommand
} from '@aws-sdk/client-iam'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { GrantLedger, compareGrants } from '../support/aws-actions.js'
import { helmReleases, secretData } from '../support/agent-in-cluster.js'
import { runBundle, type BundleResult } from '../support/bundle.js'
import {
  CALLER_ARN,
  DEPLOYER,
  startEksTestCluster,
  type EksTestCluster
} from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import { REGION, enforceIam, resetMoto, useMotoEnvironment } from '../support/moto.js'
import { actionsOnly, policyStatements } from '../support/iam-policies.js'
import { grantsOffered, policyFile } from '../support/policy-simulation.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import { RecordingHelm } from '../support/recording-helm.js'
import { SEED_USER, installWithSeedKey } from '../support/seed-install.js'
import { deliveredAwsSecrets, exposedSecrets } from '../support/secret-exposure.js'

const EKS = policyStatements('permissions/eks.json')
const CLOUD_SERVICES = policyStatements('permissions/eks-cloud-services-access-key.json')
const IRSA = policyStatements('permissions/eks-cloud-services-irsa.json')
const API_KEY = 'cak_least_privilege_eks_77c2'
/** The user access-key makes for the cluster `least`, named after each test's agent. */
const agentUser = () => `CloudAEye-agent-${namespace}@least.${REGION}`

const ledgers = {
  eks: new GrantLedger(),
  cloudServices: new GrantLedger(),
  irsa: new GrantLedger(),
  accessKeyPlan: new GrantLedger(),
  accessKeyRemove: new GrantLedger(),
  irsaPlan: new GrantLedger(),
  irsaRemove: new GrantLedger()
}
let cluster: EksTestCluster
let helm: RecordingHelm
let helmHome: string
let runs: BundleResult[]
/** Each test deploys a release of its own: the cluster outlives the emulator's resets. */
let namespace: string
let tests = 0
/** Policies made for the deployer: each needs a name of its own. */
let policies = 0

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({ name: 'least', nodes: nodeSpecs('healthy', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  await cluster?.stop()
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  helm = await RecordingHelm.create(REAL_HELM_4)
  helmHome = await mkdtemp(path.join(os.tmpdir(), 'least-helm-home-'))
  namespace = `least-${++tests}`
  cluster.authenticator.reviews.length = 0
  runs = []
})

afterEach(async () => {
  await enforceIam(false)
  // Every run of every scenario: neither the CloudAEye key nor a generated AWS secret shows.
  const secrets = [API_KEY, ...(await deliveredAwsSecrets(helm))]
  expect(exposedSecrets(runs, secrets, await helm.calls())).toEqual([])
  await helm.remove()
  await rm(helmHome, { recursive: true, force: true })
})

async function run(
  environment: Record<string, string>,
  overrides: Record<string, string> = {}
): Promise<BundleResult> {
  const result = await runBundle(
    {
      platform: 'eks',
      cluster: 'least',
      namespace,
      'agent-name': `agent-${namespace}`,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': API_KEY,
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'access-key',
      ...overrides
    },
    {
      ...environment,
      ...helm.environment(helmHome)
    }
  )
  runs.push(result)
  return result
}

function expectSuccess(result: BundleResult): void {
  expect(result.stdout).not.toContain('::error::')
  expect(result.exitCode).toBe(0)
}

/**
 * Gives the cluster's deployer user (the identity the cluster admits) `policy` and nothing else;
 * returns the environment that runs as that user. IAM enforcement is not turned on here.
 */
async function deployerWith(policy: string): Promise<Record<string, string>> {
  const iam = new IAMClient({ region: REGION })
  try {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: `${DEPLOYER}-policy`, PolicyDocument: policy })
    )
    await iam.send(
      new AttachUserPolicyCommand({ UserName: DEPLOYER, PolicyArn: created.Policy!.Arn! })
    )
  } finally {
    iam.destroy()
  }
  return cluster.environment()
}

/** The deployer holding both policies' actions; IAM enforcement is on from here. */
async function cloudServicesDeployer(): Promise<Record<string, string>> {
  const asDeployer = await deployerWith(actionsOnly([...EKS, ...CLOUD_SERVICES]))
  await enforceIam(true)
  return asDeployer
}

/** The release as the cluster's admin lists it, and the key in the agent's Secret. */
async function deployed() {
  const [release] = await helmReleases(cluster.adminKubeconfig, namespace)
  const secret = release
    ? await secretData(cluster.adminKubeconfig, namespace, `agent-${namespace}`)
    : {}
  return { release, accessKeyId: secret['aws-access-key-id'] }
}

const iam = () => new IAMClient({ region: REGION })
const BOUNDARY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'

/** The agent user's permissions boundary and inline policy, read as the emulator's admin. */
async function agentUserAsIamHasIt() {
  await enforceIam(false)
  const { User } = await iam().send(new GetUserCommand({ UserName: agentUser() }))
  const names = await iam().send(new ListUserPoliciesCommand({ UserName: agentUser() }))
  return {
    boundary: User?.PermissionsBoundary?.PermissionsBoundaryArn,
    policies: names.PolicyNames
  }
}

describe('permissions/eks.json is enough without cloud services', () => {
  it('installs the agent with eks:DescribeCluster alone', async () => {
    const asDeployer = await deployerWith(actionsOnly(EKS))
    await enforceIam(true)

    const result = await run(asDeployer, { 'enable-cloud-services': 'false' })
    expectSuccess(result)
    expect((await deployed()).release).toMatchObject({ revision: '1', status: 'deployed' })
    // The cluster admitted the run as the deployer whose permissions were under test.
    expect(
      cluster.authenticator.reviews.some(
        review => review.authenticated && review.arn === CALLER_ARN
      )
    ).toBe(true)
    ledgers.eks.record('install', result)
  })
})

describe('permissions/eks.json + eks-cloud-services-access-key.json are enough, with IAM enforced', () => {
  it("deploys with the cluster's own user, re-runs unchanged, and upgrades", async () => {
    const asDeployer = await cloudServicesDeployer()

    const fresh = await run(asDeployer)
    expectSuccess(fresh)
    expect(fresh.outputs['iam-user-arn']).toBe(`arn:aws:iam::123456789012:user/${agentUser()}`)

    const rerun = await run(asDeployer)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['access-key-id']).toBe(fresh.outputs['access-key-id'])

    const upgrade = await run(asDeployer, {
      'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'
    })
    expectSuccess(upgrade)
    expect(upgrade.outputs['changed']).toBe('true')
    expect(upgrade.outputs['helm-revision']).toBe('2')
    expect(upgrade.outputs['access-key-id']).toBe(fresh.outputs['access-key-id'])
    const now = await deployed()
    expect(now.release).toMatchObject({ revision: '2', status: 'deployed' })
    expect(now.accessKeyId).toBe(fresh.outputs['access-key-id'])
    ledgers.cloudServices.record('fresh, re-run and upgrade', fresh, rerun, upgrade)
  }, 90_000)

  it('brings back a user whose policy and tags were edited', async () => {
    const first = await run(cluster.environment())
    expectSuccess(first)
    await iam().send(
      new DeleteUserPolicyCommand({ UserName: agentUser(), PolicyName: 'CloudAEyeCloudWatchRead' })
    )
    await iam().send(new UntagUserCommand({ UserName: agentUser(), TagKeys: ['cloudaeye:agent'] }))
    const asDeployer = await cloudServicesDeployer()

    const result = await run(asDeployer)
    expectSuccess(result)
    expect(result.stdout).toContain(
      `IAM user ${agentUser()}: brought back CloudWatch read policy, tags.`
    )
    expect(await agentUserAsIamHasIt()).toEqual({
      boundary: BOUNDARY,
      policies: ['CloudAEyeCloudWatchRead']
    })
    ledgers.cloudServices.record('edited user', result)
  })

  it("moves an agent off the seed's shared user, deleting the key it held", async () => {
    const seedKey = await installWithSeedKey({
      kubeconfig: cluster.adminKubeconfig,
      namespace,
      cluster: 'least',
      release: `agent-${namespace}`
    })
    const asDeployer = await cloudServicesDeployer()

    const result = await run(asDeployer)
    expectSuccess(result)
    expect(result.stdout).toContain(`Deleted access key ${seedKey.AccessKeyId}`)
    expect((await deployed()).accessKeyId).toBe(result.outputs['access-key-id'])
    await enforceIam(false)
    const seedKeys = await iam().send(new ListAccessKeysCommand({ UserName: SEED_USER }))
    expect(seedKeys.AccessKeyMetadata).toEqual([])
    ledgers.cloudServices.record('move off the seed user', result)
  })

  it('deletes the key it made when helm fails', async () => {
    const asDeployer = await cloudServicesDeployer()

    // A label key Kubernetes does not allow: the API server refuses the DaemonSet, and helm fails
    // after the key was made and handed to it.
    const result = await run(asDeployer, { values: JSON.stringify({ podLabels: { '-x-': 'y' } }) })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::helm could not install release .*DaemonSet\.apps "agent-least-\d+" is invalid/m
    )
    const [upgrade] = (await helm.calls()).filter(call => call.command === 'upgrade')
    expect((await helm.received(upgrade.valuesFiles[0])).cloudServices).toBeDefined()
    await enforceIam(false)
    const keys = await iam().send(new ListAccessKeysCommand({ UserName: agentUser() }))
    expect(keys.AccessKeyMetadata).toEqual([])
    ledgers.cloudServices.record('helm fails after the key', result)
  })

  it('names the refused IAM action when the policy lacks one', async () => {
    const statements = CLOUD_SERVICES.map(statement => ({
      ...statement,
      Action: ([] as string[]).concat(statement.Action).filter(a => a !== 'iam:CreateAccessKey')
    }))
    const asDeployer = await deployerWith(actionsOnly([...EKS, ...statements]))
    await enforceIam(true)

    const result = await run(asDeployer)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/::error::AWS refused iam:CreateAccessKey/)
    // Refused before helm installed anything.
    expect(await helmReleases(cluster.adminKubeconfig, namespace)).toEqual([])
  })
})

describe('permissions/eks.json + eks-cloud-services-irsa.json are enough, with IAM enforced', () => {
  const irsa = { 'cloud-services-auth': 'irsa' }
  const irsaDeployer = async () => {
    const asDeployer = await deployerWith(actionsOnly([...EKS, ...IRSA]))
    await enforceIam(true)
    return asDeployer
  }
  const roleName = () => `CloudAEye-agent-${namespace}@least.${REGION}`

  it('registers the provider, makes the role, re-runs unchanged, and upgrades', async () => {
    const asDeployer = await irsaDeployer()

    const fresh = await run(asDeployer, irsa)
    expectSuccess(fresh)
    expect(fresh.outputs['role-arn']).toBe(`arn:aws:iam::123456789012:role/${roleName()}`)
    const rerun = await run(asDeployer, irsa)
    expectSuccess(rerun)
    expect(rerun.outputs['changed']).toBe('false')
    const upgrade = await run(asDeployer, {
      ...irsa,
      'agent-image': 'public.ecr.aws/cloudaeye/metrics-agent:1.1.0'
    })
    expectSuccess(upgrade)
    expect(upgrade.outputs['helm-revision']).toBe('2')
    ledgers.irsa.record('fresh, re-run and upgrade', fresh, rerun, upgrade)
  }, 90_000)

  it('brings back an edited role, and adds the audience to a provider registered without it', async () => {
    const first = await run(cluster.environment(), irsa)
    expectSuccess(first)
    const providers = await iam().send(new ListOpenIDConnectProvidersCommand({}))
    await iam().send(
      new RemoveClientIDFromOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: providers.OpenIDConnectProviderList![0].Arn,
        ClientID: 'sts.amazonaws.com'
      })
    )
    await iam().send(
      new DeleteRolePolicyCommand({
        RoleName: roleName(),
        PolicyName: 'CloudAEyeCloudWatchRead'
      })
    )
    await iam().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: roleName(),
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:root' },
              Action: 'sts:AssumeRole'
            }
          ]
        })
      })
    )
    const asDeployer = await irsaDeployer()

    const result = await run(asDeployer, irsa)
    expectSuccess(result)
    expect(result.stdout).toContain('brought back trust policy, CloudWatch read policy')
    expect(result.summary).toMatch(/IAM OIDC provider<\/td><td>[^<]*<\/td><td>updated/)
    ledgers.irsa.record('edited role and provider', result)
  }, 90_000)

  it("deletes the key an agent moved off: the seed user's, then its cluster user's", async () => {
    const seedKey = await installWithSeedKey({
      kubeconfig: cluster.adminKubeconfig,
      namespace,
      cluster: 'least',
      release: `agent-${namespace}`
    })
    const asDeployer = await irsaDeployer()
    const fromSeed = await run(asDeployer, irsa)
    expectSuccess(fromSeed)
    expect(fromSeed.stdout).toContain(`Deleted access key ${seedKey.AccessKeyId}`)

    await enforceIam(false)
    const keyed = await run(cluster.environment())
    expectSuccess(keyed)
    await enforceIam(true)
    const back = await run(asDeployer, irsa)
    expectSuccess(back)
    expect(back.stdout).toContain(`Deleted access key ${keyed.outputs['access-key-id']}`)
    await enforceIam(false)
    for (const user of [SEED_USER, agentUser()]) {
      const keys = await iam().send(new ListAccessKeysCommand({ UserName: user }))
      expect(keys.AccessKeyMetadata).toEqual([])
    }
    ledgers.irsa.record('moves off a key', fromSeed, back)
  }, 120_000)
})

/**
 * Gives the cluster's deployer user only the actions of eks.json and `file`, in place of what it
 * held; IAM enforcement is on from here. Returns the environment that runs as that user.
 */
async function deployerHolding(file: string): Promise<Record<string, string>> {
  await enforceIam(false)
  const attached = await iam().send(new ListAttachedUserPoliciesCommand({ UserName: DEPLOYER }))
  for (const policy of attached.AttachedPolicies ?? []) {
    await iam().send(
      new DetachUserPolicyCommand({ UserName: DEPLOYER, PolicyArn: policy.PolicyArn })
    )
  }
  const created = await iam().send(
    new CreatePolicyCommand({
      PolicyName: `${DEPLOYER}-${path.basename(file, '.json')}-${++policies}`,
      PolicyDocument: actionsOnly([...EKS, ...policyStatements(file)])
    })
  )
  await iam().send(
    new AttachUserPolicyCommand({ UserName: DEPLOYER, PolicyArn: created.Policy!.Arn! })
  )
  await enforceIam(true)
  return cluster.environment()
}

const planOf = (result: BundleResult) =>
  JSON.parse(result.outputs['plan'] ?? '[]') as { action: string; resource: string }[]
const changesOf = (result: BundleResult) =>
  planOf(result)
    .filter(step => step.action !== 'keep')
    .map(step => `${step.action} ${step.resource}`)
/** Every AWS call the run's IAM checks were for: what plan may call is only reads. */
const callsOf = (result: BundleResult) =>
  [...new Set(result.authorisations.map(authorisation => authorisation.because))].sort()
const READS = /^[a-z]+:(Describe|Get|List)[A-Za-z]*$/

describe.each([
  {
    auth: 'access-key',
    identity: 'IAM user',
    created: ['create IAM user', 'create Access key'],
    ledgers: () => ({ plan: ledgers.accessKeyPlan, remove: ledgers.accessKeyRemove })
  },
  {
    auth: 'irsa',
    identity: 'IAM role',
    created: ['create IAM OIDC provider', 'create IAM role'],
    ledgers: () => ({ plan: ledgers.irsaPlan, remove: ledgers.irsaRemove })
  }
])('the $auth plan and remove files are enough, with IAM enforced', scenario => {
  const mode = (name: 'plan' | 'remove') =>
    `permissions/eks-cloud-services-${scenario.auth}-${name}.json`
  const auth = { 'cloud-services-auth': scenario.auth }
  const identityName = () => `CloudAEye-agent-${namespace}@least.${REGION}`
  const identityExists = () =>
    (scenario.auth === 'irsa'
      ? iam().send(new GetRoleCommand({ RoleName: identityName() }))
      : iam().send(new GetUserCommand({ UserName: identityName() }))
    ).then(
      () => true,
      () => false
    )

  it('plans on an empty account and a deployed one, removes, and removes again', async () => {
    const planner = await deployerHolding(mode('plan'))
    const empty = await run(planner, { ...auth, mode: 'plan' })
    expectSuccess(empty)
    expect(empty.outputs['changed']).toBe('true')
    expect(changesOf(empty)).toEqual([
      ...scenario.created,
      'create Namespace',
      'create Helm release'
    ])
    expect(callsOf(empty).filter(call => !READS.test(call))).toEqual([])

    const deployer = await deployerHolding(`permissions/eks-cloud-services-${scenario.auth}.json`)
    const deploy = await run(deployer, auth)
    expectSuccess(deploy)

    const planned = await run(await deployerHolding(mode('plan')), { ...auth, mode: 'plan' })
    expectSuccess(planned)
    expect(planned.outputs['changed']).toBe('false')
    expect(changesOf(planned)).toEqual([])
    expect(callsOf(planned).filter(call => !READS.test(call))).toEqual([])

    const remover = await deployerHolding(mode('remove'))
    const removed = await run(remover, { ...auth, mode: 'remove' })
    expectSuccess(removed)
    expect(removed.outputs['changed']).toBe('true')
    expect(removed.stdout).toContain(`${scenario.identity} ${identityName()}: deleted`)
    const again = await run(remover, { ...auth, mode: 'remove' })
    expectSuccess(again)
    expect(again.outputs['changed']).toBe('false')
    expect(again.stdout).toContain(`${scenario.identity} ${identityName()}: absent`)
    expect(callsOf(again).filter(call => !READS.test(call))).toEqual([])

    await enforceIam(false)
    expect(await identityExists()).toBe(false)
    expect(await helmReleases(cluster.adminKubeconfig, namespace)).toEqual([])
    scenario.ledgers().plan.record('plan on an empty account and a deployed one', empty, planned)
    scenario.ledgers().remove.record('remove, and remove again', removed, again)
  }, 120_000)
})

describe('the EKS policies grant exactly what the runs above needed', () => {
  // Reads the ledgers the tests above filled, so it runs last and needs the whole file.
  it('eks.json: no statement, action or resource entry that no call needed', () => {
    expect([...ledgers.eks.scenarios]).toEqual(['install'])
    expect(
      compareGrants(grantsOffered([policyFile('permissions/eks.json')]), ledgers.eks.used)
    ).toEqual({ unused: [], staleExcuses: [] })
  })

  it('eks.json + eks-cloud-services-irsa.json: no entry that no call needed', () => {
    expect([...ledgers.irsa.scenarios]).toHaveLength(3)
    const offered = grantsOffered([
      policyFile('permissions/eks.json'),
      policyFile('permissions/eks-cloud-services-irsa.json')
    ])
    expect(compareGrants(offered, ledgers.irsa.used)).toEqual({ unused: [], staleExcuses: [] })
  })

  it.each([
    ['access-key', 'plan', () => ledgers.accessKeyPlan],
    ['access-key', 'remove', () => ledgers.accessKeyRemove],
    ['irsa', 'plan', () => ledgers.irsaPlan],
    ['irsa', 'remove', () => ledgers.irsaRemove]
  ] as const)(
    'eks-cloud-services-%s-%s.json: no entry that no call needed',
    (auth, mode, ledger) => {
      expect(ledger().scenarios.size).toBe(1)
      const offered = grantsOffered([
        policyFile(`permissions/eks-cloud-services-${auth}-${mode}.json`)
      ])
      expect(compareGrants(offered, ledger().used)).toEqual({ unused: [], staleExcuses: [] })
    }
  )

  it('eks.json + eks-cloud-services-access-key.json: no entry that no call needed', () => {
    expect([...ledgers.cloudServices.scenarios]).toHaveLength(4)
    const offered = grantsOffered([
      policyFile('permissions/eks.json'),
      policyFile('permissions/eks-cloud-services-access-key.json')
    ])
    expect(compareGrants(offered, ledgers.cloudServices.used)).toEqual({
      unused: [],
      staleExcuses: []
    })
  })
})
