/**
 * The agent's IAM user and policy when they exist outside CloudFormation: the script this action
 * replaces made them by hand, and a stack cannot take over resources that already exist. They are
 * then managed directly, to the same end state the stack would give.
 */
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListPolicyVersionsCommand,
  PutUserPermissionsBoundaryCommand,
  paginateListAttachedUserPolicies,
  type IAMClient,
  type Policy,
  type PolicyVersion,
  type User
} from '@aws-sdk/client-iam'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import { POLICY_NAME, USER_NAME, boundaryArnFor } from './names.js'
import {
  desiredPolicyDescription,
  desiredPolicyDocument,
  samePolicyDocument
} from './policy-document.js'

export interface FoundIdentity {
  user?: User
  policy?: Policy
}

export interface AdoptedIdentity {
  userArn: string
  policyArn: string
  /** `updated`: an existing user was given the agent's permissions boundary. */
  user: 'created' | 'updated' | 'reused'
  policy: 'created' | 'updated' | 'unchanged'
  /** True when AttachUserPolicy was called. */
  attached: boolean
}

/** IAM keeps at most this many versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5

const isMissing = (error: unknown) => /^NoSuchEntity(Exception)?$/.test(errorCode(error) ?? '')
const alreadyExists = (error: unknown) =>
  /^EntityAlreadyExists(Exception)?$/.test(errorCode(error) ?? '')

export function policyArnFor(accountId: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:policy/${POLICY_NAME}`
}

/** The user and policy by their fixed names; either is undefined when it does not exist. */
export async function findIdentity(
  iam: IAMClient,
  accountId: string,
  partition = 'aws'
): Promise<FoundIdentity> {
  const [user, policy] = await Promise.all([getUser(iam), getPolicy(iam, accountId, partition)])
  return { user, policy }
}

async function getUser(iam: IAMClient): Promise<User | undefined> {
  try {
    return (await iam.send(new GetUserCommand({ UserName: USER_NAME }))).User
  } catch (error) {
    if (isMissing(error)) return undefined
    throw explainAwsFailure(error, `IAM user ${USER_NAME}`)
  }
}

async function getPolicy(
  iam: IAMClient,
  accountId: string,
  partition: string
): Promise<Policy | undefined> {
  try {
    const arn = policyArnFor(accountId, partition)
    return (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy
  } catch (error) {
    if (isMissing(error)) return undefined
    throw explainAwsFailure(error, `IAM policy ${POLICY_NAME}`)
  }
}

/**
 * Creates what is missing, brings the policy's default version to the template's document and
 * attaches the policy to the user. A run that finds everything right changes nothing.
 */
export async function adoptIdentity(
  iam: IAMClient,
  accountId: string,
  found: FoundIdentity,
  tags: Record<string, string>,
  partition = 'aws'
): Promise<AdoptedIdentity> {
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
  const desired = desiredPolicyDocument()
  // The user and the policy do not depend on each other until the attachment.
  const [user, policy] = await Promise.all([
    settleUser(iam, found.user, tagList, boundaryArnFor(partition)),
    settlePolicy(iam, found.policy, desired, tagList, accountId, partition)
  ])
  const attachedArns = user.status === 'created' ? [] : await attachedPolicyArns(iam)
  let attached = false
  if (!attachedArns.includes(policy.arn)) {
    await attempt(`${POLICY_NAME} on user ${USER_NAME}`, () =>
      iam.send(new AttachUserPolicyCommand({ UserName: USER_NAME, PolicyArn: policy.arn }))
    )
    attached = true
  }
  return {
    userArn: user.arn,
    policyArn: policy.arn,
    user: user.status,
    policy: policy.status,
    attached
  }
}

type Tags = { Key: string; Value: string }[]

async function settleUser(
  iam: IAMClient,
  existing: User | undefined,
  tags: Tags,
  boundary: string
): Promise<{ arn: string; status: AdoptedIdentity['user'] }> {
  if (existing?.Arn)
    return { arn: existing.Arn, status: await settleBoundary(iam, existing, boundary) }
  try {
    const created = await iam.send(
      new CreateUserCommand({
        UserName: USER_NAME,
        PermissionsBoundary: boundary,
        Tags: tags.length ? tags : undefined
      })
    )
    return { arn: created.User?.Arn ?? '', status: 'created' }
  } catch (error) {
    // Another run made it between our look and our create: use theirs.
    if (alreadyExists(error)) {
      const user = await getUser(iam)
      if (user?.Arn) return { arn: user.Arn, status: await settleBoundary(iam, user, boundary) }
    }
    throw explainAwsFailure(error, `IAM user ${USER_NAME}`)
  }
}

/**
 * A user made by hand has no boundary, or another one: it gets the agent's, which the deploy
 * policy requires before it may attach the agent's policy to the user.
 */
async function settleBoundary(
  iam: IAMClient,
  user: User,
  boundary: string
): Promise<'updated' | 'reused'> {
  if (user.PermissionsBoundary?.PermissionsBoundaryArn === boundary) return 'reused'
  await attempt(`permissions boundary of IAM user ${USER_NAME}`, () =>
    iam.send(
      new PutUserPermissionsBoundaryCommand({ UserName: USER_NAME, PermissionsBoundary: boundary })
    )
  )
  return 'updated'
}

async function settlePolicy(
  iam: IAMClient,
  existing: Policy | undefined,
  desired: Record<string, unknown>,
  tags: Tags,
  accountId: string,
  partition: string
): Promise<{ arn: string; status: AdoptedIdentity['policy'] }> {
  let policy = existing
  if (!policy) {
    try {
      const created = await iam.send(
        new CreatePolicyCommand({
          PolicyName: POLICY_NAME,
          PolicyDocument: JSON.stringify(desired),
          Description: desiredPolicyDescription(),
          Tags: tags.length ? tags : undefined
        })
      )
      return { arn: created.Policy?.Arn ?? policyArnFor(accountId, partition), status: 'created' }
    } catch (error) {
      if (!alreadyExists(error)) throw explainAwsFailure(error, `IAM policy ${POLICY_NAME}`)
      // Made by a run racing this one: bring theirs up to date like any existing policy.
      policy = await getPolicy(iam, accountId, partition)
      if (!policy) throw explainAwsFailure(error, `IAM policy ${POLICY_NAME}`)
    }
  }
  const arn = policy.Arn ?? policyArnFor(accountId, partition)
  const updated = await bringPolicyUpToDate(iam, arn, policy.DefaultVersionId, desired)
  return { arn, status: updated ? 'updated' : 'unchanged' }
}

/** Makes the desired document the default version; false when it already was. */
async function bringPolicyUpToDate(
  iam: IAMClient,
  arn: string,
  defaultVersionId: string | undefined,
  desired: Record<string, unknown>
): Promise<boolean> {
  const what = `IAM policy ${POLICY_NAME}`
  let versions: PolicyVersion[] | undefined
  let defaultId = defaultVersionId
  if (!defaultId) {
    versions = await listVersions(iam, arn)
    defaultId = versions.find(version => version.IsDefaultVersion)?.VersionId
  }
  if (defaultId) {
    const current = await attempt(what, () =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: defaultId }))
    )
    if (samePolicyDocument(current.PolicyVersion?.Document, desired)) return false
  }
  versions ??= await listVersions(iam, arn)
  if (versions.length >= MAX_POLICY_VERSIONS) await deleteOldestVersion(iam, arn, versions)
  try {
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: JSON.stringify(desired),
        SetAsDefault: true
      })
    )
  } catch (error) {
    if (/^LimitExceeded(Exception)?$/.test(errorCode(error) ?? '')) {
      throw new ActionError(
        `Could not add a version to IAM policy ${POLICY_NAME}: it already has the most versions ` +
          `IAM allows (${MAX_POLICY_VERSIONS}), most likely because another run added one at the ` +
          `same time. Re-run the workflow, or delete a version that is not the default: ` +
          `aws iam delete-policy-version --policy-arn ${arn} --version-id <version>`,
        { cause: error }
      )
    }
    throw explainAwsFailure(error, what)
  }
  return true
}

