/**
 * The IAM paths the emulator cannot show: conflicts and limits hit by a racing run, throttling,
 * refusals, and a policy document handed back URL-encoded as real IAM does. IAM answers from an
 * aws-sdk-client-mock stub placed below the client's middleware, so the call log, the IAM action
 * on errors and the SDK's retries are the real ones.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import * as iamCommands from '@aws-sdk/client-iam'
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  PutUserPermissionsBoundaryCommand,
  type Policy,
  type User
} from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { newCallLog, type CallLog } from '../../src/aws/call-log.js'
import { clientConfig, instrument } from '../../src/aws/clients.js'
import { ensureAccessKey } from '../../src/cloud-services/access-key.js'
import { adoptIdentity, findIdentity } from '../../src/cloud-services/identity.js'
import { POLICY_NAME, USER_NAME } from '../../src/cloud-services/names.js'
import {
  desiredPolicyDocument,
  samePolicyDocument
} from '../../src/cloud-services/policy-document.js'
import { ActionError } from '../../src/errors.js'
import { answerFromStub } from './aws-below-middleware.js'

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${POLICY_NAME}`
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/${USER_NAME}`
/** Distinctive, so any leak is found by a plain substring search. */
const HELD_SECRET = 'wJalrXUtnFEMI/K7MDENG/LeakCanary0000000'

const router = new IAMClient({ region: REGION })
const iamStub = mockClient(router)
let callLog: CallLog
let iam: IAMClient

function iamClient(overrides: { maxAttempts?: number } = {}): IAMClient {
  // Requests are still signed above the stub.
  const credentials = { accessKeyId: 'AKIAUNITTEST', secretAccessKey: 'unit-test' }
  const client = new IAMClient({ ...clientConfig(REGION), credentials, ...overrides })
  return answerFromStub(instrument(client, 'iam', callLog), router, iamCommands)
}

/**
 * LIMIT_RETRIES: the SDK counts LimitExceededException among throttling errors and retries it
 * with backoff (seconds in all) before the action sees it; single attempts keep those tests fast.
 */
const iamError = (name: string, message: string, httpStatusCode = 409) =>
  new IAMServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode } })

const OLD_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' }]
}
const USER: User = {
  Path: '/',
  UserName: USER_NAME,
  UserId: 'AIDAUNITTEST',
  Arn: USER_ARN,
  CreateDate: new Date('2023-03-01T00:00:00Z'),
  PermissionsBoundary: {
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
    PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
  }
}
const POLICY: Policy = { PolicyName: POLICY_NAME, Arn: POLICY_ARN, DefaultVersionId: 'v5' }

/** A policy at IAM's five versions, the default (v5) holding `document` as IAM returns it. */
function policyAtFiveVersions(document: string) {
  iamStub.on(GetPolicyVersionCommand).resolves({
    PolicyVersion: { VersionId: 'v5', IsDefaultVersion: true, Document: document }
  })
  iamStub.on(ListPolicyVersionsCommand).resolves({
    Versions: [1, 2, 3, 4, 5].map(n => ({
      VersionId: `v${n}`,
      IsDefaultVersion: n === 5,
      CreateDate: new Date(Date.UTC(2024, 0, n))
    }))
  })
  iamStub.on(ListAttachedUserPoliciesCommand).resolves({
    AttachedPolicies: [{ PolicyName: POLICY_NAME, PolicyArn: POLICY_ARN }]
  })
}

const adopt = () => adoptIdentity(iam, ACCOUNT, { user: USER, policy: POLICY }, {})

beforeEach(() => {
  iamStub.reset()
  callLog = newCallLog()
  iam = iamClient()
})

describe('samePolicyDocument', () => {
  const desired = desiredPolicyDocument()

  it('reads the document from the template', () => {
    expect(desired).toMatchObject({ Version: '2012-10-17', Statement: expect.any(Array) })
    expect(JSON.stringify(desired)).toContain('logs:DescribeLogGroups')
  })

  it('sees through URL encoding, key order and a lone action', () => {
    const statements = (desired.Statement as Record<string, unknown>[]).map(statement => {
      const { Action, ...rest } = statement
      const action = Array.isArray(Action) && Action.length === 1 ? Action[0] : Action
      return {
        Resource: rest.Resource,
        ...rest,
        Action: typeof action === 'string' ? [action] : action
      }
    })
    const encoded = encodeURIComponent(
      JSON.stringify({ Statement: statements, Version: '2012-10-17' })
    )
    expect(samePolicyDocument(encoded, desired)).toBe(true)
    expect(samePolicyDocument(desired, JSON.stringify(desired, null, 2))).toBe(true)
  })

  it('tells apart a different grant, a reordered statement list and text that is no document', () => {
    const statements = desired.Statement as object[]
    expect(samePolicyDocument(OLD_DOCUMENT, desired)).toBe(false)
    expect(samePolicyDocument({ ...desired, Statement: [...statements].reverse() }, desired)).toBe(
      false
    )
    expect(samePolicyDocument('%7Bnot json', desired)).toBe(false)
    expect(samePolicyDocument(undefined, undefined)).toBe(false)
  })
})

