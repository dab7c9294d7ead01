/**
 * What the EKS lifecycle suites (integration/eks-lifecycle*.test.ts) share: one cluster for the
 * whole file, with the API server's audit log; runs as the cluster's deployer with the real helm 4,
 * every AWS call judged against the policies shipped for the run's mode; plans as a deployer
 * holding only the plan policies' actions under the emulator's IAM enforcement, with what they
 * asked of Kubernetes; and how the tests read a run: its plan, its error, what a reader of the job
 * sees.
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient
} from '@aws-sdk/client-iam'
import { systemClock } from '../../src/poll.js'
import type { Step } from '../../src/plan/step.js'
import { runAction, type ActionResult } from './action-harness.js'
import { helmReleases } from './agent-in-cluster.js'
import type { AwsExchange } from './aws-request-recorder.js'
import { DEPLOYER, startEksTestCluster, type EksTestCluster } from './eks-test-cluster.js'
import { actionsOnly, policyStatements } from './iam-policies.js'
import { auditReader, isDryRun, isWrite, type AuditEvent } from './kube-audit.js'
import { nodeSpecs } from './kube-nodes.js'
import { REGION, enforceIam, resetMoto, useMotoEnvironment } from './moto.js'
import type { Grant } from './policy-simulation.js'
import { REAL_HELM_4 } from './real-helm.js'
import { checkAgainstShippedPolicies } from './shipped-policy-check.js'

const execute = promisify(execFile)
const iam = () => new IAMClient({ region: REGION })

/** The agent image every run deploys, unless a run names another. */
export const IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0'
/** The permissions boundary and tags the action gives the agent identities it makes. */
export const BOUNDARY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
export const OWNED = [
  { Key: 'cloudaeye:agent', Value: 'cloudaeye-metrics-agent' },
  { Key: 'cloudaeye:managed-by', Value: 'metrics-agent-action' }
]

/** A run that the shipped policies of its mode allowed, with the entries that allowed it. */
export type JudgedRun = ActionResult & { judged: true; grants: Grant[] }

export interface LifecycleCluster {
  /** The cluster, started before the file's first test. */
  readonly cluster: EksTestCluster
  /** Its API server's audit log, one run at a time. */
  readonly audit: ReturnType<typeof auditReader>
  /** kubectl as the cluster's admin; its stdout. */
  kubectl(...args: string[]): Promise<string>
  /** What plan mode may not change: the namespaces, the Secrets and releases in `namespace`. */
  clusterState(namespace: string): Promise<string>
  /**
   * One run as the cluster's deployer with `inputs` over the lifecycle's own (cluster, endpoint,
   * image, wait), judged against the policies shipped for its mode: a denial throws.
   * `answeredElsewhere`, read after the run, are its calls a stub answered (see
   * shipped-policy-check.ts).
   */
  run(inputs: Record<string, string>, answeredElsewhere?: () => AwsExchange[]): Promise<JudgedRun>
  /**
   * `plan` (a plan run) as a deployer holding only the actions of permissions/eks.json and
   * `planPolicy`, IAM enforced; with what it asked of Kubernetes, as the audit log has it.
   */
  planAsPlanner<R extends ActionResult>(
    planPolicy: string | undefined,
    plan: () => Promise<R>
  ): Promise<R & { kube: DeployerRequests }>
}

/**
 * Starts the cluster `name` for the calling suite file (beforeAll) and stops it (afterAll); before
 * each test, resets the emulator, registers the cluster again and gives the run a fresh
 * RUNNER_TEMP. Call it at the top of the file, before the file's own hooks.
 */
