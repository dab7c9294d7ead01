/**
 * The agent's IAM identity of one cluster, a role (irsa, ECS task role) or a user (access-key):
 * found by its name, created when missing, brought back to the trust, policy and tags it should
 * have when it drifted. Every write is one the deploy policies allow only on an identity capped by
 * the CloudWatch read-only boundary, and one the action did not make is never touched.
 */
import { createHash } from 'node:crypto'
import * as core from '@actions/core'
import {
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Tag
} from '@aws-sdk/client-iam'
import { consoleLinks } from '../aws/console-links.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import { DEFAULT_AGENT_NAME, MANAGED_BY, MANAGED_BY_TAG } from '../inputs.js'
import type { Report } from '../report.js'
import { AGENT_POLICY_NAME, ROLE_PREFIX, boundaryArnFor } from './names.js'
import { desiredPolicyDocument, samePolicyDocument } from './policy-document.js'

/** IAM's limit on a role or user name. */
const MAX_NAME = 64
const DESCRIPTION = 'CloudAEye metrics agent: reads CloudWatch. Managed by metrics-agent-action.'

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
export function agentIdentityName(
  agentName: string,
  clusterName: string,
  region: string,
  platform: 'eks' | 'ecs' = 'eks'
): string {
  const agent = agentName === DEFAULT_AGENT_NAME ? '' : `-${agentName}`
  const onEcs = platform === 'ecs' ? '.ecs' : ''
  const full = `${ROLE_PREFIX}${agent}${onEcs}@${clusterName}.${region}`
  if (full.length <= MAX_NAME) return full
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 10)
  return `${full.slice(0, MAX_NAME - digest.length - 1)}-${digest}`
}

/** An identity as IAM reports it. */
interface Found {
  arn: string
  tags: Tag[]
  boundary?: string
  /** A role's trust policy, as IAM returns it (URL-encoded). */
  trust?: string
}

/** The calls that differ between roles and users. */
export interface IdentityKind {
  noun: 'role' | 'user'
  get(iam: IAMClient, name: string): Promise<Found | undefined>
  /** The new identity's ARN. */
  create(iam: IAMClient, spec: IdentitySpec): Promise<string>
  getPolicy(iam: IAMClient, name: string): Promise<string | undefined>
  putPolicy(iam: IAMClient, name: string, document: string): Promise<void>
  tag(iam: IAMClient, name: string, tags: Tag[]): Promise<void>
  updateTrust(iam: IAMClient, name: string, document: string): Promise<void>
}

export interface IdentitySpec {
  name: string
  tags: Record<string, string>
  partition: string
  /** A role's trust policy: who may become the agent. Users have none. */
  trust?: Record<string, unknown>
}

export interface SettledIdentity {
  name: string
  arn: string
  status: 'created' | 'updated' | 'unchanged'
  /** What was brought back, for the log. */
  changes: string[]
}

const asTags = (tags: Record<string, string>): Tag[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))

export const AGENT_ROLE: IdentityKind = {
  noun: 'role',
  async get(iam, name) {
    const role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role
    return (
      role && {
        arn: role.Arn ?? '',
        tags: role.Tags ?? [],
        boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
        trust: role.AssumeRolePolicyDocument
      }
    )
  },
  async create(iam, spec) {
    const answer = await iam.send(
      new CreateRoleCommand({
        RoleName: spec.name,
        AssumeRolePolicyDocument: JSON.stringify(spec.trust),
        PermissionsBoundary: boundaryArnFor(spec.partition),
        Description: DESCRIPTION,
        Tags: asTags(spec.tags)
      })
    )
    return answer.Role?.Arn ?? ''
  },
  async getPolicy(iam, name) {
    const answer = await iam.send(
      new GetRolePolicyCommand({ RoleName: name, PolicyName: AGENT_POLICY_NAME })
    )
    return answer.PolicyDocument
  },
  async putPolicy(iam, name, document) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: AGENT_POLICY_NAME,
        PolicyDocument: document
      })
    )
  },
  async tag(iam, name, tags) {
    await iam.send(new TagRoleCommand({ RoleName: name, Tags: tags }))
  },
  async updateTrust(iam, name, document) {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: document }))
  }
}

export const AGENT_USER: IdentityKind = {
  noun: 'user',
  async get(iam, name) {
    const user = (await iam.send(new GetUserCommand({ UserName: name }))).User
    return (
      user && {
        arn: user.Arn ?? '',
        tags: user.Tags ?? [],
        boundary: user.PermissionsBoundary?.PermissionsBoundaryArn
      }
    )
  },
  async create(iam, spec) {
    const answer = await iam.send(
      new CreateUserCommand({
        UserName: spec.name,
        PermissionsBoundary: boundaryArnFor(spec.partition),
        Tags: asTags(spec.tags)
      })
    )
    return answer.User?.Arn ?? ''
  },
  async getPolicy(iam, name) {
    const answer = await iam.send(
      new GetUserPolicyCommand({ UserName: name, PolicyName: AGENT_POLICY_NAME })
    )
    return answer.PolicyDocument
  },
  async putPolicy(iam, name, document) {
    await iam.send(
      new PutUserPolicyCommand({
        UserName: name,
        PolicyName: AGENT_POLICY_NAME,
        PolicyDocument: document
      })
    )
  },
  async tag(iam, name, tags) {
    await iam.send(new TagUserCommand({ UserName: name, Tags: tags }))
  },
  async updateTrust() {
    throw new Error('an IAM user has no trust policy')
  }
}

