/** The first argument that makes the bundle print an EKS ExecCredential instead of running. */
export const EXEC_CREDENTIAL_COMMAND = 'eks-token'
