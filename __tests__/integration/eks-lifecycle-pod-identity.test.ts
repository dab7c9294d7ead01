/**
 * The agent's whole lifecycle on EKS with cloud services by Pod Identity, from one plan: a plan on
 * an empty account and cluster shows every create (role, association, namespace, release) and
 * changes nothing; deploy; a plan shows no change; a plan after an image change shows exactly that
 * change; remove deletes this cluster's association and role, and keeps another cluster's and a
 * Secret the user put in the action's namespace (so that namespace stays too); a second remove
 * finds everything absent or kept.
 *
 * No emulator has Pod Identity associations or EKS add-ons, so every EKS call is answered by
 * aws-sdk-client-mock from below the SDK's middleware, by a small fake of the EKS API (its
 * DescribeCluster names the real control plane, as EKS would); IAM, STS and Logs are the
 * emulator's, and the agent goes to the real control plane with the real helm 4, as the cluster's
 * deployer, admitted by EKS token authentication. Every plan runs as a deployer holding only the
 * plan policies' actions under the emulator's IAM enforcement, and writes nothing to Kubernetes but
 * server-side dry runs, as the API server's audit log shows. Every call of every run, the stubbed
 * ones included, is judged against the policies of its mode with resources and conditions in every
 * partition, and every entry of the pod-identity plan and remove policies must have allowed one of
 * them. No run shows a secret.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSServiceException,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
  type CreatePodIdentityAssociationCommandInput
} from '@aws-sdk/client-eks'
import { CreateRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam'
import type { ActionResult } from '../support/action-harness.js'
import { GrantLedger, compareGrants } from '../support/aws-actions.js'
import type { AwsExchange } from '../support/aws-request-recorder.js'
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
import { grantsOffered, policyFile } from '../support/policy-simulation.js'
import { mockEksBelowMiddleware } from '../unit/aws-below-middleware.js'

const CLUSTER = 'life'
const NAMESPACE = 'life-pi'
const SERVICE_ACCOUNT = 'cloudaeye-metrics-agent'
const API_KEY = 'cak_lifecycle_pod_identity_3d81'
const USER_SECRET_VALUE = 'users_own_note_in_the_namespace_7f1e'
const ACCOUNT = '123456789012'
/** The agent role the action makes for this cluster, and one it made for another cluster. */
const ROLE = `CloudAEye@${CLUSTER}.${REGION}`
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`
const OTHER_ROLE = `CloudAEye@other.${REGION}`
const PLAN_POLICY = 'permissions/eks-cloud-services-pod-identity-plan.json'
const REMOVE_POLICY = 'permissions/eks-cloud-services-pod-identity-remove.json'

const lifecycle = useLifecycleCluster(CLUSTER)
const { kubectl } = lifecycle
let eks: ReturnType<typeof mockEksBelowMiddleware>
const iam = () => new IAMClient({ region: REGION })
/** What allowed the calls of the plan runs and of the remove runs. */
const ledgers = { plan: new GrantLedger(), remove: new GrantLedger() }

interface Association {
  associationId: string
  clusterName: string
  namespace: string
  serviceAccount: string
  roleArn: string
}
let associations: Association[]

beforeEach(() => {
  fakeEks()
})

afterEach(() => {
  eks.restore()
})

const notFound = (message: string) =>
  new EKSServiceException({
    name: 'ResourceNotFoundException',
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: 404 }
  })

/**
 * The cluster (its endpoint and CA those of the real control plane, as EKS describes a cluster),
 * the Pod Identity agent's add-on, and the associations EKS keeps, as the EKS API reference has
 * them: one association per ServiceAccount, found by cluster, namespace and ServiceAccount.
 */
function fakeEks() {
  eks = mockEksBelowMiddleware()
  associations = []
  eks.mock.on(DescribeClusterCommand).callsFake(input => {
    if (input.name !== CLUSTER) throw notFound(`No cluster found for name: ${input.name}.`)
    return {
      cluster: {
        name: CLUSTER,
        arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
        status: 'ACTIVE',
        endpoint: lifecycle.cluster.plane.server,
        certificateAuthority: { data: lifecycle.cluster.plane.caData }
      }
    }
  })
  eks.mock.on(DescribeAddonCommand).resolves({
    addon: { addonName: 'eks-pod-identity-agent', clusterName: CLUSTER, status: 'ACTIVE' }
  })
  eks.mock.on(ListPodIdentityAssociationsCommand).callsFake(input => ({
    associations: associations
      .filter(
        a =>
          a.clusterName === input.clusterName &&
          a.namespace === input.namespace &&
          a.serviceAccount === input.serviceAccount
      )
      .map(({ roleArn: _, ...summary }) => summary)
  }))
  const find = (clusterName?: string, associationId?: string) => {
    const found = associations.find(
      a => a.clusterName === clusterName && a.associationId === associationId
    )
    if (!found) throw notFound(`No association ${associationId} in cluster ${clusterName}`)
    return found
  }
  eks.mock.on(DescribePodIdentityAssociationCommand).callsFake(input => ({
    association: { ...find(input.clusterName, input.associationId) }
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
    const association = find(input.clusterName, input.associationId)
    association.roleArn = input.roleArn ?? association.roleArn
    return { association }
  })
  eks.mock.on(DeletePodIdentityAssociationCommand).callsFake(input => {
    const association = find(input.clusterName, input.associationId)
    associations = associations.filter(a => a !== association)
    return { association }
  })
}

/** The stub's calls since the `from`th, as the exchanges a recorder would have kept. */
function stubbedExchanges(from: number): AwsExchange[] {
  return eks.mock
    .calls()
    .slice(from)
    .map(call => {
      const command = call.args[0] as { constructor: { name: string }; input: object }
      return {
        service: 'eks',
        region: REGION,
        operation: command.constructor.name.replace(/Command$/, ''),
        params: command.input as Record<string, unknown>,
        status: 200,
        answer: '{}'
      }
    })
}

/** What plan mode may not change: the namespaces, the Secrets and releases in the agent's. */
const clusterState = () => lifecycle.clusterState(NAMESPACE)

/** What IAM and EKS hold of the agent identities: plan mode may change none of it. */
async function awsState() {
  const roles = (await iam().send(new ListRolesCommand({}))).Roles ?? []
  return {
    roles: roles.map(role => role.RoleName).sort(),
    associations: structuredClone(associations)
  }
}

/** One run as the cluster's deployer, with `extra` inputs, every call judged for its mode. */
async function run(extra: Record<string, string> = {}): Promise<ActionResult> {
  const stubbed = eks.mock.calls().length
  const result = await lifecycle.run(
    {
      namespace: NAMESPACE,
      'cloudaeye-api-key': API_KEY,
      'enable-cloud-services': 'true',
      'cloud-services-auth': 'pod-identity',
      ...extra
    },
    () => stubbedExchanges(stubbed)
  )
  const ledger = extra.mode === 'plan' || extra.mode === 'remove' ? ledgers[extra.mode] : null
  if (ledger) for (const grant of result.grants) ledger.used.add(grant)
  return result
}

/** A plan as a deployer holding only the plan policies' actions (see eks-lifecycle.ts). */
const planAsPlanner = (extra: Record<string, string> = {}) =>
  lifecycle.planAsPlanner(PLAN_POLICY, () => run({ mode: 'plan', ...extra }))

/** The mutating calls the stub answered: the action's call log cannot see them any other way. */
const stubbedMutations = (from: number) =>
  stubbedExchanges(from)
    .map(exchange => exchange.operation)
    .filter(operation => !/^(Describe|List|Get)/.test(operation))

async function roleExists(name: string): Promise<boolean> {
  return iam()
    .send(new GetRoleCommand({ RoleName: name }))
    .then(
      () => true,
      () => false
    )
}

describe('the lifecycle with cloud services by pod-identity', () => {
  it('plans every create, deploys, plans nothing, plans one image change, removes twice', async () => {
    const runs: ActionResult[] = []
    // Another cluster's agent role, made by the action, and its association: never this
    // cluster's to remove.
    const other = await iam().send(
      new CreateRoleCommand({
        RoleName: OTHER_ROLE,
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        PermissionsBoundary: BOUNDARY,
        Tags: OWNED
      })
    )
    const otherAssociation: Association = {
      associationId: 'a-other',
      clusterName: 'other',
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      roleArn: other.Role!.Arn!
    }
    associations.push({ ...otherAssociation })
    const before = { cluster: await clusterState(), aws: await awsState() }

    // (1) A plan on an empty account and cluster: every create, nothing changed.
    let stubbed = eks.mock.calls().length
    const first = await planAsPlanner()
    runs.push(first)
    expect(errorLine(first)).toBe('')
    expect(first.mutatingCalls).toEqual([])
    expect(stubbedMutations(stubbed)).toEqual([])
    expect(first.kube.writes).toEqual([])
    expect(first.kube.dryRuns).toBeGreaterThan(0)
    expect(first.outputs['changed']).toBe('true')
    const planned = planOf(first)
    expect(changes(planned).map(step => [step.action, step.resource, step.id])).toEqual([
      ['create', 'IAM role', ROLE],
      ['create', 'Pod Identity association', `${NAMESPACE}/${SERVICE_ACCOUNT}`],
      ['create', 'Namespace', NAMESPACE],
      ['create', 'Helm release', `${NAMESPACE}/cloudaeye-metrics-agent`]
    ])
    expect(first.summary).toContain('plan mode: nothing was changed')
    expect(first.summary).toContain('The API server accepted the')
    expect({ cluster: await clusterState(), aws: await awsState() }).toEqual(before)

    // (2) Deploy: the role, its association, the namespace and the release; its writes show in
    // the audit log, as a plan's would.
    await lifecycle.audit.next()
    const deployed = await run()
    runs.push(deployed)
    expect(deployerRequests(await lifecycle.audit.next()).writes.length).toBeGreaterThan(0)
    expect(errorLine(deployed)).toBe('')
    expect(deployed.outputs['helm-revision']).toBe('1')
    expect(deployed.outputs['role-arn']).toBe(ROLE_ARN)
    expect(associations).toEqual([
      otherAssociation,
      {
        associationId: expect.any(String),
        clusterName: CLUSTER,
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        roleArn: ROLE_ARN
      }
    ])
    // A Secret of the user's own in the namespace the action made.
    await kubectl(
      'create',
      'secret',
      'generic',
      'users-own-note',
      '--namespace',
      NAMESPACE,
      `--from-literal=note=${USER_SECRET_VALUE}`
    )

    // (3) A plan right after: no change, and none made.
    const deployedState = { cluster: await clusterState(), aws: await awsState() }
    stubbed = eks.mock.calls().length
    const unchanged = await planAsPlanner()
    runs.push(unchanged)
    expect(errorLine(unchanged)).toBe('')
    expect(unchanged.mutatingCalls).toEqual([])
    expect(stubbedMutations(stubbed)).toEqual([])
    expect(unchanged.kube).toEqual({ reads: expect.any(Number), dryRuns: 0, writes: [] })
    expect(unchanged.kube.reads).toBeGreaterThan(0)
    expect(unchanged.outputs['changed']).toBe('false')
    expect(changes(planOf(unchanged))).toEqual([])
    expect(planOf(unchanged).find(step => step.resource === 'Pod Identity association')).toEqual(
      expect.objectContaining({ action: 'keep', reason: 'names the agent role' })
    )

    // (4) A plan after an image change: exactly that change, as the release values' diff.
    const newer = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.1'
    stubbed = eks.mock.calls().length
    const imageChange = await planAsPlanner({ 'agent-image': newer })
    runs.push(imageChange)
    expect(errorLine(imageChange)).toBe('')
    expect(imageChange.mutatingCalls).toEqual([])
    expect(stubbedMutations(stubbed)).toEqual([])
    expect(imageChange.kube.writes).toEqual([])
    expect(imageChange.kube.dryRuns).toBeGreaterThan(0)
    expect(changes(planOf(imageChange))).toEqual([
      {
        resource: 'Helm release',
        id: `${NAMESPACE}/cloudaeye-metrics-agent`,
        action: 'update',
        reason: 'values changed',
        changes: [{ field: 'image', before: JSON.stringify(IMAGE), after: JSON.stringify(newer) }]
      }
    ])
    expect(imageChange.log).toContain(`image: "${IMAGE}" → "${newer}"`)
    expect({ cluster: await clusterState(), aws: await awsState() }).toEqual(deployedState)

    // (5) Remove: this cluster's release, association and role; the user's Secret stays, and
    // with it the action's namespace; the other cluster's role and association stay.
    const removed = await run({ mode: 'remove' })
    runs.push(removed)
    expect(errorLine(removed)).toBe('')
    expect(removed.log).toContain(`Helm release ${NAMESPACE}/cloudaeye-metrics-agent: deleted`)
    expect(removed.log).toMatch(/Pod Identity association a-\d+: deleted/)
    expect(removed.log).toContain(`IAM role ${ROLE}: deleted`)
    expect(removed.log).toContain(
      `Namespace ${NAMESPACE}: kept (the action's, but not empty: Secret/users-own-note)`
    )
    expect(await helmReleases(lifecycle.cluster.adminKubeconfig, NAMESPACE)).toEqual([])
    expect(
      (await secretData(lifecycle.cluster.adminKubeconfig, NAMESPACE, 'users-own-note'))['note']
    ).toBe(USER_SECRET_VALUE)
    expect(await roleExists(ROLE)).toBe(false)
    expect(await roleExists(OTHER_ROLE)).toBe(true)
    expect(associations).toEqual([otherAssociation])
    expect(removed.outputs['changed']).toBe('true')

    // (6) Remove again: nothing to do; each resource absent, or kept with why.
    stubbed = eks.mock.calls().length
    const again = await run({ mode: 'remove' })
    runs.push(again)
    expect(errorLine(again)).toBe('')
    expect(again.mutatingCalls).toEqual([])
    expect(stubbedMutations(stubbed)).toEqual([])
    expect(again.outputs['changed']).toBe('false')
    expect(changes(planOf(again))).toEqual([])
    expect(again.log).toContain(`Helm release ${NAMESPACE}/cloudaeye-metrics-agent: absent`)
    expect(again.log).toContain(`Pod Identity association ${NAMESPACE}/${SERVICE_ACCOUNT}: absent`)
    expect(again.log).toContain(`IAM role ${ROLE}: absent`)
    expect(again.log).toContain(
      `Namespace ${NAMESPACE}: kept (the action's, but not empty: Secret/users-own-note)`
    )
    expect(associations).toEqual([otherAssociation])

    for (const secret of [API_KEY, USER_SECRET_VALUE]) expect(visible(runs)).not.toContain(secret)
    ledgers.plan.scenarios.add('lifecycle')
    ledgers.remove.scenarios.add('lifecycle')
  }, 240_000)
})

describe('the pod-identity plan and remove policies grant exactly what the runs above needed', () => {
  // Reads the ledgers the lifecycle above filled, so it runs last and needs the whole file.
  it.each([
    ['plan', PLAN_POLICY],
    ['remove', REMOVE_POLICY]
  ] as const)('%s: %s has no entry that no call needed', (mode, file) => {
    expect([...ledgers[mode].scenarios]).toEqual(['lifecycle'])
    expect(compareGrants(grantsOffered([policyFile(file)]), ledgers[mode].used)).toEqual({
      unused: [],
      staleExcuses: []
    })
  })
})
