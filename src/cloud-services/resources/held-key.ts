/**
 * The cloud-services key an agent release already holds, read back from its helm values. Its
 * secret is masked the moment it is read, whatever the run then does with the key.
 */
import { registerSecret } from '../../secrets.js'

export interface HeldKey {
  accessKeyId: string
  secretAccessKey: string
}

export function heldKey(values: Record<string, unknown> | undefined): HeldKey | undefined {
  const cloud = values?.cloudServices as Partial<HeldKey> | undefined
  if (
    typeof cloud?.accessKeyId === 'string' &&
    cloud.accessKeyId &&
    typeof cloud.secretAccessKey === 'string'
  ) {
    registerSecret(cloud.secretAccessKey)
    return { accessKeyId: cloud.accessKeyId, secretAccessKey: cloud.secretAccessKey }
  }
  return undefined
}
