/**
 * The shipped IAM policies judged as AWS judges them: each authorisation a run needed (with its
 * resource ARN and condition context) is evaluated by an IAM policy simulator, in each partition
 * the policies must work in. The simulator (@cloud-copilot/iam-simulate, AGPL-3.0) is a test-only
 * dependency and never reaches dist/.
 */
import { readFileSync } from 'node:fs'
import { runSimulation, type RunSimulationResults } from '@cloud-copilot/iam-simulate'
import { ACCOUNT, type Authorisation } from './aws-authorisation.js'

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource: string | string[]
  Condition?: Record<string, Record<string, string | string[]>>
}

export interface PolicyFile {
  file: string
  document: { Version: string; Statement: PolicyStatement[] }
}

export function policyFile(file: string): PolicyFile {
  return {
    file,
    document: JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'))
  }
}

/**
 * The policies a run with these inputs needs, as the README gives them: on ECS with another
 * `agent-name`, the README's one edit, that name in place of the default family (and log group);
 * with cloud services and no task role of the user's, the task-role policy too. `mode: plan` and
 * `mode: remove` each need their own file only.
 */
export function policiesForRun(inputs: Record<string, string>): PolicyFile[] {
  if (inputs.platform === 'ecs') {
    // plan and remove each have one file, cloud services included.
    const mode = inputs.mode === 'plan' || inputs.mode === 'remove' ? inputs.mode : 'deploy'
    const ecs = policyFile(
      mode === 'deploy' ? 'permissions/ecs.json' : `permissions/ecs-${mode}.json`
    )
    const name = inputs['agent-name']
    const edited = name
      ? {
          file: ecs.file,
          document: JSON.parse(
            JSON.stringify(ecs.document)
              .replaceAll('task-definition/cloudaeye-metrics-agent:', `task-definition/${name}:`)
              .replaceAll('log-group:/ecs/cloudaeye-metrics-agent"', `log-group:/ecs/${name}"`)
          )
        }
      : ecs
    return [
      edited,
      ...(mode === 'deploy' &&
      inputs['enable-cloud-services'] === 'true' &&
      !inputs['task-role-arn']
        ? [policyFile('permissions/ecs-cloud-services.json')]
        : [])
    ]
  }
  // EKS: eks.json (read-only) in every mode; cloud services has a file per auth and mode.
  const suffix = inputs.mode === 'plan' || inputs.mode === 'remove' ? `-${inputs.mode}` : ''
  return [
    policyFile('permissions/eks.json'),
    ...(inputs['enable-cloud-services'] === 'true'
      ? [
          policyFile(
            `permissions/eks-cloud-services-${inputs['cloud-services-auth'] || 'irsa'}${suffix}.json`
          )
        ]
      : [])
  ]
}

export interface Partition {
  name: string
  /** A region of it, for the ARNs that carry one. */
  region: string
  /** Its service domain, in the hosts some resources are named by (EKS OIDC issuers). */
  dnsSuffix: string
}

export const PARTITIONS: Partition[] = [
  { name: 'aws', region: 'us-east-1', dnsSuffix: 'amazonaws.com' },
  { name: 'aws-cn', region: 'cn-north-1', dnsSuffix: 'amazonaws.com.cn' },
  { name: 'aws-us-gov', region: 'us-gov-west-1', dnsSuffix: 'amazonaws.com' }
]

/** Every ARN in the authorisation moved to the partition (and its region, where one is named). */
export function inPartition(authorisation: Authorisation, partition: Partition): Authorisation {
  const move = (value: string) =>
    value
      .replace(
        /arn:aws:([a-z0-9-]+):([a-z0-9-]*):/g,
        (_, service: string, region: string) =>
          `arn:${partition.name}:${service}:${region ? partition.region : ''}:`
      )
      // An EKS cluster's OIDC issuer, as the partition's clusters have it.
      .replace(
        /oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\//g,
        `oidc.eks.${partition.region}.${partition.dnsSuffix}/id/`
      )
  return {
    ...authorisation,
    resource: move(authorisation.resource),
    context: Object.fromEntries(
      Object.entries(authorisation.context).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.map(move) : move(value)
      ])
    )
  }
}

