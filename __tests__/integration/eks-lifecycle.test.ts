/**
 * The agent's whole lifecycle on EKS, from one plan, against the emulator and a real control plane
 * with the real helm 4: without cloud services (the user's own Secret, in the user's namespace)
 * and with cloud services by access-key and irsa (the action's namespace). Each scenario: a plan
 * on an empty account and cluster shows every create and changes nothing; deploy; a plan shows no
 * change; a plan after an image change shows exactly that change; remove leaves nothing the action
 * made and keeps what it did not (the user's Secret and namespace, another cluster's identity, the
 * OIDC provider); a second remove finds everything absent. Every plan runs as a deployer holding
 * only the plan policies' actions under the emulator's IAM enforcement, with its calls judged
 * against the plan policies, and leaves the cluster as it was: the API server's audit log shows
 * that it wrote nothing to Kubernetes but server-side dry runs. No run shows a secret.
 */
import { describe, expect, it } from '@jest/globals'
import {
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand
} from '@aws-sdk/client-iam'
import type { ActionResult } from '../support/action-harness.js'
import { helmReleases, secretData } from '../support/agent-in-cluster.js'
import {
  BOUNDARY,
  IMAGE,
  OWNED,
  changes,
  deployerRequests,
  errorLine,
  planOf,
  useLifecycleCluster,
  visible
} from '../support/eks-lifecycle.js'
import { REGION } from '../support/moto.js'

const CLUSTER = 'life'
const API_KEY = 'cak_lifecycle_4e7a91'
const USER_SECRET_KEY = 'cak_users_own_secret_5b02'
/** The agent identity the action makes for this cluster, and one of another cluster. */
const IDENTITY = `CloudAEye@${CLUSTER}.${REGION}`
const OTHER_IDENTITY = `CloudAEye@other.${REGION}`

const lifecycle = useLifecycleCluster(CLUSTER)
const { kubectl, clusterState } = lifecycle
const iam = () => new IAMClient({ region: REGION })

/** The namespace as the admin sees it: its action label, or undefined when there is none. */
async function namespaceLabel(name: string): Promise<string | undefined | 'absent'> {
  const found = (
    JSON.parse(await kubectl('get', 'namespaces', '--output', 'json')) as {
      items: { metadata: { name: string; labels?: Record<string, string> } }[]
    }
  ).items.find(item => item.metadata.name === name)
  return found ? found.metadata.labels?.['app.kubernetes.io/managed-by'] : 'absent'
}

interface Scenario {
  name: string
  inputs: Record<string, string>
  /** The cloud-services plan policy, or none without cloud services. */
  planPolicy?: string
  /** The user's own namespace and Secret (existing-secret). */
  usersSecret?: boolean
}

const SCENARIOS: Scenario[] = [
  {
    name: 'without cloud services, with the user Secret',
    inputs: { 'existing-secret': 'users-own-key', namespace: 'life-plain' },
    usersSecret: true
  },
  {
    name: 'with cloud services by access-key',
    inputs: {
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'access-key',
      'cloudaeye-api-key': API_KEY,
      namespace: 'life-key'
    },
    planPolicy: 'permissions/eks-cloud-services-access-key-plan.json'
  },
  {
    name: 'with cloud services by irsa',
    inputs: {
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'irsa',
      'cloudaeye-api-key': API_KEY,
      namespace: 'life-irsa'
    },
    planPolicy: 'permissions/eks-cloud-services-irsa-plan.json'
  }
]

/** One run as the cluster's deployer, with `extra` inputs, its AWS calls judged. */
const run = (scenario: Scenario, extra: Record<string, string> = {}) =>
  lifecycle.run({ ...scenario.inputs, ...extra })

/** A plan as a deployer holding only the plan policies' actions (see eks-lifecycle.ts). */
const planAsPlanner = (scenario: Scenario, extra: Record<string, string> = {}) =>
  lifecycle.planAsPlanner(scenario.planPolicy, () => run(scenario, { mode: 'plan', ...extra }))

