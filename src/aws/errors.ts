/** Turns AWS SDK errors into the one line a user reads first: what failed, why, and the fix. */
import { ActionError } from '../errors.js'
import type { AwsCallError } from './clients.js'

export const PERMISSIONS_DOC = 'https://github.com/cloudaeye/metrics-agent-action#permissions'

interface SdkError extends AwsCallError {
  name?: string
  message?: string
  Code?: string
  $metadata?: { httpStatusCode?: number }
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClientException'
])

/**
 * How the shipped policies scope a permission whose refusal a user with those policies can meet:
 * the one line that says what to change.
 */
const AGENT_FAMILY_SCOPE =
  'The shipped ecs.json names the family cloudaeye-metrics-agent: with another agent-name, ' +
  'put that name in its task-definition ARNs.'

const SHIPPED_POLICY_SCOPES: Record<string, string> = {
  'iam:PassRole':
    "The shipped ecs.json passes only roles named CloudAEye* to ECS tasks: name the agent's " +
    'roles so, or put their ARNs in its PassRole statement.',
  'ecs:StopTask':
    'The shipped ecs.json stops only tasks tagged cloudaeye:managed-by=metrics-agent-action; ' +
    'an agent task started another way (by the old script) is stopped once by hand.',
  'ecs:RegisterTaskDefinition': AGENT_FAMILY_SCOPE,
  'ecs:RunTask': AGENT_FAMILY_SCOPE
}

const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ProviderError'])
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])

export function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined
  const sdkError = error as SdkError
  return sdkError.Code ?? sdkError.name
}

export function isAccessDenied(error: unknown): boolean {
  const code = errorCode(error)
  const status = (error as SdkError | undefined)?.$metadata?.httpStatusCode
  // Some services answer a refused call with a bare 403 whose body the SDK cannot name.
  return (code !== undefined && ACCESS_DENIED.has(code)) || status === 403
}

/**
 * One line for an AWS failure. `resource` says what the call was about (`security group of
 * vpc-123`), so the line names it.
 */
export function describeAwsError(error: unknown, resource?: string): string | undefined {
  if (!error || typeof error !== 'object') return undefined
  const sdkError = error as SdkError
  const code = errorCode(error)
  const action = sdkError.iamAction
  const about = resource ? ` (${resource})` : ''
  const detail = (sdkError.message ?? '').split('\n')[0]
  if (code && NO_CREDENTIALS.has(code)) {
    return (
      `No AWS credentials found: ${detail}. Add aws-actions/configure-aws-credentials ` +
      `before this step.`
    )
  }
  if (!action) return undefined
  if (isAccessDenied(error)) {
    // AWS names the permission it checked, which is not always the call's own (RunTask checks
    // iam:PassRole for the task's roles), and the resource it checked it on.
    const refused =
      /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)(?: on resource: (\S+))?/.exec(detail)
    const permission = refused?.[1] ?? action
    const onResource = refused?.[2] ? ` on ${refused[2]}` : ''
    const hint = SHIPPED_POLICY_SCOPES[permission] ? ` ${SHIPPED_POLICY_SCOPES[permission]}` : ''
    return (
      `AWS refused ${action}${about}: the workflow's credentials lack the IAM permission ` +
      `'${permission}'${onResource}.${hint} Grant it (see ${PERMISSIONS_DOC}). AWS said: ${detail || code}`
    )
  }
  if (code && EXPIRED.has(code)) {
    return `${action}${about} failed: the AWS credentials have expired. Refresh them before this step.`
  }
  return `${action}${about} failed: ${code ?? 'error'}: ${detail}`
}

/** The error to throw for a failed AWS call: a one-line ActionError when it can be explained. */
export function explainAwsFailure(error: unknown, resource: string): unknown {
  if (error instanceof ActionError) return error
  const line = describeAwsError(error, resource)
  return line ? new ActionError(line, { cause: error }) : error
}
