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
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
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
import type { Step } from '../plan/step.js'
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

/** An identity as observed before a plan: what IAM reports, with its agent policy, if any. */
export interface ObservedIdentity extends Found {
  policy?: string
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
  /** Deletes the identity, with what IAM requires gone first: its agent policy, a user's keys. */
  delete(iam: IAMClient, name: string): Promise<void>
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
  },
  async delete(iam, name) {
    await ignoreMissing(
      iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: AGENT_POLICY_NAME }))
    )
    await iam.send(new DeleteRoleCommand({ RoleName: name }))
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
  },
  async delete(iam, name) {
    // IAM refuses to delete a user that still has keys; the agent's keys go with its user.
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: name }))
    for (const key of keys.AccessKeyMetadata ?? []) {
      await ignoreMissing(
        iam.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: key.AccessKeyId }))
      )
    }
    await ignoreMissing(
      iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: AGENT_POLICY_NAME }))
    )
    await iam.send(new DeleteUserCommand({ UserName: name }))
  }
}

async function ignoreMissing(request: Promise<unknown>): Promise<void> {
  try {
    await request
  } catch (error) {
    if (!isMissing(error)) throw error
  }
}

/** The identity and its agent policy, or undefined when there is none of that name. */
export async function findAgentIdentity(
  iam: IAMClient,
  kind: IdentityKind,
  name: string
): Promise<ObservedIdentity | undefined> {
  try {
    const found = await find(iam, kind, name)
    if (!found) return undefined
    const policy = await kind.getPolicy(iam, name).catch(error => {
      if (isMissing(error)) return undefined
      throw error
    })
    return { ...found, policy }
  } catch (error) {
    throw explainAwsFailure(error, `IAM ${kind.noun} ${name}`)
  }
}

/** What a deploy does to the identity; refuses one the action did not make or that lost its cap. */
export interface IdentityPlan {
  step: Step
  /** The fields to bring back, for an update. */
  drift: Drift
}

interface Drift {
  trust: boolean
  policy: boolean
  tags: Tag[]
}

export function planAgentIdentity(
  kind: IdentityKind,
  observed: ObservedIdentity | undefined,
  spec: IdentitySpec
): IdentityPlan {
  const resource = `IAM ${kind.noun}`
  const none: Drift = { trust: false, policy: false, tags: [] }
  if (!observed) {
    return { step: { resource, id: spec.name, action: 'create', reason: 'missing' }, drift: none }
  }
  checkOwnedAndCapped(kind, observed, spec)
  const drift: Drift = {
    trust: spec.trust !== undefined && !samePolicyDocument(observed.trust, spec.trust),
    policy: !samePolicyDocument(observed.policy, desiredPolicyDocument()),
    tags: asTags(spec.tags).filter(
      ({ Key, Value }) => observed.tags.find(tag => tag.Key === Key)?.Value !== Value
    )
  }
  const changes = [
    ...(drift.trust ? [{ field: 'trust policy', after: 'the agent only' }] : []),
    ...(drift.policy ? [{ field: AGENT_POLICY_NAME, after: 'CloudWatch read' }] : []),
    ...drift.tags.map(tag => ({
      field: `tag ${tag.Key}`,
      before: observed.tags.find(found => found.Key === tag.Key)?.Value,
      after: tag.Value
    }))
  ]
  const step: Step =
    changes.length > 0
      ? { resource, id: spec.name, action: 'update', reason: 'drifted', changes }
      : { resource, id: spec.name, action: 'keep', reason: 'as it should be' }
  return { step, drift }
}

/** The identity as `spec` describes it, making only the calls that something differs calls for. */
export async function ensureAgentIdentity(
  iam: IAMClient,
  kind: IdentityKind,
  spec: IdentitySpec
): Promise<SettledIdentity> {
  const observed = await findAgentIdentity(iam, kind, spec.name)
  return applyAgentIdentity(iam, kind, spec, observed, planAgentIdentity(kind, observed, spec))
}

/** Carries out the plan; a racing run that created the identity first is settled instead. */
export async function applyAgentIdentity(
  iam: IAMClient,
  kind: IdentityKind,
  spec: IdentitySpec,
  observed: ObservedIdentity | undefined,
  plan: IdentityPlan
): Promise<SettledIdentity> {
  const what = `IAM ${kind.noun} ${spec.name}`
  try {
    if (!observed) {
      const created = await create(iam, kind, spec)
      if (created) return created
      const raced = await findAgentIdentity(iam, kind, spec.name)
      if (!raced) throw new ActionError(`${what} vanished while it was being created.`)
      return await settle(iam, kind, raced, spec, planAgentIdentity(kind, raced, spec).drift)
    }
    return await settle(iam, kind, observed, spec, plan.drift)
  } catch (error) {
    throw explainAwsFailure(error, what)
  }
}

/** What remove does to the identity: only one the action made is deleted. */
export function planAgentIdentityRemoval(
  kind: IdentityKind,
  name: string,
  observed: ObservedIdentity | undefined
): Step {
  const resource = `IAM ${kind.noun}`
  if (!observed) return { resource, id: name, action: 'keep', reason: 'absent' }
  if (!madeByAction(observed)) {
    return { resource, id: name, action: 'keep', reason: "not tagged as the action's" }
  }
  return { resource, id: name, action: 'delete', reason: 'made by the action' }
}

/**
 * Deletes an identity the action made, after its policy (and a user's keys); `absent` when it is
 * already gone. The caller has planned it: `step.action` is `delete`.
 */
export async function removeAgentIdentity(
  iam: IAMClient,
  kind: IdentityKind,
  name: string
): Promise<'deleted' | 'absent'> {
  try {
    await kind.delete(iam, name)
    return 'deleted'
  } catch (error) {
    if (isMissing(error)) return 'absent'
    throw explainAwsFailure(error, `IAM ${kind.noun} ${name}`)
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

const madeByAction = (found: Found) =>
  found.tags.find(tag => tag.Key === MANAGED_BY_TAG)?.Value === MANAGED_BY

function checkOwnedAndCapped(kind: IdentityKind, found: Found, spec: IdentitySpec): void {
  const boundary = boundaryArnFor(spec.partition)
  if (!madeByAction(found)) {
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
        `Restore it: aws iam put-${kind.noun}-permissions-boundary --${kind.noun}-name ` +
        `${spec.name} --permissions-boundary ${boundary}`
    )
  }
}

async function settle(
  iam: IAMClient,
  kind: IdentityKind,
  found: Found,
  spec: IdentitySpec,
  drift: Drift
): Promise<SettledIdentity> {
  const { name } = spec
  checkOwnedAndCapped(kind, found, spec)
  const changes: string[] = []
  if (drift.trust) {
    await kind.updateTrust(iam, name, JSON.stringify(spec.trust))
    changes.push('trust policy')
  }
  if (drift.policy) {
    await kind.putPolicy(iam, name, JSON.stringify(desiredPolicyDocument()))
    changes.push('CloudWatch read policy')
  }
  if (drift.tags.length > 0) {
    await kind.tag(iam, name, drift.tags)
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
