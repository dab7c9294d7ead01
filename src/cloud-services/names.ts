/**
 * The names of what cloud services provisions. Fixed, not derived from inputs: the script this
 * action replaces used the same ones, and the action adopts what it left behind.
 */
export const STACK_NAME = 'CloudAEyeServiceAccountStack'
export const USER_NAME = 'CloudAEyeServiceAccount'
export const POLICY_NAME = 'CloudAEyeServiceAccountPolicy'
export const TEMPLATE_FILE = 'templates/cloudaeye-service-account.json'

/**
 * The permissions boundary on every identity the action makes for the agent: AWS's own CloudWatch
 * read-only policy. Nobody in the account can change it, so whoever may write the agent's policy
 * still cannot give the agent more than CloudWatch read.
 */
export const BOUNDARY_POLICY_NAME = 'CloudWatchReadOnlyAccess'

export function boundaryArnFor(partition: string): string {
  return `arn:${partition}:iam::aws:policy/${BOUNDARY_POLICY_NAME}`
}
