/**
 * An agent as the seed's script left it: one IAM user, CloudAEyeServiceAccount, shared by every
 * cluster, and this cluster's release holding a key of it. Installed with the real helm as the
 * cluster's admin, so the action meets it as it would in an account that ran the script.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  type AccessKey
} from '@aws-sdk/client-iam'
import { fileURLToPath } from 'node:url'
import { REGION } from './moto.js'
import { REAL_HELM_4 } from './real-helm.js'

const execute = promisify(execFile)
export const SEED_USER = 'CloudAEyeServiceAccount'
const CHART = fileURLToPath(new URL('../../charts/cloudaeye-metrics-agent', import.meta.url))

/** Makes the seed's user (when missing) and a key of it; returns the key. */
export async function seedUserKey(): Promise<AccessKey> {
  const iam = new IAMClient({ region: REGION })
  try {
    await iam.send(new CreateUserCommand({ UserName: SEED_USER })).catch((error: Error) => {
      if (!error.name.startsWith('EntityAlreadyExists')) throw error
    })
    return (await iam.send(new CreateAccessKeyCommand({ UserName: SEED_USER }))).AccessKey!
  } finally {
    iam.destroy()
  }
}

/** Installs the agent's release holding a new key of the seed's user; returns that key. */
export async function installWithSeedKey(options: {
  kubeconfig: string
  namespace: string
  cluster: string
  release?: string
}): Promise<AccessKey> {
  const key = await seedUserKey()
  const directory = await mkdtemp(path.join(os.tmpdir(), 'seed-values-'))
  try {
    const values = path.join(directory, 'values.json')
    await writeFile(
      values,
      JSON.stringify({
        image: 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0',
        cloudaeye: {
          endpoint: 'https://metrics.cloudaeye.example',
          cluster: options.cluster,
          platform: 'eks',
          region: REGION
        },
        apiKey: 'cak_seed_script_0000',
        cloudServices: {
          enabled: true,
          accessKeyId: key.AccessKeyId,
          secretAccessKey: key.SecretAccessKey
        }
      }),
      { mode: 0o600 }
    )
    await execute(REAL_HELM_4, [
      'upgrade',
      '--install',
      options.release ?? 'cloudaeye-metrics-agent',
      CHART,
      '--namespace',
      options.namespace,
      '--create-namespace',
      '--values',
      values,
      '--kubeconfig',
      options.kubeconfig
    ])
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
  return key
}
