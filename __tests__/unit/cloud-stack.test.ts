/**
 * The stack paths the emulator cannot produce: failed creates and updates with their resources'
 * reasons, rollbacks seen during the wait, another run's stack in progress, throttling, a wait
 * that runs out, and an update with nothing to do. CloudFormation answers through
 * aws-sdk-client-mock from below the SDK middleware, so the call log, the IAM action on errors and
 * the SDK's retries are the real ones.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as cloudformation from '@aws-sdk/client-cloudformation'
import {
  AlreadyExistsException,
  CloudFormationClient,
  CloudFormationServiceException,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
  type Stack,
  type StackEvent
} from '@aws-sdk/client-cloudformation'
import { mockClient } from 'aws-sdk-client-mock'
import { actionFile } from '../../src/action-files.js'
import { newCallLog } from '../../src/aws/call-log.js'
import { clientConfig, instrument } from '../../src/aws/clients.js'
import { PERMISSIONS_DOC } from '../../src/aws/errors.js'
import { STACK_NAME, TEMPLATE_FILE } from '../../src/cloud-services/names.js'
import { ensureStack } from '../../src/cloud-services/stack.js'
import { ActionError } from '../../src/errors.js'
import { fastClock } from '../support/action-harness.js'
import { answerFromStub } from './aws-below-middleware.js'

const REGION = 'us-east-1'
const STACK_ID = `arn:aws:cloudformation:${REGION}:123456789012:stack/${STACK_NAME}/0c1d2e3f`
const USER_ARN = 'arn:aws:iam::123456789012:user/CloudAEyeServiceAccount'
const POLICY_ARN = 'arn:aws:iam::123456789012:policy/CloudAEyeServiceAccountPolicy'
const TOKEN = 'run-42-attempt-1'
const TAGS = { team: 'platform' }
const templateBody = readFileSync(actionFile(TEMPLATE_FILE), 'utf8')
const olderTemplate = JSON.stringify({ ...JSON.parse(templateBody), Description: 'older' })

/** A stack in that state; outputs exist once a create or update has completed. */
const stack = (StackStatus: string): Stack => ({
  StackId: STACK_ID,
  StackName: STACK_NAME,
  StackStatus: StackStatus as Stack['StackStatus'],
  CreationTime: new Date('2026-05-01T10:00:00Z'),
  Outputs: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'].includes(StackStatus)
    ? [
        { OutputKey: 'UserArn', OutputValue: USER_ARN },
        { OutputKey: 'PolicyArn', OutputValue: POLICY_ARN }
      ]
    : undefined
})

/** A stack event; `logicalId` undefined means the stack's own. */
function event(status: string, logicalId?: string, reason?: string, token?: string): StackEvent {
  const own = logicalId === undefined
  const resourceType = logicalId?.endsWith('User') ? 'AWS::IAM::User' : 'AWS::IAM::ManagedPolicy'
  return {
    StackId: STACK_ID,
    StackName: STACK_NAME,
    EventId: `${logicalId ?? STACK_NAME}-${status}`,
    Timestamp: new Date(),
    LogicalResourceId: logicalId ?? STACK_NAME,
    PhysicalResourceId: own ? STACK_ID : undefined,
    ResourceType: own ? 'AWS::CloudFormation::Stack' : resourceType,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    ClientRequestToken: token
  }
}

const USER_REASON = 'CloudAEyeServiceAccount already exists in stack arn:aws:cloudformation:x'
const POLICY_REASON =
  'A policy called CloudAEyeServiceAccountPolicy already exists.\nDuplicate names'

/** A failed create, newest first as CloudFormation lists it, in two pages. */
const failedCreatePages: StackEvent[][] = [
  [
    event('ROLLBACK_COMPLETE'),
    event('DELETE_COMPLETE', 'ServiceAccountPolicy'),
    event('DELETE_COMPLETE', 'ServiceAccountUser'),
    event('ROLLBACK_IN_PROGRESS', undefined, 'The following resource(s) failed to create')
  ],
  [
    event('CREATE_FAILED', 'ServiceAccountPolicy', POLICY_REASON),
    event('CREATE_FAILED', 'ServiceAccountUser', USER_REASON),
    event('CREATE_IN_PROGRESS', 'ServiceAccountUser'),
    event('CREATE_IN_PROGRESS', undefined, 'User Initiated')
  ]
]

