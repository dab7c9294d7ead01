/**
 * The kubeconfig's credential plugin: `node dist/index.js eks-token <cluster> <region>` prints an
 * ExecCredential with a freshly signed EKS token and its expiry, as `aws eks get-token` does. helm
 * and the rollout watch run it whenever their token has expired or been refused, so no wait of up
 * to 'wait-timeout' can outlive the 15 minutes EKS honours a token for, and the kubeconfig on disk
 * holds no token at all.
 */
import { actionFile } from '../action-files.js'
import { EXEC_CREDENTIAL_COMMAND } from './exec-credential-command.js'
import { signEksToken } from './access/token.js'
const API_VERSION = 'client.authentication.k8s.io/v1beta1'

/** The kubeconfig `user.exec` block that runs this entry of the action's own bundle. */
export function execCredentialUser(clusterName: string, region: string) {
  return {
    exec: {
      apiVersion: API_VERSION,
      command: process.execPath,
      args: [actionFile('dist/index.js'), EXEC_CREDENTIAL_COMMAND, clusterName, region],
      // The plugin signs with the step's AWS credentials, from the environment it inherits. Given
      // no `env` list at all, the Kubernetes client library spawns it with the environment the
      // process started with rather than the one it has now; an empty list avoids that.
      env: [],
      interactiveMode: 'Never',
      provideClusterInfo: false
    }
  }
}

/** Prints the ExecCredential on stdout; errors go to stderr, which helm shows. */
export async function printExecCredential(args: string[]): Promise<void> {
  const [clusterName, region] = args
  try {
    const { token, expiresAt } = await signEksToken({ clusterName, region })
    const credential = {
      apiVersion: API_VERSION,
      kind: 'ExecCredential',
      status: { expirationTimestamp: expiresAt.toISOString(), token }
    }
    process.stdout.write(`${JSON.stringify(credential)}\n`)
  } catch (error) {
    process.stderr.write(`Could not sign an EKS token: ${(error as Error).message}\n`)
    process.exitCode = 1
  }
}
