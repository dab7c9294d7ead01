/**
 * The CloudFormation stack that owns the agent's IAM user and policy: found, created from the
 * template shipped with the action, brought up to date when that template changed, and waited for.
 */
import { readFile } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import * as core from '@actions/core'
import {
  Capability,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
  type CloudFormationClient,
  type Stack,
  type StackEvent
} from '@aws-sdk/client-cloudformation'
import { actionFile } from '../action-files.js'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { ActionError } from '../errors.js'
import { formatElapsed, pollUntil, type Clock } from '../poll.js'
import { STACK_NAME, TEMPLATE_FILE } from './names.js'

export interface StackOutcome {
  stackId: string
  userArn: string
  policyArn: string
  status: 'created' | 'updated' | 'unchanged'
}

export interface EnsureStackOptions {
  tags: Record<string, string>
  clock: Clock
  timeoutMs: number
  /** CloudFormation allows 128 characters matching [a-zA-Z][-a-zA-Z0-9]*. */
  requestToken: string
}

const ABOUT = `stack ${STACK_NAME}`

/** Settled states whose resources exist and which UpdateStack accepts. */
const USABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE'
])

const DELETE_IT = `delete the stack ${STACK_NAME}`
const RECREATE = `remove the cause, ${DELETE_IT} (a failed create cannot be updated), then re-run.`
const RETAIN = `${DELETE_IT}, retaining what CloudFormation cannot delete, then re-run.`

/** What the user does about a stack that settled in each failed state. */
const FIXES: Record<string, string> = {
  CREATE_FAILED: RECREATE,
  ROLLBACK_COMPLETE: RECREATE,
  ROLLBACK_FAILED: RETAIN,
  DELETE_FAILED: RETAIN,
  DELETE_COMPLETE:
    'remove the cause, then re-run: the failed stack was deleted, so it is created anew.',
  UPDATE_ROLLBACK_COMPLETE: 'remove the cause, then re-run; the stack keeps its previous template.',
  UPDATE_ROLLBACK_FAILED: 'continue its rollback (continue-update-rollback), then re-run.',
  UPDATE_FAILED: 'roll it back (rollback-stack) or remove the cause, then re-run.',
  REVIEW_IN_PROGRESS: `execute the change set that created the stack, or ${DELETE_IT}; then re-run.`
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded'])

/** The stack as it is now, or undefined when it does not exist. */
export async function findStack(cfn: CloudFormationClient): Promise<Stack | undefined> {
  try {
    const answer = await cfn.send(new DescribeStacksCommand({ StackName: STACK_NAME }))
    return answer.Stacks?.[0]
  } catch (error) {
    if (isMissing(error)) return undefined
    throw explainAwsFailure(error, ABOUT)
  }
}

/** CloudFormation has no NotFound code: a missing stack is a ValidationError that says so. */
function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ValidationError' && /does not exist/.test(messageOf(error))
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Brings the stack to the shipped template: create it when `existing` is undefined; wait for one
 * in progress (a racing run's); leave a complete one alone unless its template differs, then
 * update it and wait.
 */
export async function ensureStack(
  cfn: CloudFormationClient,
  existing: Stack | undefined,
  options: EnsureStackOptions
): Promise<StackOutcome> {
  const templateBody = await readFile(actionFile(TEMPLATE_FILE), 'utf8')
  const deadline = options.clock.now() + options.timeoutMs
  const wait = (stack: Stack) => waitForStack(cfn, stack, deadline, options.clock)
  let stack = existing
  // Each pass acts on what it last read. A racing run can create, change or lose the stack in
  // between, so a pass may end by re-reading; three passes cover create-lost-race-then-wait.
  for (let pass = 0; pass < 3; pass++) {
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') {
      const stackId = await createStack(cfn, templateBody, options)
      if (!stackId) {
        stack = await findStack(cfn)
        continue
      }
      const created = await wait({ StackId: stackId, StackStatus: 'CREATE_IN_PROGRESS' } as Stack)
      if (created.StackStatus !== 'CREATE_COMPLETE') throw await stackFailure(cfn, created)
      return outcome(created, 'created')
    }
    if (inProgress(stack)) {
      core.info(`Stack ${STACK_NAME} is ${stack.StackStatus}: waiting for it to settle`)
      stack = await wait(stack)
      continue
    }
    if (!USABLE.has(stack.StackStatus ?? '')) throw await stackFailure(cfn, stack)
    if (await templateMatches(cfn, stack, templateBody)) return outcome(stack, 'unchanged')
    if (!(await updateStack(cfn, stack, templateBody, options))) return outcome(stack, 'unchanged')
    const updated = await wait({ ...stack, StackStatus: 'UPDATE_IN_PROGRESS' })
    if (updated.StackStatus !== 'UPDATE_COMPLETE') throw await stackFailure(cfn, updated)
    return outcome(updated, 'updated')
  }
  throw new ActionError(
    `Stack ${STACK_NAME} kept changing while this run worked on it (another run or a person ` +
      `is changing it); re-run once they are done.`
  )
}

/** What CreateStack and UpdateStack both send. */
function stackChange(templateBody: string, options: EnsureStackOptions) {
  return {
    TemplateBody: templateBody,
    // The deploy policy allows a stack write only with the template's resource types declared, so
    // that its holder cannot put anything else (a role, an inline policy) into the stack.
    ResourceTypes: resourceTypesOf(templateBody),
    Capabilities: [Capability.CAPABILITY_NAMED_IAM],
    Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value }))
  }
}