const serviceError = (name: string, message: string, httpStatusCode = 400) =>
  new CloudFormationServiceException({
    name,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode }
  })
const throttled = () => serviceError('Throttling', 'Rate exceeded')

// Every command the real client sends is answered by this stub, from below the middleware.
const router = new CloudFormationClient({ region: REGION })
const cfnMock = mockClient(router)

function actionClient() {
  const callLog = newCallLog()
  const cfn = instrument(new CloudFormationClient(clientConfig(REGION)), 'cloudformation', callLog)
  return { cfn: answerFromStub(cfn, router, cloudformation), callLog }
}

let printed: string[]
let client: ReturnType<typeof actionClient>
const savedEnv = { ...process.env }

async function ensure(existing: Stack | undefined, timeoutMs = 600_000) {
  const options = { tags: TAGS, clock: fastClock(), timeoutMs, requestToken: TOKEN }
  return ensureStack(client.cfn, existing, options)
}

async function failure(existing: Stack | undefined, timeoutMs?: number): Promise<string> {
  const error = await ensure(existing, timeoutMs).catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ActionError)
  const message = (error as Error).message
  expect(message).not.toContain('\n')
  return message
}

function eventPages(pages: StackEvent[][]) {
  const token = (page: number) => (page > 0 && page < pages.length ? `page-${page}` : undefined)
  pages.forEach((StackEvents, page) =>
    cfnMock
      .on(DescribeStackEventsCommand, { NextToken: token(page) })
      .resolves({ StackEvents, NextToken: token(page + 1) })
  )
}

beforeAll(() => {
  // Requests are signed above the stub, so the SDK needs keys; none is ever sent.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDUNITTESTFAKE'
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-fake-secret'
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
  delete process.env.AWS_ENDPOINT_URL
})

afterAll(() => {
  cfnMock.restore()
  process.env = savedEnv
})

beforeEach(() => {
  cfnMock.reset()
  jest.restoreAllMocks()
  printed = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
  client = actionClient()
  cfnMock.on(CreateStackCommand).resolves({ StackId: STACK_ID })
  cfnMock.on(GetTemplateCommand).resolves({ TemplateBody: templateBody })
  eventPages(failedCreatePages)
})

describe('a stack whose create failed', () => {
  it.each(['ROLLBACK_COMPLETE', 'CREATE_FAILED'])(
    '%s: one line with both resources’ reasons and the fix',
    async status => {
      const line = await failure(stack(status))

      expect(line).toMatch(new RegExp(`^Stack CloudAEyeServiceAccountStack is ${status}: `))
      expect(line).toContain(`ServiceAccountUser (AWS::IAM::User) CREATE_FAILED: ${USER_REASON}`)
      expect(line).toContain(
        'ServiceAccountPolicy (AWS::IAM::ManagedPolicy) CREATE_FAILED: A policy called ' +
          'CloudAEyeServiceAccountPolicy already exists. Duplicate names'
      )
      expect(line).toContain('To fix: remove the cause, delete the stack ' + STACK_NAME)
      expect(line).toMatch(/then re-run\.$/)
      // Both pages were read, and nothing was created over the failed stack.
      expect(cfnMock.commandCalls(DescribeStackEventsCommand)).toHaveLength(2)
      expect(client.callLog.mutatingCalls()).toEqual([])
    }
  )

  it('another run’s create that rolls back during the wait fails with its reasons', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('CREATE_IN_PROGRESS')] })
      .resolvesOnce({ Stacks: [stack('ROLLBACK_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] })

    const line = await failure(stack('CREATE_IN_PROGRESS'))

    expect(line).toContain('is ROLLBACK_COMPLETE')
    expect(line).toContain(USER_REASON)
    expect(printed.join('')).toMatch(
      /Stack CloudAEyeServiceAccountStack: ROLLBACK_IN_PROGRESS \(\d+s elapsed\)/
    )
    expect(client.callLog.mutatingCalls()).toEqual([])
  })

  it('this run’s create, deleted on failure: reasons, and a re-run creates it anew', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('DELETE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('DELETE_COMPLETE')] })

    const line = await failure(undefined)

    expect(line).toContain('is DELETE_COMPLETE')
    expect(line).toContain(POLICY_REASON.split('\n')[0])
    expect(line).toContain('so it is created anew')
    const [create] = cfnMock.commandCalls(CreateStackCommand).map(call => call.args[0].input)
    expect(create).toEqual({
      StackName: STACK_NAME,
      TemplateBody: templateBody,
      // Declared, so that the deploy policy can allow a stack write with these types only.
      ResourceTypes: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User'],
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OnFailure: 'DELETE',
      ClientRequestToken: TOKEN,
      Tags: [{ Key: 'team', Value: 'platform' }]
    })
    // Polled by ID: a deleted stack no longer answers to its name.
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0].args[0].input.StackName).toBe(STACK_ID)
  })
})

