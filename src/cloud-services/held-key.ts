/** The cloud-services key an agent release already holds, read back from its helm values. */

export interface HeldKey {
  accessKeyId: string
  secretAccessKey: string
}

export function heldKey(values: Record<string, unknown> | undefined): HeldKey | undefined {
  const cloud = values?.cloudServices as Partial<HeldKey> | undefined
  if (typeof cloud?.accessKeyId === 'string' && typeof cloud.secretAccessKey === 'string') {
    return { accessKeyId: cloud.accessKeyId, secretAccessKey: cloud.secretAccessKey }
  }
  return undefined
}
