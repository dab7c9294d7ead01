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

/**
 * Every role the action makes for an agent starts with this, which the deploy policies scope role
 * writes to (and ECS's PassRole already allows). A name prefix, not an IAM path: IAM authorises a
 * call on a role that does not exist yet against the ARN without a path, so a path-scoped GetRole
 * would be refused where it should answer "no such role".
 */
export const ROLE_PREFIX = 'CloudAEye'
/** The inline policy on an agent role: the same document as the user's managed policy. */
export const ROLE_POLICY_NAME = 'CloudAEyeCloudWatchRead'
/**
 * The audience of the service account token the EKS Pod Identity webhook projects, in every
 * partition (the webhook's default, which the chart does not change).
 */
export const IRSA_AUDIENCE = 'sts.amazonaws.com'