describe('another run’s stack in progress', () => {
  it('is waited for, not created again, and then found up to date', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('CREATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] })

    const outcome = await ensure(stack('CREATE_IN_PROGRESS'))

    const expected = { stackId: STACK_ID, userArn: USER_ARN, policyArn: POLICY_ARN }
    expect(outcome).toEqual({ ...expected, status: 'unchanged' })
    expect(client.callLog.mutatingCalls()).toEqual([])
    expect(printed.join('')).toMatch(
      /Stack CloudAEyeServiceAccountStack: CREATE_IN_PROGRESS \(\d+s elapsed\)/
    )
  })

  it('that wins the race to CreateStack is read back and waited for', async () => {
    cfnMock
      .on(CreateStackCommand)
      .rejects(new AlreadyExistsException({ message: 'already exists', $metadata: {} }))
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_NAME })
      .resolves({ Stacks: [stack('CREATE_IN_PROGRESS')] })
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] })

    const outcome = await ensure(undefined)

    expect(outcome.status).toBe('unchanged')
    expect(client.callLog.mutatingCalls()).toEqual(['cloudformation:CreateStack'])
  })

  // A create that lost the race can fail on a resource the winner made rather than on the name.
  const entityExists = () =>
    serviceError('EntityAlreadyExists', 'User CloudAEyeServiceAccount already exists', 409)

  it('that wins the race while CreateStack fails with another error is waited for', async () => {
    cfnMock.on(CreateStackCommand).rejects(entityExists())
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_NAME })
      .resolves({ Stacks: [stack('CREATE_IN_PROGRESS')] })
    cfnMock
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] })

    const outcome = await ensure(undefined)

    expect(outcome).toEqual({
      stackId: STACK_ID,
      userArn: USER_ARN,
      policyArn: POLICY_ARN,
      status: 'unchanged'
    })
    expect(printed.join('')).toContain('another run created it meanwhile (CREATE_IN_PROGRESS)')
  })

  it('but a failed CreateStack with no stack behind it is reported as it is', async () => {
    cfnMock.on(CreateStackCommand).rejects(entityExists())
    cfnMock
      .on(DescribeStacksCommand)
      .rejects(serviceError('ValidationError', `Stack with id ${STACK_NAME} does not exist`))

    const line = await failure(undefined)

    expect(line).toContain('EntityAlreadyExists')
    expect(line).toContain('User CloudAEyeServiceAccount already exists')
    expect(cfnMock.commandCalls(CreateStackCommand)).toHaveLength(1)
  })
})

