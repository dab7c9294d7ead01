/**
 * The access key the agent signs its CloudWatch calls with. A key the agent already holds is kept
 * while it is active, so a re-run does not rotate credentials under a working agent. Keys are
 * never deleted here: a key this step did not make may be in use elsewhere.
 */
import {
  CreateAccessKeyCommand,
  ListAccessKeysCommand,
  type AccessKeyMetadata,
  type IAMClient
} from '@aws-sdk/client-iam'
import { errorCode, explainAwsFailure } from '../../aws/errors.js'
import { ActionError } from '../../errors.js'
import { registerSecret } from '../../secrets.js'
import type { HeldKey } from './held-key.js'

export interface AgentKey {
  accessKeyId: string
  secretAccessKey: string
  status: 'created' | 'reused'
}

/** IAM allows a user two access keys. */
const MAX_ACCESS_KEYS = 2

/**
 * The key to deliver: the held one while it is active, else `madeEarlier` (a key this run made
 * on an earlier pass, whose secret only this run knows), else a new one.
 */
export async function ensureAccessKey(
  iam: IAMClient,
  userName: string,
  // Masked already: heldKey() masks the secret the moment it reads it from the release.
  held?: HeldKey,
  madeEarlier?: AgentKey
): Promise<AgentKey & { userKeyIds: string[] }> {
  const keys = await listKeys(iam, userName)
  const userKeyIds = keys.map(key => key.AccessKeyId ?? '')
  const heldKey = held && keys.find(key => key.AccessKeyId === held.accessKeyId)
  if (held && heldKey?.Status === 'Active') {
    return {
      accessKeyId: held.accessKeyId,
      secretAccessKey: held.secretAccessKey,
      status: 'reused',
      userKeyIds
    }
  }
  if (madeEarlier) return { ...madeEarlier, userKeyIds }
  if (keys.length >= MAX_ACCESS_KEYS) throw keyLimitError(userName, keys, held?.accessKeyId)
  let created
  try {
    created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }))
  } catch (error) {
    // Another run made a key between our listing and our create: report the keys as they are now.
    if (/^LimitExceeded(Exception)?$/.test(errorCode(error) ?? '')) {
      const now = await listKeys(iam, userName)
      throw keyLimitError(userName, now, held?.accessKeyId, error)
    }
    throw explainAwsFailure(error, `access key of IAM user ${userName}`)
  }
  const accessKeyId = created.AccessKey?.AccessKeyId
  const secretAccessKey = created.AccessKey?.SecretAccessKey
  if (secretAccessKey) registerSecret(secretAccessKey)
  if (!accessKeyId || !secretAccessKey) {
    throw new ActionError(`iam:CreateAccessKey for IAM user ${userName} returned no key`)
  }
  return { accessKeyId, secretAccessKey, status: 'created', userKeyIds }
}

/** The user's keys; none when the user does not exist yet. */
export async function listAgentKeys(
  iam: IAMClient,
  userName: string
): Promise<AccessKeyMetadata[]> {
  try {
    const answer = await iam.send(new ListAccessKeysCommand({ UserName: userName }))
    return answer.AccessKeyMetadata ?? []
  } catch (error) {
    if (/^NoSuchEntity(Exception)?$/.test(errorCode(error) ?? '')) return []
    throw explainAwsFailure(error, `access keys of IAM user ${userName}`)
  }
}

async function listKeys(iam: IAMClient, userName: string): Promise<AccessKeyMetadata[]> {
  try {
    const answer = await iam.send(new ListAccessKeysCommand({ UserName: userName }))
    return answer.AccessKeyMetadata ?? []
  } catch (error) {
    throw explainAwsFailure(error, `access keys of IAM user ${userName}`)
  }
}

/** Names the keys (IDs only, never secrets) and the fix; which key can go is the user's call. */
function keyLimitError(
  userName: string,
  keys: AccessKeyMetadata[],
  heldKeyId: string | undefined,
  cause?: unknown
): ActionError {
  const described = keys.map(key =>
    [
      key.AccessKeyId,
      key.Status === 'Active' ? 'active' : (key.Status ?? 'unknown').toLowerCase(),
      key.CreateDate ? `created ${key.CreateDate.toISOString().slice(0, 10)}` : '',
      key.AccessKeyId === heldKeyId ? "the agent's current key" : ''
    ]
      .filter(Boolean)
      .join(', ')
  )
  const inactive = keys.filter(key => key.Status !== 'Active').map(key => key.AccessKeyId)
  const which = inactive.length
    ? `${inactive.join(' and ')} ${inactive.length === 1 ? 'is' : 'are'} inactive and a likely ` +
      `candidate if nothing uses ${inactive.length === 1 ? 'it' : 'them'}`
    : 'both are active'
  const example = inactive[0] ?? keys[0]?.AccessKeyId ?? '<access-key-id>'
  return new ActionError(
    `IAM user ${userName} already has ${keys.length} access keys, the most IAM allows, and the ` +
      `agent holds none of them that is active, so no key can be created for it. Keys: ` +
      `${described.map(text => `(${text})`).join('; ')}; ${which}. Delete a key that nothing ` +
      `uses, then re-run: aws iam delete-access-key --user-name ${userName} --access-key-id ` +
      `${example}`,
    cause === undefined ? undefined : { cause }
  )
}
