/**
 * The agent's IAM identity against the emulator: adopting what the old script left (a user and a
 * policy made by hand), the access key, and the log groups the agent will list. Clients are made
 * as the action makes them, so the call log shows exactly what a run would change.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUserTagsCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { newCallLog, type CallLog } from '../../src/aws/call-log.js'
import { clientConfig, instrument } from '../../src/aws/clients.js'
import { ensureAccessKey } from '../../src/cloud-services/access-key.js'
import { adoptIdentity, findIdentity } from '../../src/cloud-services/identity.js'
import { listLogGroupNames } from '../../src/cloud-services/log-groups.js'
import { POLICY_NAME, USER_NAME } from '../../src/cloud-services/names.js'
import {
  desiredPolicyDocument,
  samePolicyDocument
} from '../../src/cloud-services/policy-document.js'
import { ActionError } from '../../src/errors.js'
import { redact } from '../../src/secrets.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'

const ACCOUNT = '123456789012'
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${POLICY_NAME}`
const TAGS = { team: 'platform', 'managed-by': 'metrics-agent-action' }

/** What the old script granted: less than the template does now. */
const OLD_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' }]
})

let callLog: CallLog
let iam: IAMClient
/** The emulator seen without the action's instrumentation: set-up and checks only. */
let direct: IAMClient

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  callLog = newCallLog()
  iam = instrument(new IAMClient(clientConfig(REGION)), 'iam', callLog)
  direct = new IAMClient({ region: REGION })
})

/** The old script's state: a user and a policy made directly, with an older document. */
async function oldScriptState(options: { attached: boolean; versions?: number }) {
  await direct.send(new CreateUserCommand({ UserName: USER_NAME }))
  await direct.send(
    new CreatePolicyCommand({ PolicyName: POLICY_NAME, PolicyDocument: OLD_DOCUMENT })
  )
  // Later versions are not made the default: the oldest non-default is then v2, not v1.
  for (let version = 2; version <= (options.versions ?? 1); version++) {
    await direct.send(
      new CreatePolicyVersionCommand({
        PolicyArn: POLICY_ARN,
        PolicyDocument: OLD_DOCUMENT.replace('ListMetrics', `ListMetrics${'*'.repeat(version)}`)
      })
    )
  }
  if (options.attached) {
    await direct.send(new AttachUserPolicyCommand({ UserName: USER_NAME, PolicyArn: POLICY_ARN }))
  }
}

async function defaultDocument(): Promise<string | undefined> {
  const policy = await direct.send(new GetPolicyCommand({ PolicyArn: POLICY_ARN }))
  const version = await direct.send(
    new GetPolicyVersionCommand({
      PolicyArn: POLICY_ARN,
      VersionId: policy.Policy!.DefaultVersionId
    })
  )
  return version.PolicyVersion!.Document
}

async function attachedArns(): Promise<string[]> {
  const answer = await direct.send(new ListAttachedUserPoliciesCommand({ UserName: USER_NAME }))
  return (answer.AttachedPolicies ?? []).map(policy => policy.PolicyArn!)
}

const BOUNDARY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'

async function userBoundary(): Promise<string | undefined> {
  const answer = await direct.send(new GetUserCommand({ UserName: USER_NAME }))
  return answer.User?.PermissionsBoundary?.PermissionsBoundaryArn
}

async function adopt() {
  return adoptIdentity(iam, ACCOUNT, await findIdentity(iam, ACCOUNT), TAGS)
}