async function listVersions(iam: IAMClient, arn: string): Promise<PolicyVersion[]> {
  const answer = await attempt(`IAM policy ${POLICY_NAME}`, () =>
    iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))
  )
  return answer.Versions ?? []
}

/** Room for one more version: the oldest that is not the default goes, as IAM requires. */
async function deleteOldestVersion(
  iam: IAMClient,
  arn: string,
  versions: PolicyVersion[]
): Promise<void> {
  const oldest = versions
    .filter(version => !version.IsDefaultVersion && version.VersionId)
    .sort(olderFirst)[0]
  if (!oldest?.VersionId) return
  try {
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId }))
  } catch (error) {
    if (/^DeleteConflict(Exception)?$/.test(errorCode(error) ?? '')) {
      throw new ActionError(
        `Could not delete version ${oldest.VersionId} of IAM policy ${POLICY_NAME} to make room ` +
          `for the current document (IAM keeps ${MAX_POLICY_VERSIONS}): IAM refused with a ` +
          `conflict, most likely because it became the default meanwhile. Re-run the workflow, or ` +
          `delete a version that is not the default: ` +
          `aws iam delete-policy-version --policy-arn ${arn} --version-id <version>`,
        { cause: error }
      )
    }
    throw explainAwsFailure(error, `version ${oldest.VersionId} of IAM policy ${POLICY_NAME}`)
  }
}

/** By creation time; the version number breaks ties between versions made in the same second. */
function olderFirst(a: PolicyVersion, b: PolicyVersion): number {
  const time = (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0)
  return time || versionNumber(a) - versionNumber(b)
}

const versionNumber = (version: PolicyVersion) =>
  Number(/\d+/.exec(version.VersionId ?? '')?.[0] ?? 0)

async function attachedPolicyArns(iam: IAMClient): Promise<string[]> {
  const arns: string[] = []
  try {
    for await (const page of paginateListAttachedUserPolicies(
      { client: iam },
      { UserName: USER_NAME }
    )) {
      for (const policy of page.AttachedPolicies ?? [])
        if (policy.PolicyArn) arns.push(policy.PolicyArn)
    }
  } catch (error) {
    throw explainAwsFailure(error, `policies attached to IAM user ${USER_NAME}`)
  }
  return arns
}

async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw explainAwsFailure(error, what)
  }
}
