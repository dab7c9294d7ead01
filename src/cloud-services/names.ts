/**
 * The names of what cloud services provisions. Fixed, not derived from inputs: the script this
 * action replaces used the same ones, and the action adopts what it left behind.
 */
export const STACK_NAME = 'CloudAEyeServiceAccountStack'
export const USER_NAME = 'CloudAEyeServiceAccount'
export const POLICY_NAME = 'CloudAEyeServiceAccountPolicy'
export const TEMPLATE_FILE = 'templates/cloudaeye-service-account.json'