describe('adopting an identity made outside CloudFormation', () => {
  it('finds nothing in an empty account', async () => {
    expect(await findIdentity(iam, ACCOUNT)).toEqual({ user: undefined, policy: undefined })
    expect(callLog.calls.sort()).toEqual(['iam:GetPolicy', 'iam:GetUser'])
  })

  it.each([false, true])(
    "brings the old script's policy up to date (attached before: %s)",
    async attachedBefore => {
      await oldScriptState({ attached: attachedBefore })
      const found = await findIdentity(iam, ACCOUNT)
      expect(found.user?.UserName).toBe(USER_NAME)
      expect(found.policy?.Arn).toBe(POLICY_ARN)

      const adopted = await adoptIdentity(iam, ACCOUNT, found, TAGS)

      // The script's user had no boundary: it gets the agent's before the policy is attached.
      expect(adopted).toEqual({
        userArn: `arn:aws:iam::${ACCOUNT}:user/${USER_NAME}`,
        policyArn: POLICY_ARN,
        user: 'updated',
        policy: 'updated',
        attached: !attachedBefore
      })
      expect(samePolicyDocument(await defaultDocument(), desiredPolicyDocument())).toBe(true)
      expect(await attachedArns()).toEqual([POLICY_ARN])
      expect(await userBoundary()).toBe(BOUNDARY)
      const calls = callLog.mutatingCalls()
      expect([...calls].sort()).toEqual(
        (attachedBefore
          ? ['iam:PutUserPermissionsBoundary', 'iam:CreatePolicyVersion']
          : ['iam:PutUserPermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:AttachUserPolicy']
        ).sort()
      )
      if (!attachedBefore) {
        expect(calls.indexOf('iam:PutUserPermissionsBoundary')).toBeLessThan(
          calls.indexOf('iam:AttachUserPolicy')
        )
      }
    }
  )

  it('makes room at five versions by deleting the oldest that is not the default', async () => {
    await oldScriptState({ attached: true, versions: 5 })

    const adopted = await adopt()

    expect(adopted.policy).toBe('updated')
    const versions = await direct.send(new ListPolicyVersionsCommand({ PolicyArn: POLICY_ARN }))
    const byId = (versions.Versions ?? []).map(v => [v.VersionId, v.IsDefaultVersion]).sort()
    // v1 stays: it was the default when the run began.
    expect(byId).toEqual([
      ['v1', false],
      ['v3', false],
      ['v4', false],
      ['v5', false],
      ['v6', true]
    ])
    expect(samePolicyDocument(await defaultDocument(), desiredPolicyDocument())).toBe(true)
    expect(
      callLog.mutatingCalls().filter(call => call !== 'iam:PutUserPermissionsBoundary')
    ).toEqual(['iam:DeletePolicyVersion', 'iam:CreatePolicyVersion'])
  })

  it('creates, tags and attaches both when nothing exists; a second run changes nothing', async () => {
    const adopted = await adoptIdentity(iam, ACCOUNT, {}, TAGS)

    expect(adopted).toMatchObject({ user: 'created', policy: 'created', attached: true })
    expect(adopted.policyArn).toBe(POLICY_ARN)
    expect(await userBoundary()).toBe(BOUNDARY)
    expect(await attachedArns()).toEqual([POLICY_ARN])
    expect(samePolicyDocument(await defaultDocument(), desiredPolicyDocument())).toBe(true)
    const userTags = await direct.send(new ListUserTagsCommand({ UserName: USER_NAME }))
    expect(userTags.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'platform' }]))
    const policy = await direct.send(new GetPolicyCommand({ PolicyArn: POLICY_ARN }))
    expect(policy.Policy?.Tags).toEqual(
      expect.arrayContaining([{ Key: 'team', Value: 'platform' }])
    )

    callLog.calls.length = 0
    const again = await adopt()
    expect(again).toMatchObject({ user: 'reused', policy: 'unchanged', attached: false })
    expect(callLog.mutatingCalls()).toEqual([])
  })

  it('creates only the policy when the user alone exists, and bounds the user', async () => {
    await direct.send(new CreateUserCommand({ UserName: USER_NAME }))

    const adopted = await adopt()

    expect(adopted).toMatchObject({ user: 'updated', policy: 'created', attached: true })
    expect(await userBoundary()).toBe(BOUNDARY)
    expect([...callLog.mutatingCalls()].sort()).toEqual([
      'iam:AttachUserPolicy',
      'iam:CreatePolicy',
      'iam:PutUserPermissionsBoundary'
    ])
  })

  it('changes nothing when the user is bounded and the policy current and attached', async () => {
    await direct.send(new CreateUserCommand({ UserName: USER_NAME, PermissionsBoundary: BOUNDARY }))
    await direct.send(
      new CreatePolicyCommand({
        PolicyName: POLICY_NAME,
        // Another key order and spacing: the same document all the same.
        PolicyDocument: JSON.stringify(desiredPolicyDocument(), null, 2)
      })
    )
    await direct.send(new AttachUserPolicyCommand({ UserName: USER_NAME, PolicyArn: POLICY_ARN }))

    const adopted = await adopt()

    expect(adopted).toMatchObject({ user: 'reused', policy: 'unchanged', attached: false })
    expect(callLog.mutatingCalls()).toEqual([])
  })
})

