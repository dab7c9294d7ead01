/**
 * The agent's IAM role of one cluster: found by its name, created when missing, brought back to
 * the trust, policy and tags it should have when it drifted. Every write is one that the deploy
 * policy allows only on a role capped by the CloudWatch read-only boundary.
 */
import { createHash } from 'node:crypto'
import * as core from '@actions/core'
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Role
} from '@aws-sdk/client-iam'
import { consoleLinks } from '../aws/console-links.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import { DEFAULT_AGENT_NAME, MANAGED_BY, MANAGED_BY_TAG } from '../inputs.js'
import type { Report } from '../report.js'
import { ROLE_POLICY_NAME, ROLE_PREFIX, boundaryArnFor } from './names.js'
import { desiredPolicyDocument, samePolicyDocument } from './policy-document.js'

/** IAM's limit on a role name. */
const MAX_ROLE_NAME = 64

const isMissing = (error: unknown) => /^NoSuchEntity(Exception)?$/.test(errorCode(error) ?? '')
const alreadyExists = (error: unknown) =>
  /^EntityAlreadyExists(Exception)?$/.test(errorCode(error) ?? '')

/**
 * `CloudAEye@<cluster>.<region>` on EKS and `CloudAEye.ecs@<cluster>.<region>` on ECS, with
 * `-<agent>` after the prefix for an agent not of the default name: IAM is global, so the region
 * is part of the name; the platform keeps an EKS and an ECS cluster of one name apart (an agent
 * name has no dot), and the agent name two agents of one cluster. A name over IAM's 64
 * characters keeps its start and ends in a digest of the whole, so it stays readable and unique.
 */
export function agentRoleName(
  agentName: string,
  clusterName: string,
  region: string,
  platform: 'eks' | 'ecs' = 'eks'
): string {
  const agent = agentName === DEFAULT_AGENT_NAME ? '' : `-${agentName}`
  const onEcs = platform === 'ecs' ? '.ecs' : ''
  const full = `${ROLE_PREFIX}${agent}${onEcs}@${clusterName}.${region}`
  if (full.length <= MAX_ROLE_NAME) return full
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 10)
  return `${full.slice(0, MAX_ROLE_NAME - digest.length - 1)}-${digest}`
}

export interface RoleSpec {
  name: string
  /** The trust policy the role must have: who may become the agent. */
  trust: Record<string, unknown>
  tags: Record<string, string>
  partition: string
}

export interface SettledRole {
  arn: string
  status: 'created' | 'updated' | 'unchanged'
  /** What was brought back, for the log. */
  changes: string[]
}

/** The role's row in the summary, its output, and what a re-run brought back, in the log. */
export function recordAgentRole(
  report: Report,
  region: string,
  role: SettledRole & { name: string },
  who: string
): void {
  if (role.changes.length > 0) {
    core.info(`IAM role ${role.name}: brought back ${role.changes.join(', ')}.`)
  }
  report.record({
    kind: 'IAM role',
    id: role.name,
    status: role.status,
    note: `only ${who} may assume it`,
    link: consoleLinks.iamRole(region, role.name)
  })
  report.output('role-arn', role.arn)
}

/** The role as `spec` describes it, making only the calls that something differs calls for. */
export async function ensureAgentRole(iam: IAMClient, spec: RoleSpec): Promise<SettledRole> {
  const existing = await getRole(iam, spec.name)
  if (!existing) {
    const created = await createRole(iam, spec)
    if (created) return created
  }
  const role = existing ?? (await getRole(iam, spec.name))
  if (!role) throw new ActionError(`IAM role ${spec.name} vanished while it was being created.`)
  return await settleRole(iam, role, spec)
}

async function getRole(iam: IAMClient, name: string): Promise<Role | undefined> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role
  } catch (error) {
    if (isMissing(error)) return undefined
    throw explainAwsFailure(error, `IAM role ${name}`)
  }
}

/** Undefined when a racing run created the role first: the caller then settles theirs. */
async function createRole(iam: IAMClient, spec: RoleSpec): Promise<SettledRole | undefined> {
  let arn: string | undefined
  try {
    const answer = await iam.send(
      new CreateRoleCommand({
        RoleName: spec.name,
        AssumeRolePolicyDocument: JSON.stringify(spec.trust),
        PermissionsBoundary: boundaryArnFor(spec.partition),
        Description: 'CloudAEye metrics agent: reads CloudWatch. Managed by metrics-agent-action.',
        Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }))
      })
    )
    arn = answer.Role?.Arn
  } catch (error) {
    if (alreadyExists(error)) return undefined
    throw explainAwsFailure(error, `IAM role ${spec.name}`)
  }
  await putPolicy(iam, spec.name)
  return { arn: arn ?? '', status: 'created', changes: [] }
}

async function settleRole(iam: IAMClient, role: Role, spec: RoleSpec): Promise<SettledRole> {
  const name = spec.name
  if (role.Tags?.find(tag => tag.Key === MANAGED_BY_TAG)?.Value !== MANAGED_BY) {
    throw new ActionError(
      `IAM role ${role.Arn} exists but was not made by this action (it has no tag ` +
        `${MANAGED_BY_TAG}=${MANAGED_BY}), so it is left alone. Rename or delete it, or give ` +
        'another agent-name.'
    )
  }
  if (role.PermissionsBoundary?.PermissionsBoundaryArn !== boundaryArnFor(spec.partition)) {
    throw new ActionError(
      `IAM role ${role.Arn} has lost its permissions boundary ${boundaryArnFor(spec.partition)}, ` +
        'which caps the agent at CloudWatch read; the deploy policy may change only a capped ' +
        `role. Restore it: aws iam put-role-permissions-boundary --role-name ${name} ` +
        `--permissions-boundary ${boundaryArnFor(spec.partition)}`
    )
  }
  const changes: string[] = []
  try {
    if (!samePolicyDocument(role.AssumeRolePolicyDocument, spec.trust)) {
      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: name,
          PolicyDocument: JSON.stringify(spec.trust)
        })
      )
      changes.push('trust policy')
    }
    if (!(await hasDesiredPolicy(iam, name))) {
      await putPolicy(iam, name)
      changes.push('CloudWatch read policy')
    }
    const tags = Object.entries(spec.tags).filter(
      ([key, value]) => role.Tags?.find(tag => tag.Key === key)?.Value !== value
    )
    if (tags.length > 0) {
      await iam.send(
        new TagRoleCommand({
          RoleName: name,
          Tags: tags.map(([Key, Value]) => ({ Key, Value }))
        })
      )
      changes.push('tags')
    }
  } catch (error) {
    throw explainAwsFailure(error, `IAM role ${name}`)
  }
  return { arn: role.Arn ?? '', status: changes.length ? 'updated' : 'unchanged', changes }
}

async function hasDesiredPolicy(iam: IAMClient, name: string): Promise<boolean> {
  try {
    const answer = await iam.send(
      new GetRolePolicyCommand({ RoleName: name, PolicyName: ROLE_POLICY_NAME })
    )
    return samePolicyDocument(answer.PolicyDocument, desiredPolicyDocument())
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

async function putPolicy(iam: IAMClient, name: string): Promise<void> {
  try {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: ROLE_POLICY_NAME,
        PolicyDocument: JSON.stringify(desiredPolicyDocument())
      })
    )
  } catch (error) {
    throw explainAwsFailure(error, `the CloudWatch read policy of IAM role ${name}`)
  }
}