export function useLifecycleCluster(name: string): LifecycleCluster {
  const originalPath = process.env.PATH
  let cluster: EksTestCluster
  let audit: ReturnType<typeof auditReader>
  let work: string

  beforeAll(async () => {
    useMotoEnvironment()
    work = await mkdtemp(path.join(os.tmpdir(), 'eks-lifecycle-'))
    cluster = await startEksTestCluster({
      name,
      nodes: nodeSpecs('node', 'healthy', 2),
      auditLog: true
    })
    audit = auditReader(cluster.plane)
  }, 120_000)

  afterAll(async () => {
    process.env.PATH = originalPath
    await cluster?.stop()
    await rm(work, { recursive: true, force: true })
  })

  beforeEach(async () => {
    useMotoEnvironment()
    await resetMoto()
    await cluster.register()
    process.env.RUNNER_TEMP = await mkdtemp(path.join(work, 'temp-'))
  })

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await execute('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args])
    return stdout
  }

  async function run(
    extra: Record<string, string>,
    answeredElsewhere: () => AwsExchange[] = () => []
  ): Promise<JudgedRun> {
    const inputs: Record<string, string> = {
      platform: 'eks',
      cluster: name,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'agent-image': IMAGE,
      'wait-timeout': '45s',
      ...extra
    }
    const check = await checkAgainstShippedPolicies(cluster.environment())
    const saved = { ...process.env }
    Object.assign(process.env, check.environment, {
      PATH: `${path.dirname(REAL_HELM_4)}${path.delimiter}${originalPath}`
    })
    try {
      const result = await runAction(inputs, { clock: systemClock })
      const judged = await check.judge(inputs, result.log, answeredElsewhere())
      return { ...result, judged: true, grants: judged.grants }
    } finally {
      process.env = saved
      await check.close()
    }
  }

  return {
    get cluster() {
      return cluster
    },
    get audit() {
      return audit
    },
    kubectl,
    async clusterState(namespace) {
      const names = await kubectl('get', 'namespaces', '--output', 'name')
      const secrets = names.includes(`namespace/${namespace}`)
        ? await kubectl('get', 'secrets', '--namespace', namespace, '--output', 'name')
        : ''
      return [
        names,
        secrets,
        JSON.stringify(await helmReleases(cluster.adminKubeconfig, namespace))
      ]
        .join('\n')
        .replace(/^namespace\/(kube-|default).*$/gm, '')
    },
    run,
    async planAsPlanner(planPolicy, plan) {
      const statements = [
        ...policyStatements('permissions/eks.json'),
        ...(planPolicy ? policyStatements(planPolicy) : [])
      ]
      const created = await iam().send(
        new CreatePolicyCommand({
          PolicyName: `planner-${Date.now()}`,
          PolicyDocument: actionsOnly(statements)
        })
      )
      await iam().send(
        new AttachUserPolicyCommand({ UserName: DEPLOYER, PolicyArn: created.Policy!.Arn! })
      )
      await enforceIam(true)
      try {
        await audit.next()
        const result = await plan()
        return { ...result, kube: deployerRequests(await audit.next()) }
      } finally {
        await enforceIam(false)
        await iam().send(
          new DetachUserPolicyCommand({ UserName: DEPLOYER, PolicyArn: created.Policy!.Arn! })
        )
      }
    }
  }
}

export type DeployerRequests = ReturnType<typeof deployerRequests>

/** The Kubernetes requests of the action's identity (the deployer) among `events`. */
export function deployerRequests(events: AuditEvent[]) {
  const ours = events.filter(event => event.user.username === 'deployer')
  return {
    reads: ours.filter(event => !isWrite(event)).length,
    dryRuns: ours.filter(event => isWrite(event) && isDryRun(event)).length,
    writes: ours
      .filter(event => isWrite(event) && !isDryRun(event))
      .map(event => `${event.verb} ${event.requestURI}`)
  }
}

/** The run's plan output, as steps. */
export const planOf = (result: ActionResult) => JSON.parse(result.outputs['plan'] ?? '[]') as Step[]
/** The run's `::error::` message, or '' when it has none. */
export const errorLine = (result: ActionResult) => /^::error::(.*)$/m.exec(result.log)?.[1] ?? ''
/** The steps that change something. */
export const changes = (steps: Step[]) => steps.filter(step => step.action !== 'keep')

/** What a reader of the job sees of the runs: log (less mask commands), outputs, summary. */
export const visible = (results: ActionResult[]) =>
  results
    .map(result =>
      [
        result.log.replace(/^::add-mask::.*$/gm, ''),
        JSON.stringify(result.outputs),
        result.summary
      ].join('\n')
    )
    .join('\n')