describe('adoptIdentity against IAM answers moto cannot give', () => {
  it('takes a URL-encoded default document equal to the template as unchanged', async () => {
    policyAtFiveVersions(encodeURIComponent(JSON.stringify(desiredPolicyDocument())))

    const adopted = await adopt()

    expect(adopted).toEqual({
      userArn: USER_ARN,
      policyArn: POLICY_ARN,
      user: 'reused',
      policy: 'unchanged',
      attached: false
    })
    expect(callLog.mutatingCalls()).toEqual([])
  })

  it('explains a DeleteConflict on the oldest version and creates no version', async () => {
    policyAtFiveVersions(encodeURIComponent(JSON.stringify(OLD_DOCUMENT)))
    iamStub
      .on(DeletePolicyVersionCommand)
      .rejects(iamError('DeleteConflictException', 'Cannot delete the default version.'))

    const failure = await adopt().catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    expect(failure.message).toContain(`version v1 of IAM policy ${POLICY_NAME}`)
    expect(failure.message).toContain(`aws iam delete-policy-version --policy-arn ${POLICY_ARN}`)
    expect(iamStub.commandCalls(DeletePolicyVersionCommand)[0].args[0].input.VersionId).toBe('v1')
    expect(iamStub.commandCalls(CreatePolicyVersionCommand)).toHaveLength(0)
  })

  it('explains a LimitExceeded on CreatePolicyVersion', async () => {
    iam = iamClient({ maxAttempts: 1 }) // see LIMIT_RETRIES
    policyAtFiveVersions(JSON.stringify(OLD_DOCUMENT))
    iamStub.on(DeletePolicyVersionCommand).resolves({})
    iamStub
      .on(CreatePolicyVersionCommand)
      .rejects(iamError('LimitExceededException', 'A managed policy can have up to 5 versions.'))

    const failure = await adopt().catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    expect(failure.message).toMatch(/most versions IAM allows \(5\).*another run/)
    expect(callLog.mutatingCalls()).toEqual(['iam:DeletePolicyVersion', 'iam:CreatePolicyVersion'])
  })

  it("gives a hand-made user without a boundary the agent's, in the caller's partition", async () => {
    policyAtFiveVersions(JSON.stringify(desiredPolicyDocument()))
    const handMade = { ...USER, PermissionsBoundary: undefined }

    const adopted = await adoptIdentity(
      iam,
      ACCOUNT,
      { user: handMade, policy: POLICY },
      {},
      'aws-cn'
    )

    expect(adopted).toMatchObject({ user: 'updated', policy: 'unchanged', attached: false })
    expect(iamStub.commandCalls(PutUserPermissionsBoundaryCommand)[0].args[0].input).toEqual({
      UserName: USER_NAME,
      PermissionsBoundary: 'arn:aws-cn:iam::aws:policy/CloudWatchReadOnlyAccess'
    })
  })

  it('creates a missing user with the boundary, so that the policy may be attached to it', async () => {
    iamStub.on(CreateUserCommand).resolves({ User: USER })
    policyAtFiveVersions(JSON.stringify(desiredPolicyDocument()))

    const adopted = await adoptIdentity(iam, ACCOUNT, { policy: POLICY }, { team: 'obs' })

    expect(adopted).toMatchObject({ user: 'created', attached: true })
    expect(iamStub.commandCalls(CreateUserCommand)[0].args[0].input).toEqual({
      UserName: USER_NAME,
      PermissionsBoundary: 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
      Tags: [{ Key: 'team', Value: 'obs' }]
    })
    expect(callLog.mutatingCalls()).toEqual(['iam:CreateUser', 'iam:AttachUserPolicy'])
  })

  it('uses the user a racing run created instead of failing', async () => {
    iamStub
      .on(CreateUserCommand)
      .rejects(iamError('EntityAlreadyExistsException', 'User already exists'))
    iamStub.on(GetUserCommand).resolves({ User: USER })
    policyAtFiveVersions(JSON.stringify(desiredPolicyDocument()))
    iamStub.on(AttachUserPolicyCommand).resolves({})

    const adopted = await adoptIdentity(iam, ACCOUNT, { policy: POLICY }, {})

    expect(adopted).toMatchObject({ user: 'reused', policy: 'unchanged', attached: false })
  })

  it('names the refused permission when the look-up is denied', async () => {
    iamStub
      .on(GetUserCommand)
      .rejects(iamError('AccessDenied', 'User is not authorized to perform iam:GetUser', 403))
    iamStub.on(GetPolicyCommand).resolves({ Policy: POLICY })

    const failure = await findIdentity(iam, ACCOUNT).catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    expect(failure.message).toContain("lack the IAM permission 'iam:GetUser'")
  })
})