describe('the access key', () => {
  beforeEach(async () => {
    await direct.send(new CreateUserCommand({ UserName: USER_NAME }))
  })

  async function keyIds(): Promise<string[]> {
    const answer = await direct.send(new ListAccessKeysCommand({ UserName: USER_NAME }))
    return (answer.AccessKeyMetadata ?? []).map(key => key.AccessKeyId!)
  }

  async function directKey() {
    const answer = await direct.send(new CreateAccessKeyCommand({ UserName: USER_NAME }))
    return {
      accessKeyId: answer.AccessKey!.AccessKeyId!,
      secretAccessKey: answer.AccessKey!.SecretAccessKey!
    }
  }

  it('creates one when the user has none, and masks its secret', async () => {
    const key = await ensureAccessKey(iam, USER_NAME)

    expect(key.status).toBe('created')
    expect(key.secretAccessKey).toMatch(/\S{20,}/)
    expect(redact(`secret=${key.secretAccessKey}`)).toBe('secret=***')
    expect(await keyIds()).toEqual([key.accessKeyId])
  })

  it('keeps the key the agent holds while it is active', async () => {
    const held = await directKey()

    const key = await ensureAccessKey(iam, USER_NAME, held)

    expect(key).toEqual({ ...held, status: 'reused' })
    expect(callLog.calls).toEqual(['iam:ListAccessKeys'])
    expect(redact(held.secretAccessKey)).toBe('***')
  })

  it.each(['deleted', 'inactive'])('makes a new key when the held one is %s', async state => {
    const held = await directKey()
    if (state === 'deleted') {
      await direct.send(
        new DeleteAccessKeyCommand({ UserName: USER_NAME, AccessKeyId: held.accessKeyId })
      )
    } else {
      await direct.send(
        new UpdateAccessKeyCommand({
          UserName: USER_NAME,
          AccessKeyId: held.accessKeyId,
          Status: 'Inactive'
        })
      )
    }

    const key = await ensureAccessKey(iam, USER_NAME, held)

    expect(key.status).toBe('created')
    expect(key.accessKeyId).not.toBe(held.accessKeyId)
    expect(callLog.mutatingCalls()).toEqual(['iam:CreateAccessKey'])
  })

  it('fails with the fix at two keys, naming them and deleting none', async () => {
    const first = await directKey()
    const second = await directKey()
    await direct.send(
      new UpdateAccessKeyCommand({
        UserName: USER_NAME,
        AccessKeyId: second.accessKeyId,
        Status: 'Inactive'
      })
    )

    const failure = await ensureAccessKey(iam, USER_NAME).catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    const message = (failure as Error).message
    expect(message).toContain(first.accessKeyId)
    expect(message).toContain(second.accessKeyId)
    expect(message).toContain(`${second.accessKeyId} is inactive`)
    expect(message).toContain(
      `aws iam delete-access-key --user-name ${USER_NAME} --access-key-id ${second.accessKeyId}`
    )
    expect(message).not.toContain(first.secretAccessKey)
    expect(message).not.toContain(second.secretAccessKey)
    expect(callLog.mutatingCalls()).toEqual([])
    expect((await keyIds()).sort()).toEqual([first.accessKeyId, second.accessKeyId].sort())
  })
})

describe('log groups', () => {
  it('lists every group across pages', async () => {
    const logs = instrument(new CloudWatchLogsClient(clientConfig(REGION)), 'logs', callLog)
    const setUp = new CloudWatchLogsClient({ region: REGION })
    // More than one page of the 50 the action asks for.
    const names = Array.from(
      { length: 57 },
      (_, i) => `/aws/app/service-${String(i).padStart(2, '0')}`
    )
    await Promise.all(
      names.map(name => setUp.send(new CreateLogGroupCommand({ logGroupName: name })))
    )

    expect((await listLogGroupNames(logs)).sort()).toEqual(names)
    expect(callLog.calls).toEqual(['logs:DescribeLogGroups', 'logs:DescribeLogGroups'])
  })

  it('lists none in an empty region', async () => {
    const logs = instrument(new CloudWatchLogsClient(clientConfig(REGION)), 'logs', callLog)
    expect(await listLogGroupNames(logs)).toEqual([])
  })
})
