/** Sent in the AWS user agent, so CloudTrail shows which release made a call. */
export const ACTION_VERSION = '1.0.0'