describe('throttling during the wait', () => {
  it('is retried by the SDK, and the create completes', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .rejectsOnce(throttled())
      .resolvesOnce({ Stacks: [stack('CREATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] })

    const outcome = await ensure(undefined)

    expect(outcome.status).toBe('created')
    const looks = client.callLog.calls.filter(call => call === 'cloudformation:DescribeStacks')
    expect(cfnMock.commandCalls(DescribeStacksCommand)).toHaveLength(looks.length + 1)
  })

  it('that outlasts the SDK’s retries skips a look rather than failing the wait', async () => {
    const stub = cfnMock.on(DescribeStacksCommand)
    for (let attempt = 0; attempt < 5; attempt++) stub.rejectsOnce(throttled())
    stub.resolves({ Stacks: [stack('CREATE_COMPLETE')] })

    const outcome = await ensure(undefined)

    expect(outcome.status).toBe('created')
    expect(cfnMock.commandCalls(DescribeStacksCommand)).toHaveLength(6)
  }, 30_000)
})

describe('a wait that runs out', () => {
  it('says the stack is still in progress and that a re-run waits for it', async () => {
    cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [stack('CREATE_IN_PROGRESS')] })

    const line = await failure(stack('CREATE_IN_PROGRESS'), 60_000)

    expect(line).toContain('is still CREATE_IN_PROGRESS after 1m0s elapsed')
    expect(line).toContain('a re-run waits for it')
    expect(line).toContain("'wait-timeout'")
    expect(cfnMock.commandCalls(DescribeStacksCommand).length).toBeGreaterThan(3)
    expect(client.callLog.mutatingCalls()).toEqual([])
  })
})

describe('a stack with an older template', () => {
  beforeEach(() => {
    cfnMock.on(GetTemplateCommand).resolves({ TemplateBody: olderTemplate })
  })

  it('is updated with its own token and waited for', async () => {
    cfnMock.on(UpdateStackCommand).resolves({ StackId: STACK_ID })
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] })

    const outcome = await ensure(stack('CREATE_COMPLETE'))

    expect(outcome.status).toBe('updated')
    const [update] = cfnMock.commandCalls(UpdateStackCommand).map(call => call.args[0].input)
    expect(update).toMatchObject({ StackName: STACK_ID, TemplateBody: templateBody })
    expect(update.ClientRequestToken).toBe(`${TOKEN}-update`)
  })

  it('is unchanged when CloudFormation finds no updates to perform', async () => {
    cfnMock
      .on(UpdateStackCommand)
      .rejects(serviceError('ValidationError', 'No updates are to be performed.'))

    const outcome = await ensure(stack('UPDATE_COMPLETE'))

    expect(outcome.status).toBe('unchanged')
    expect(client.callLog.mutatingCalls()).toEqual(['cloudformation:UpdateStack'])
  })

  it('that rolls back reports this update’s failures, not an earlier one’s', async () => {
    cfnMock.on(UpdateStackCommand).resolves({ StackId: STACK_ID })
    cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_ROLLBACK_COMPLETE')] })
    const now = `${TOKEN}-update`
    eventPages([
      [
        event('UPDATE_ROLLBACK_COMPLETE', undefined, undefined, now),
        event('UPDATE_FAILED', 'ServiceAccountPolicy', 'Policy document too large', now),
        event('UPDATE_IN_PROGRESS', undefined, 'User Initiated', now),
        event('UPDATE_FAILED', 'ServiceAccountPolicy', 'An earlier reason', 'run-41-attempt-1')
      ]
    ])

    const line = await failure(stack('UPDATE_COMPLETE'))

    expect(line).toContain('is UPDATE_ROLLBACK_COMPLETE')
    expect(line).toContain('Policy document too large')
    expect(line).not.toContain('An earlier reason')
    expect(line).toContain('the stack keeps its previous template')
  })
})

describe('a refused CreateStack', () => {
  it('names the IAM action and the permissions section', async () => {
    const refusal = 'User is not authorized to perform: cloudformation:CreateStack'
    cfnMock.on(CreateStackCommand).rejects(serviceError('AccessDenied', refusal, 403))

    const line = await failure(undefined)

    expect(line).toContain("IAM permission 'cloudformation:CreateStack'")
    expect(line).toContain(`stack ${STACK_NAME}`)
    expect(line).toContain(PERMISSIONS_DOC)
  })
})