describe('ensureAccessKey against IAM answers moto cannot give', () => {
  const throttled = () => iamError('Throttling', 'Rate exceeded', 400)

  it('rides out throttling on ListAccessKeys with the SDK retries', async () => {
    iamStub
      .on(ListAccessKeysCommand)
      .rejectsOnce(throttled())
      .resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAHELD', Status: 'Active' }] })

    const key = await ensureAccessKey(iam, USER_NAME, {
      accessKeyId: 'AKIAHELD',
      secretAccessKey: HELD_SECRET
    })

    expect(key.status).toBe('reused')
    expect(iamStub.commandCalls(ListAccessKeysCommand)).toHaveLength(2)
    expect(callLog.calls).toEqual(['iam:ListAccessKeys'])
  })

  it('explains throttling that outlasts the retries, without the secret', async () => {
    iam = iamClient({ maxAttempts: 2 })
    iamStub.on(ListAccessKeysCommand).rejects(throttled())

    const failure = await ensureAccessKey(iam, USER_NAME, {
      accessKeyId: 'AKIAHELD',
      secretAccessKey: HELD_SECRET
    }).catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    expect(failure.message).toContain('iam:ListAccessKeys')
    expect(failure.message).toContain('Throttling')
    expect(failure.message).not.toContain(HELD_SECRET)
    expect(iamStub.commandCalls(CreateAccessKeyCommand)).toHaveLength(0)
  })

  it('fails at the two keys IAM allows a user, naming them and the fix, and creates none', async () => {
    iamStub.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        {
          AccessKeyId: 'AKIAOLDACTIVE',
          Status: 'Active',
          CreateDate: new Date('2024-02-01T00:00:00Z')
        },
        {
          AccessKeyId: 'AKIAOLDINACTIVE',
          Status: 'Inactive',
          CreateDate: new Date('2024-03-01T00:00:00Z')
        }
      ]
    })

    // The agent's held key is gone: a new one would be the third.
    const failure = await ensureAccessKey(iam, USER_NAME, {
      accessKeyId: 'AKIADELETED',
      secretAccessKey: HELD_SECRET
    }).catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    expect(failure.message).toContain(`IAM user ${USER_NAME} already has 2 access keys`)
    expect(failure.message).toContain('the most IAM allows')
    expect(failure.message).toContain('AKIAOLDACTIVE, active, created 2024-02-01')
    expect(failure.message).toContain('AKIAOLDINACTIVE, inactive, created 2024-03-01')
    expect(failure.message).toContain('AKIAOLDINACTIVE is inactive and a likely candidate')
    expect(failure.message).toContain(
      `aws iam delete-access-key --user-name ${USER_NAME} --access-key-id AKIAOLDINACTIVE`
    )
    expect(failure.message).not.toContain(HELD_SECRET)
    expect(iamStub.commandCalls(CreateAccessKeyCommand)).toHaveLength(0)
    expect(callLog.calls).toEqual(['iam:ListAccessKeys'])
  })

  it('reports the keys as they are when a racing run takes the last slot', async () => {
    iam = iamClient({ maxAttempts: 1 }) // see LIMIT_RETRIES
    iamStub
      .on(ListAccessKeysCommand)
      .resolvesOnce({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAFIRST', Status: 'Active' }] })
      .resolves({
        AccessKeyMetadata: [
          { AccessKeyId: 'AKIAFIRST', Status: 'Active' },
          { AccessKeyId: 'AKIARACER', Status: 'Active' }
        ]
      })
    iamStub
      .on(CreateAccessKeyCommand)
      .rejects(iamError('LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2'))

    const failure = await ensureAccessKey(iam, USER_NAME).catch(error => error)

    expect(failure).toBeInstanceOf(ActionError)
    expect(failure.message).toContain('AKIAFIRST')
    expect(failure.message).toContain('AKIARACER')
    expect(failure.message).toContain('both are active')
  })
})