function resourceTypesOf(templateBody: string): string[] {
  const template = JSON.parse(templateBody) as { Resources?: Record<string, { Type: string }> }
  return [...new Set(Object.values(template.Resources ?? {}).map(resource => resource.Type))].sort()
}

/**
 * Its StackId, or undefined when a stack of that name exists now (a racing run's), to be waited
 * for and adopted. CloudFormation answers a lost race with AlreadyExistsException, but a create
 * that fails for any reason is followed by a look: the failure is only reported when no stack of
 * that name came to be, whatever error the lost race produced.
 */
async function createStack(
  cfn: CloudFormationClient,
  templateBody: string,
  options: EnsureStackOptions
): Promise<string | undefined> {
  core.info(`Creating stack ${STACK_NAME}`)
  try {
    const answer = await cfn.send(
      new CreateStackCommand({
        StackName: STACK_NAME,
        ...stackChange(templateBody, options),
        // ROLLBACK would keep a ROLLBACK_COMPLETE stack that cannot be updated and blocks a new
        // create until someone deletes it; DELETE lets the re-run after a fix converge. The
        // reasons are not lost: the events stay readable by stack ID and are reported.
        OnFailure: 'DELETE',
        ClientRequestToken: options.requestToken.slice(0, 128)
      })
    )
    return answer.StackId
  } catch (error) {
    if (errorCode(error) === 'AlreadyExistsException') return undefined
    const racing = await findStack(cfn).catch(() => undefined)
    if (racing && racing.StackStatus !== 'DELETE_COMPLETE') {
      core.info(
        `Creating stack ${STACK_NAME} failed (${messageOf(error)}), but another run created it ` +
          `meanwhile (${racing.StackStatus}): using that one.`
      )
      return undefined
    }
    throw explainAwsFailure(error, ABOUT)
  }
}

/** False when CloudFormation finds nothing to change. */
async function updateStack(
  cfn: CloudFormationClient,
  stack: Stack,
  templateBody: string,
  options: EnsureStackOptions
): Promise<boolean> {
  core.info(`Stack ${STACK_NAME} has an older template: updating it`)
  try {
    await cfn.send(
      new UpdateStackCommand({
        StackName: stack.StackId,
        ...stackChange(templateBody, options),
        // Its own token: CloudFormation stamps it on every event of the operation, which keeps
        // this update's events apart from a create's when failures are read back.
        ClientRequestToken: `${options.requestToken.slice(0, 121)}-update`
      })
    )
    return true
  } catch (error) {
    const nothingToDo = /No updates are to be performed/i.test(messageOf(error))
    if (errorCode(error) === 'ValidationError' && nothingToDo) return false
    throw explainAwsFailure(error, ABOUT)
  }
}

/** Compared as parsed JSON, so formatting and key order are not a change. */
async function templateMatches(cfn: CloudFormationClient, stack: Stack, templateBody: string) {
  const answer = await cfn
    .send(new GetTemplateCommand({ StackName: stack.StackId, TemplateStage: 'Original' }))
    .catch(error => Promise.reject(explainAwsFailure(error, ABOUT)))
  try {
    return isDeepStrictEqual(JSON.parse(answer.TemplateBody ?? ''), JSON.parse(templateBody))
  } catch {
    // A YAML template, or none: not the one this action ships.
    return false
  }
}

/** REVIEW_IN_PROGRESS waits for a person to execute a change set, so waiting would not end it. */
function inProgress(stack: Stack): boolean {
  const status = stack.StackStatus ?? ''
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS'
}

