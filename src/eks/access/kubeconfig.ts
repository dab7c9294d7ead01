/**
 * A throw-away kubeconfig for one EKS cluster. kubectl and helm read JSON kubeconfigs, so no YAML
 * writer is needed. The file is private to the runner's user (a fresh 0700 directory, the file
 * 0600): its user block says how to obtain the workflow's access to the cluster.
 */
import { chmod, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as core from '@actions/core'
import { proxyFor } from '../../aws/proxy.js'
import { ActionError } from '../../errors.js'
import { privateTempDirectory } from '../../temp-dir.js'

export interface KubeconfigOptions {
  clusterName: string
  /** The cluster's API server URL; must be https, as the token must never travel in clear text. */
  endpoint: string
  /** Base64 of the cluster's CA certificate (PEM), as DescribeCluster returns it. */
  certificateAuthorityData: string
  /** The kubeconfig's user: a credential plugin (exec-credential.ts) or, in tests, a token. */
  user: Record<string, unknown>
  /** Defaults to RUNNER_TEMP, else the system's temporary directory. */
  directory?: string
}

export interface WrittenKubeconfig {
  path: string
  /** Deletes the file and its directory; safe to call more than once. */
  remove(): Promise<void>
}

export async function writeKubeconfig(options: KubeconfigOptions): Promise<WrittenKubeconfig> {
  const { clusterName, endpoint, certificateAuthorityData, user } = options
  if (!/^https:\/\//i.test(endpoint)) {
    throw new ActionError(
      `The endpoint of cluster ${clusterName} is not an https URL ('${endpoint}'); the action only ` +
        'sends its token over TLS.'
    )
  }
  if (!certificateAuthorityData.trim()) {
    throw new ActionError(`Cluster ${clusterName} reported no certificate authority data.`)
  }
  const proxy = proxyFor(endpoint)
  const directory = await privateTempDirectory('kubeconfig-', options.directory)
  const file = path.join(directory, 'config')
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: {
          server: endpoint,
          'certificate-authority-data': certificateAuthorityData.trim(),
          // helm and the Kubernetes client read the proxy from here, not from HTTPS_PROXY alone
          // (the client library ignores it): the cluster is reached as the AWS calls are.
          ...(proxy ? { 'proxy-url': proxy } : {})
        }
      }
    ],
    users: [{ name: clusterName, user }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    'current-context': clusterName,
    preferences: {}
  }
  try {
    await writeFile(file, `${JSON.stringify(kubeconfig, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
    // The mode given to writeFile only applies through the umask; make it exact.
    await chmod(file, 0o600)
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw error
  }
  core.debug(`Kubeconfig for cluster ${clusterName} written to ${file}`)
  return {
    path: file,
    remove: () => rm(directory, { recursive: true, force: true })
  }
}
