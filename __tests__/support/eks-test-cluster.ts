/**
 * One EKS cluster as the tests see it: the cluster record in the emulator, a real control plane
 * behind it (kube-apiserver, controllers, scheduler, kwok nodes with the Stages in
 * kwok-stages.yaml), and between them what EKS itself provides:
 * - an authenticator that checks the action's `k8s-aws-v1.` tokens as EKS does and maps the
 *   caller's ARN through access entries (eks-authenticator.mjs);
 * - DescribeCluster answering the plane's endpoint and CA, which the emulator cannot
 *   (eks-endpoint-proxy.mjs, in front of the emulator for EKS calls only).
 * A suite starts one in beforeAll; the emulator is reset between tests, so `register()` puts the
 * cluster record back.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startKubePlane, type KubePlane } from '../../scripts/kube-plane.mjs'
import { startEksAuthenticator, type EksAuthenticator } from './eks-authenticator.mjs'
import { createEksCluster } from './eks-cluster.js'
import { startEksEndpointProxy, type EksEndpointProxy } from './eks-endpoint-proxy.mjs'
import { createNodes, waitForNodesReady, type NodeSpec } from './kube-nodes.js'
import { REGION, motoEnvironment, motoUrl } from './moto.js'

export const KWOK_STAGES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'kwok-stages.yaml'
)

/** The IAM user whose key the runs use, with an access entry into the cluster. */
export const DEPLOYER = 'eks-deployer'
export const CALLER_ARN = `arn:aws:iam::123456789012:user/${DEPLOYER}`

export interface EksTestCluster {
  name: string
  plane: KubePlane
  authenticator: EksAuthenticator
  /**
   * The environment a run needs: the emulator, with EKS calls through the endpoint proxy, and the
   * deployer's key (the emulator's dummy keys belong to no IAM identity that EKS could map).
   */
  environment(): Record<string, string>
  /** The same, with every AWS call going to `target` first (a fault proxy in front of moto). */
  environmentVia(target: string): Promise<Record<string, string>>
  /** Creates the cluster record and the deployer's key in the emulator (again, after a reset). */
  register(): Promise<void>
  /** A kubeconfig file holding the plane's admin token, for what the tests check. */
  adminKubeconfig: string
  stop(): Promise<void>
}

export async function startEksTestCluster(options: {
  name: string
  nodes: NodeSpec[]
  /** Kubernetes groups of the action's identity; cluster admin by default. */
  groups?: string[]
  /** Keep the API server's audit log (see kube-plane.mjs), at `plane.auditLog`. */
  auditLog?: boolean
}): Promise<EksTestCluster> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'eks-test-cluster-'))
  let deployerKey = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }
  const authenticator = await startEksAuthenticator({
    clusterName: options.name,
    region: REGION,
    stsTarget: motoUrl(),
    credentials: [],
    accessEntries: {
      [CALLER_ARN]: { username: 'deployer', groups: options.groups ?? ['system:masters'] }
    }
  })
  let plane: KubePlane | undefined
  const proxies: EksEndpointProxy[] = []
  const stop = async () => {
    await Promise.all(proxies.map(proxy => proxy.close()))
    await plane?.stop()
    await authenticator.stop()
    await rm(work, { recursive: true, force: true })
  }
  try {
    plane = await startKubePlane({
      authenticationWebhook: authenticator.webhookKubeconfigPath,
      stageFiles: [KWOK_STAGES],
      auditLog: options.auditLog
    })
    const started = plane
    await createNodes(started.adminKubeconfig, options.nodes)
    const ready = options.nodes.filter(node => node.kind !== 'not-ready').map(node => node.name)
    await waitForNodesReady(started.adminKubeconfig, ready)
    const defaultProxy = await proxyTo(motoUrl())
    return {
      name: options.name,
      plane: started,
      authenticator,
      adminKubeconfig: started.adminKubeconfig,
      environment: () => ({
        ...motoEnvironment(),
        ...deployerKey,
        AWS_ENDPOINT_URL_EKS: defaultProxy.url
      }),
      environmentVia: async target => ({
        ...motoEnvironment(target),
        ...deployerKey,
        AWS_ENDPOINT_URL_EKS: (await proxyTo(target)).url
      }),
      register: async () => {
        await createEksCluster(options.name)
        const key = await createUserKey(DEPLOYER)
        authenticator.trust(key)
        deployerKey = {
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey
        }
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }

  async function proxyTo(target: string): Promise<EksEndpointProxy> {
    const proxy = await startEksEndpointProxy({
      target,
      clusterName: options.name,
      endpoint: plane!.server,
      caData: plane!.caData
    })
    proxies.push(proxy)
    return proxy
  }
}

/** Writes a kubeconfig for the plane with `user`, e.g. a token, in a private file under `dir`. */
export async function writePlaneKubeconfig(
  dir: string,
  plane: KubePlane,
  name: string,
  user: Record<string, unknown>
): Promise<string> {
  const { kubeconfigFor } = await import('../../scripts/kube-plane.mjs')
  const file = path.join(dir, `${name}.kubeconfig`)
  await writeFile(file, kubeconfigFor({ server: plane.server, caData: plane.caData, user }), {
    mode: 0o600
  })
  return file
}

async function createUserKey(userName: string) {
  const iam = new IAMClient({ region: REGION })
  try {
    await iam.send(new CreateUserCommand({ UserName: userName }))
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }))
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }
  } finally {
    iam.destroy()
  }
}
