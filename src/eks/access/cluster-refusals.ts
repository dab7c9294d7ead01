/**
 * What the user does when the cluster refuses the action: a 401 means the cluster does not know
 * the workflow's identity (no access entry or mapping), a 403 that it knows it but has not granted
 * what was asked (no binding of the role in permissions/).
 */
export const FORBIDDEN_ADVICE =
  'Grant the Kubernetes role in permissions/eks-kubernetes-role.yaml to the identity the action ' +
  'uses (README, "EKS cluster access").'

export function unauthorizedLine(what: string, advice: string): string {
  return `The cluster did not accept the action's credentials (401 Unauthorized) when trying to ${what}. ${advice}`
}

export function forbiddenLine(what: string, refusal: string): string {
  return `The cluster refused to let the action ${what} (403 Forbidden): ${refusal}. ${FORBIDDEN_ADVICE}`
}
