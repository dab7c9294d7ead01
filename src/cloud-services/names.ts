/** The names of what cloud services provisions and of what the script it replaces left behind. */

/**
 * The IAM user the seed's script made and shared between clusters. The action makes none like it
 * any more; a key of it that an agent's release holds is deleted once the agent moved off it.
 */
export const SEED_USER_NAME = 'CloudAEyeServiceAccount'

/** The read-only policy document every identity of the agent carries, inline. */
export const AGENT_POLICY_FILE = 'templates/agent-cloudwatch-read.json'
export const AGENT_POLICY_NAME = 'CloudAEyeCloudWatchRead'

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
 * Every role and user the action makes for an agent starts with this, which the deploy policies
 * scope their writes to (and ECS's PassRole already allows). A name prefix, not an IAM path: IAM
 * authorises a call on an identity that does not exist yet against the ARN without a path, so a
 * path-scoped GetRole would be refused where it should answer "no such role".
 */
export const ROLE_PREFIX = 'CloudAEye'

/**
 * The audience of the service account token the EKS Pod Identity webhook projects, in every
 * partition (the webhook's default, which the chart does not change).
 */
export const IRSA_AUDIENCE = 'sts.amazonaws.com'