/** Polls by stack ID, which keeps answering after a failed create deleted the stack. */
async function waitForStack(
  cfn: CloudFormationClient,
  known: Stack,
  deadline: number,
  clock: Clock
): Promise<Stack> {
  let latest = known
  const { value: stack, elapsedMs } = await pollUntil<Stack>({
    clock,
    timeoutMs: Math.max(0, deadline - clock.now()),
    probe: async () => {
      try {
        const answer = await cfn.send(new DescribeStacksCommand({ StackName: known.StackId }))
        latest = answer.Stacks?.[0] ?? { ...latest, StackStatus: 'DELETE_COMPLETE' }
      } catch (error) {
        if (isMissing(error)) latest = { ...latest, StackStatus: 'DELETE_COMPLETE' }
        // The SDK has retried already; a long wait can afford to skip a look rather than fail.
        else if (!THROTTLING.has(errorCode(error) ?? '')) throw explainAwsFailure(error, ABOUT)
      }
      return latest
    },
    done: stack => !inProgress(stack),
    progress: (stack, elapsedMs) =>
      core.info(`Stack ${STACK_NAME}: ${stack.StackStatus} (${formatElapsed(elapsedMs)})`)
  })
  if (inProgress(stack)) {
    throw new ActionError(
      `Stack ${STACK_NAME} is still ${stack.StackStatus} after ${formatElapsed(elapsedMs)}, past ` +
        `the wait timeout ('wait-timeout'). CloudFormation carries on without this run: a re-run ` +
        `waits for it. Raise 'wait-timeout', or follow the stack's events in the console.`
    )
  }
  return stack
}

function outcome(stack: Stack, status: StackOutcome['status']): StackOutcome {
  const output = (key: string) => {
    const value = stack.Outputs?.find(output => output.OutputKey === key)?.OutputValue
    if (value) return value
    throw new ActionError(
      `Stack ${STACK_NAME} has no output ${key}, so it was not made from this action's template. ` +
        `Delete it (or give it that output), then re-run.`
    )
  }
  const [userArn, policyArn] = [output('UserArn'), output('PolicyArn')]
  return { stackId: stack.StackId ?? '', userArn, policyArn, status }
}

/** One line: the state, each failed resource with CloudFormation's reason, and the fix. */
async function stackFailure(cfn: CloudFormationClient, stack: Stack): Promise<ActionError> {
  const status = stack.StackStatus ?? 'in an unknown state'
  const failures = await latestFailures(cfn, stack)
  const why =
    failures.length > 0
      ? failures.join('; ')
      : stack.StackStatusReason || 'CloudFormation gave no reason'
  const fix = FIXES[status] ?? `bring the stack to a *_COMPLETE state or delete it, then re-run.`
  return new ActionError(oneLine(`Stack ${STACK_NAME} is ${status}: ${why}. To fix: ${fix}`))
}

/** Enough pages for one attempt of a two-resource stack many times over. */
const MAX_EVENT_PAGES = 10

/**
 * The *_FAILED resource events of the stack's latest operation, oldest first. Events come newest
 * first; the operation began at the stack's own CREATE/UPDATE_IN_PROGRESS event, and all its
 * events carry the same client request token when one was given.
 */
async function latestFailures(cfn: CloudFormationClient, stack: Stack): Promise<string[]> {
  const failures: string[] = []
  const StackName = stack.StackId ?? STACK_NAME
  let attempt: StackEvent | undefined
  let NextToken: string | undefined
  try {
    pages: for (let page = 0; page < MAX_EVENT_PAGES; page++) {
      const answer = await cfn.send(new DescribeStackEventsCommand({ StackName, NextToken }))
      for (const event of answer.StackEvents ?? []) {
        attempt ??= event
        const token = attempt.ClientRequestToken
        if (token && event.ClientRequestToken !== token) break pages
        if (isStackEvent(event, stack)) {
          if (startsOperation(event)) break pages
        } else if (event.ResourceStatus?.endsWith('_FAILED')) {
          failures.push(
            `${event.LogicalResourceId} (${event.ResourceType}) ${event.ResourceStatus}: ` +
              `${event.ResourceStatusReason || 'no reason given'}`
          )
        }
      }
      NextToken = answer.NextToken
      if (!NextToken) break
    }
  } catch (error) {
    // The failure itself matters more than a refused look at its events.
    const unread = `its events could not be read: ${messageOf(explainAwsFailure(error, ABOUT))}`
    return [`${stack.StackStatusReason ?? 'no reason given'} (${unread})`]
  }
  return [...new Set(failures.reverse())]
}

function isStackEvent(event: StackEvent, stack: Stack): boolean {
  return (
    event.ResourceType === 'AWS::CloudFormation::Stack' &&
    (event.PhysicalResourceId === stack.StackId || event.LogicalResourceId === STACK_NAME)
  )
}

/**
 * Not DELETE_IN_PROGRESS: a create that fails with OnFailure DELETE goes on to delete, and the
 * reasons sit before that event.
 */
function startsOperation(event: StackEvent): boolean {
  return ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'IMPORT_IN_PROGRESS'].includes(
    event.ResourceStatus ?? ''
  )
}

/** A reason can span lines; the step's error line must not. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