describe.each(SCENARIOS)('the lifecycle $name', scenario => {
  it('plans every create, deploys, plans nothing, plans one image change, removes twice', async () => {
    const namespace = scenario.inputs.namespace
    const runs: ActionResult[] = []
    if (scenario.usersSecret) {
      await kubectl('create', 'namespace', namespace)
      await kubectl(
        'create',
        'secret',
        'generic',
        'users-own-key',
        '--namespace',
        namespace,
        `--from-literal=api-key=${USER_SECRET_KEY}`
      )
    }
    // Another cluster's agent identity, made by the action: never this cluster's to remove.
    if (scenario.inputs['cloud-services-auth'] === 'access-key') {
      await iam().send(
        new CreateUserCommand({
          UserName: OTHER_IDENTITY,
          PermissionsBoundary: BOUNDARY,
          Tags: OWNED
        })
      )
    } else if (scenario.planPolicy) {
      await iam().send(
        new CreateRoleCommand({
          RoleName: OTHER_IDENTITY,
          AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
          PermissionsBoundary: BOUNDARY,
          Tags: OWNED
        })
      )
    }
    const before = await clusterState(namespace)

    // (1) A plan on an empty account and cluster: every create, no change made.
    const first = await planAsPlanner(scenario)
    runs.push(first)
    expect(errorLine(first)).toBe('')
    expect(first.judged).toBe(true)
    expect(first.mutatingCalls).toEqual([])
    expect(first.kube.writes).toEqual([])
    expect(first.kube.dryRuns).toBeGreaterThan(0)
    expect(first.outputs['changed']).toBe('true')
    const planned = planOf(first)
    const created = planned.filter(step => step.action === 'create').map(step => step.resource)
    expect(created).toEqual(
      expect.arrayContaining([
        'Helm release',
        ...(scenario.usersSecret ? [] : ['Namespace']),
        ...(scenario.inputs['cloud-services-auth'] === 'access-key'
          ? ['IAM user', 'Access key']
          : []),
        ...(scenario.inputs['cloud-services-auth'] === 'irsa'
          ? ['IAM OIDC provider', 'IAM role']
          : [])
      ])
    )
    expect(changes(planned).every(step => step.action === 'create')).toBe(true)
    expect(first.summary).toContain('plan mode: nothing was changed')
    expect(first.summary).toContain('The API server accepted the')
    expect(await clusterState(namespace)).toBe(before)
    expect(scenario.planPolicy ? await identityExists() : false).toBe(false)

    // (2) Deploy: its writes show in the audit log, as a plan's would.
    await lifecycle.audit.next()
    const deployed = await run(scenario)
    runs.push(deployed)
    expect(deployerRequests(await lifecycle.audit.next()).writes.length).toBeGreaterThan(0)
    expect(errorLine(deployed)).toBe('')
    expect(deployed.outputs['helm-revision']).toBe('1')
    expect(await namespaceLabel(namespace)).toBe(
      scenario.usersSecret ? undefined : 'metrics-agent-action'
    )

    // (3) A plan right after: no change.
    const unchanged = await planAsPlanner(scenario)
    runs.push(unchanged)
    expect(errorLine(unchanged)).toBe('')
    expect(unchanged.mutatingCalls).toEqual([])
    expect(unchanged.kube).toEqual({ reads: expect.any(Number), dryRuns: 0, writes: [] })
    expect(unchanged.kube.reads).toBeGreaterThan(0)
    expect(unchanged.outputs['changed']).toBe('false')
    expect(changes(planOf(unchanged))).toEqual([])

    // (4) A plan after an image change: exactly that change, as the release values' diff.
    const newer = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.1'
    const imageChange = await planAsPlanner(scenario, { 'agent-image': newer })
    runs.push(imageChange)
    expect(errorLine(imageChange)).toBe('')
    expect(imageChange.mutatingCalls).toEqual([])
    expect(imageChange.kube.writes).toEqual([])
    expect(imageChange.kube.dryRuns).toBeGreaterThan(0)
    expect(changes(planOf(imageChange))).toEqual([
      {
        resource: 'Helm release',
        id: `${namespace}/cloudaeye-metrics-agent`,
        action: 'update',
        reason: 'values changed',
        changes: [{ field: 'image', before: JSON.stringify(IMAGE), after: JSON.stringify(newer) }]
      }
    ])
    expect(imageChange.log).toContain(`image: "${IMAGE}" → "${newer}"`)
    expect((await helmReleases(lifecycle.cluster.adminKubeconfig, namespace))[0]).toMatchObject({
      revision: '1'
    })

    const secrets = [API_KEY, USER_SECRET_KEY]
    if (scenario.inputs['cloud-services-auth'] === 'access-key') {
      const held = await secretData(
        lifecycle.cluster.adminKubeconfig,
        namespace,
        'cloudaeye-metrics-agent'
      )
      secrets.push(held['aws-secret-access-key'])
    }

    // (5) Remove: nothing the action made is left; what it did not make stays.
    const removed = await run(scenario, { mode: 'remove' })
    runs.push(removed)
    expect(errorLine(removed)).toBe('')
    expect(removed.log).toContain(`Helm release ${namespace}/cloudaeye-metrics-agent: deleted`)
    expect(await helmReleases(lifecycle.cluster.adminKubeconfig, namespace)).toEqual([])
    if (scenario.usersSecret) {
      expect(removed.log).toContain(
        `Secret ${namespace}/users-own-key: kept (the user's (existing-secret))`
      )
      expect(removed.log).toContain(`Namespace ${namespace}: kept (not labelled as the action's)`)
      expect(
        (await secretData(lifecycle.cluster.adminKubeconfig, namespace, 'users-own-key'))['api-key']
      ).toBe(USER_SECRET_KEY)
    } else {
      expect(removed.log).toContain(`Namespace ${namespace}: deleted`)
      await kubectl('wait', '--for=delete', `namespace/${namespace}`, '--timeout=60s')
      expect(await namespaceLabel(namespace)).toBe('absent')
    }
    if (scenario.planPolicy) {
      expect(await identityExists()).toBe(false)
      expect(await identityExists(OTHER_IDENTITY)).toBe(true)
    }
    if (scenario.inputs['cloud-services-auth'] === 'irsa') {
      expect(removed.summary).toContain('other roles and tools of the account may trust it')
      const providers = await iam().send(new ListOpenIDConnectProvidersCommand({}))
      expect(providers.OpenIDConnectProviderList).toHaveLength(1)
    }

    // (6) Remove again: nothing to do, everything absent or kept.
    const again = await run(scenario, { mode: 'remove' })
    runs.push(again)
    expect(errorLine(again)).toBe('')
    expect(again.mutatingCalls).toEqual([])
    expect(again.outputs['changed']).toBe('false')
    expect(again.log).toContain(`Helm release ${namespace}/cloudaeye-metrics-agent: absent`)
    expect(changes(planOf(again))).toEqual([])

    for (const secret of secrets.filter(Boolean)) expect(visible(runs)).not.toContain(secret)
  }, 240_000)

  /** Whether this cluster's agent identity (or `name`) is in IAM. */
  async function identityExists(name = IDENTITY): Promise<boolean> {
    const get =
      scenario.inputs['cloud-services-auth'] === 'access-key'
        ? iam().send(new GetUserCommand({ UserName: name }))
        : iam().send(new GetRoleCommand({ RoleName: name }))
    return get.then(
      () => true,
      () => false
    )
  }
})
