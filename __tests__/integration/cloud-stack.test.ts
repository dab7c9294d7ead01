/**
 * The cloud-services stack against the emulator: a real CreateStack of the shipped template, the
 * IAM user and policy it makes, a second run that changes nothing, an older template brought up
 * to date, and a run that loses the create race. Failures and rollbacks, which the emulator does
 * not produce, are in the unit tests.
 */
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand
} from '@aws-sdk/client-cloudformation'
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand
} from '@aws-sdk/client-iam'
import { actionFile } from '../../src/action-files.js'
import { newCallLog, type CallLog } from '../../src/aws/call-log.js'
import { clientConfig, instrument } from '../../src/aws/clients.js'
import {
  POLICY_NAME,
  STACK_NAME,
  TEMPLATE_FILE,
  USER_NAME
} from '../../src/cloud-services/names.js'
import { ensureStack, findStack } from '../../src/cloud-services/stack.js'
import { fastClock } from '../support/action-harness.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'

const TAGS = { team: 'platform', 'cloudaeye:managed-by': 'metrics-agent-action' }
const templateBody = readFileSync(actionFile(TEMPLATE_FILE), 'utf8')
const template = JSON.parse(templateBody)

/** A CloudFormation client as the action makes one, with its own call log. */
function actionClient(): { cfn: CloudFormationClient; callLog: CallLog } {
  const callLog = newCallLog()
  const cfn = instrument(new CloudFormationClient(clientConfig(REGION)), 'cloudformation', callLog)
  return { cfn, callLog }
}

/** One run of the stack step, as the action would make it. */
async function run(requestToken = 'run-1-attempt-1') {
  const { cfn, callLog } = actionClient()
  try {
    const existing = await findStack(cfn)
    const outcome = await ensureStack(cfn, existing, {
      tags: TAGS,
      clock: fastClock(),
      timeoutMs: 60_000,
      requestToken
    })
    return { outcome, callLog }
  } finally {
    cfn.destroy()
  }
}

/** Creates the stack behind the action's back, as another run or an older release would. */
async function createStackDirectly(body: string) {
  const cfn = new CloudFormationClient({ region: REGION })
  await cfn.send(
    new CreateStackCommand({
      StackName: STACK_NAME,
      TemplateBody: body,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Tags: Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }))
    })
  )
  cfn.destroy()
}

async function deployedTemplate(): Promise<unknown> {
  const cfn = new CloudFormationClient({ region: REGION })
  const answer = await cfn.send(new GetTemplateCommand({ StackName: STACK_NAME }))
  cfn.destroy()
  return JSON.parse(answer.TemplateBody!)
}

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  // Progress lines go to stdout through the toolkit; they are not what these tests look at.
  jest.spyOn(process.stdout, 'write').mockReturnValue(true)
})

afterEach(() => {
  jest.restoreAllMocks()
})

describe('a first run', () => {
  it('creates the stack, and with it the user and its policy, and reports their ARNs', async () => {
    const { outcome, callLog } = await run()

    expect(outcome.status).toBe('created')
    expect(callLog.mutatingCalls()).toEqual(['cloudformation:CreateStack'])

    const iam = new IAMClient({ region: REGION })
    const user = (await iam.send(new GetUserCommand({ UserName: USER_NAME }))).User!
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: outcome.policyArn }))).Policy!
    const version = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: outcome.policyArn,
        VersionId: policy.DefaultVersionId
      })
    )
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: USER_NAME }))
    iam.destroy()

    expect(outcome.userArn).toBe(user.Arn)
    expect(outcome.userArn).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:user/${USER_NAME}$`))
    expect(policy.PolicyName).toBe(POLICY_NAME)
    expect(outcome.policyArn).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:policy/${POLICY_NAME}$`))
    // IAM returns the document URL-encoded.
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(
      template.Resources.ServiceAccountPolicy.Properties.PolicyDocument
    )
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: POLICY_NAME, PolicyArn: outcome.policyArn }
    ])

    const { cfn } = actionClient()
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK_NAME }))).Stacks![0]
    cfn.destroy()
    expect(outcome.stackId).toBe(stack.StackId)
    expect(stack.StackStatus).toBe('CREATE_COMPLETE')
    expect(stack.Tags).toEqual(
      expect.arrayContaining(Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value })))
    )
    expect(stack.Tags).toHaveLength(Object.keys(TAGS).length)
  })
})

describe('a second run', () => {
  it('finds the stack as it should be and changes nothing', async () => {
    const first = await run('run-1-attempt-1')

    const { outcome, callLog } = await run('run-2-attempt-1')

    expect(outcome).toEqual({ ...first.outcome, status: 'unchanged' })
    expect(callLog.mutatingCalls()).toEqual([])
    expect(callLog.calls).toEqual(['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'])
  })
})

describe('a stack made from an older template', () => {
  it('is updated to the shipped one, and the run after that changes nothing', async () => {
    // The emulator applies a change of the template's description; it drops the policy's
    // outputs when the policy resource itself changes (see the unit tests for that path).
    await createStackDirectly(JSON.stringify({ ...template, Description: 'An older release' }))

    const { outcome, callLog } = await run()

    expect(outcome.status).toBe('updated')
    expect(callLog.mutatingCalls()).toEqual(['cloudformation:UpdateStack'])
    expect(outcome.userArn).toMatch(new RegExp(`:user/${USER_NAME}$`))
    expect(outcome.policyArn).toMatch(new RegExp(`:policy/${POLICY_NAME}$`))
    expect(await deployedTemplate()).toEqual(template)

    const again = await run('run-2-attempt-1')
    expect(again.outcome.status).toBe('unchanged')
    expect(again.callLog.mutatingCalls()).toEqual([])
  })

  it('is left alone when it differs only in formatting', async () => {
    await createStackDirectly(JSON.stringify(template))

    const { outcome, callLog } = await run()

    expect(outcome.status).toBe('unchanged')
    expect(callLog.mutatingCalls()).toEqual([])
  })
})

describe('a run that loses the race to create the stack', () => {
  it('reads the stack the other run made and uses it', async () => {
    const { cfn, callLog } = actionClient()
    // This run looked before the other run's CreateStack landed.
    const existing = await findStack(cfn)
    expect(existing).toBeUndefined()
    await createStackDirectly(templateBody)

    const outcome = await ensureStack(cfn, existing, {
      tags: TAGS,
      clock: fastClock(),
      timeoutMs: 60_000,
      requestToken: 'run-2-attempt-1'
    })
    cfn.destroy()

    expect(outcome.status).toBe('unchanged')
    expect(outcome.policyArn).toMatch(new RegExp(`:policy/${POLICY_NAME}$`))
    // The refused CreateStack is the only change it tried.
    expect(callLog.mutatingCalls()).toEqual(['cloudformation:CreateStack'])
  })
})