/** The identity as `spec` describes it, making only the calls that something differs calls for. */
export async function ensureAgentIdentity(
  iam: IAMClient,
  kind: IdentityKind,
  spec: IdentitySpec
): Promise<SettledIdentity> {
  const what = `IAM ${kind.noun} ${spec.name}`
  try {
    const existing = await find(iam, kind, spec.name)
    if (!existing) {
      const created = await create(iam, kind, spec)
      if (created) return created
    }
    const found = existing ?? (await find(iam, kind, spec.name))
    if (!found) throw new ActionError(`${what} vanished while it was being created.`)
    return await settle(iam, kind, found, spec)
  } catch (error) {
    throw explainAwsFailure(error, what)
  }
}

async function find(iam: IAMClient, kind: IdentityKind, name: string) {
  try {
    return await kind.get(iam, name)
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}

/** Undefined when a racing run created it first: the caller then settles theirs. */
async function create(
  iam: IAMClient,
  kind: IdentityKind,
  spec: IdentitySpec
): Promise<SettledIdentity | undefined> {
  let arn: string
  try {
    arn = await kind.create(iam, spec)
  } catch (error) {
    if (alreadyExists(error)) return undefined
    throw error
  }
  await kind.putPolicy(iam, spec.name, JSON.stringify(desiredPolicyDocument()))
  return { name: spec.name, arn, status: 'created', changes: [] }
}

async function settle(
  iam: IAMClient,
  kind: IdentityKind,
  found: Found,
  spec: IdentitySpec
): Promise<SettledIdentity> {
  const { name, partition } = spec
  const boundary = boundaryArnFor(partition)
  if (found.tags.find(tag => tag.Key === MANAGED_BY_TAG)?.Value !== MANAGED_BY) {
    throw new ActionError(
      `IAM ${kind.noun} ${found.arn} exists but was not made by this action (it has no tag ` +
        `${MANAGED_BY_TAG}=${MANAGED_BY}), so it is left alone. Rename or delete it, or give ` +
        'another agent-name.'
    )
  }
  if (found.boundary !== boundary) {
    throw new ActionError(
      `IAM ${kind.noun} ${found.arn} has lost its permissions boundary ${boundary}, which caps ` +
        'the agent at CloudWatch read; the deploy policy may change only a capped identity. ' +
        `Restore it: aws iam put-${kind.noun}-permissions-boundary --${kind.noun}-name ${name} ` +
        `--permissions-boundary ${boundary}`
    )
  }
  const changes: string[] = []
  if (spec.trust && !samePolicyDocument(found.trust, spec.trust)) {
    await kind.updateTrust(iam, name, JSON.stringify(spec.trust))
    changes.push('trust policy')
  }
  const policy = await kind.getPolicy(iam, name).catch(error => {
    if (isMissing(error)) return undefined
    throw error
  })
  if (!samePolicyDocument(policy, desiredPolicyDocument())) {
    await kind.putPolicy(iam, name, JSON.stringify(desiredPolicyDocument()))
    changes.push('CloudWatch read policy')
  }
  const drifted = Object.entries(spec.tags).filter(
    ([key, value]) => found.tags.find(tag => tag.Key === key)?.Value !== value
  )
  if (drifted.length > 0) {
    await kind.tag(iam, name, asTags(Object.fromEntries(drifted)))
    changes.push('tags')
  }
  return { name, arn: found.arn, status: changes.length ? 'updated' : 'unchanged', changes }
}

/** The identity's row in the summary, its output, and what a re-run brought back, in the log. */
export function recordAgentIdentity(
  report: Report,
  region: string,
  kind: IdentityKind,
  identity: SettledIdentity,
  note: string
): void {
  if (identity.changes.length > 0) {
    core.info(`IAM ${kind.noun} ${identity.name}: brought back ${identity.changes.join(', ')}.`)
  }
  const isRole = kind.noun === 'role'
  report.record({
    kind: `IAM ${kind.noun}`,
    id: identity.name,
    status: identity.status,
    note,
    link: isRole
      ? consoleLinks.iamRole(region, identity.name)
      : consoleLinks.iamUser(region, identity.name)
  })
  report.output(isRole ? 'role-arn' : 'iam-user-arn', identity.arn)
}