/** A statement's action or resource entry that allowed a request: `file Sid Action|Resource entry`. */
export type Grant = string

export interface Verdict {
  authorisation: Authorisation
  partition: string
  allowed: boolean
  /** What allowed it; empty when denied. */
  grants: Grant[]
  /** The simulator's refusal of the request itself (an unknown action, a bad ARN). */
  error?: string
}

interface StatementExplain {
  identifier?: string
  actions?: { action: string; matches: boolean } | { action: string; matches: boolean }[]
  resources?: { resource: string; matches: boolean } | { resource: string; matches: boolean }[]
}

interface Analysis {
  identityAnalysis?: { allowStatements?: { policyId: string; explain: StatementExplain }[] }
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

function grantsOf(result: RunSimulationResults): Grant[] {
  if (result.resultType === 'error') return []
  const analyses: Analysis[] =
    result.resultType === 'single'
      ? [result.result.analysis as Analysis]
      : result.results.map(one => one.analysis as Analysis)
  return analyses.flatMap(analysis =>
    (analysis.identityAnalysis?.allowStatements ?? []).flatMap(({ policyId, explain }) => [
      ...asList(explain.actions)
        .filter(entry => entry.matches)
        .map(entry => `${policyId} ${explain.identifier} Action ${entry.action}`),
      ...asList(explain.resources)
        .filter(entry => entry.matches)
        .map(entry => `${policyId} ${explain.identifier} Resource ${entry.resource}`)
    ])
  )
}

export async function simulate(
  authorisation: Authorisation,
  policies: PolicyFile[],
  partition: Partition = PARTITIONS[0]
): Promise<Verdict> {
  const request = inPartition(authorisation, partition)
  const result = await runSimulation(
    {
      request: {
        principal: `arn:${partition.name}:iam::${ACCOUNT}:user/deployer`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context
      },
      identityPolicies: policies.map(policy => ({ name: policy.file, policy: policy.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: []
    },
    {}
  )
  if (result.resultType === 'error') {
    return {
      authorisation: request,
      partition: partition.name,
      allowed: false,
      grants: [],
      error: JSON.stringify(result.errors)
    }
  }
  return {
    authorisation: request,
    partition: partition.name,
    allowed: result.overallResult === 'Allowed',
    grants: grantsOf(result)
  }
}

/** Every authorisation in every partition; the verdicts of all of them. */
export async function simulateEverywhere(
  authorisations: Authorisation[],
  policies: PolicyFile[]
): Promise<Verdict[]> {
  const unique = [...new Map(authorisations.map(a => [JSON.stringify(a), a])).values()]
  const verdicts: Verdict[] = []
  for (const partition of PARTITIONS) {
    for (const authorisation of unique) {
      verdicts.push(await simulate(authorisation, policies, partition))
    }
  }
  return verdicts
}

export function describeDenial(verdict: Verdict): string {
  const { action, resource, context, because } = verdict.authorisation
  return (
    `${verdict.partition}: ${action} on ${resource} (for ${because}) with ` +
    `${JSON.stringify(context)}${verdict.error ? `: ${verdict.error}` : ''}`
  )
}

/** Every action and resource entry of every Allow statement: what a run may be asked to justify. */
export function grantsOffered(policies: PolicyFile[]): Grant[] {
  return policies.flatMap(({ file, document }) =>
    document.Statement.filter(statement => statement.Effect === 'Allow').flatMap(statement => [
      ...asList(statement.Action).map(action => `${file} ${statement.Sid} Action ${action}`),
      ...asList(statement.Resource).map(resource => `${file} ${statement.Sid} Resource ${resource}`)
    ])
  )
}
