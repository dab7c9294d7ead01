export const KWOK_ANNOTATION: string

export interface KubePlane {
  server: string
  /** Base64 of the serving certificate chain, for a kubeconfig's certificate-authority-data. */
  caData: string
  adminToken: string
  adminKubeconfig: string
  /** The plane's private working folder, removed by stop(). */
  dir: string
  bin: string
  /** kube-apiserver's audit log (JSON lines), when asked for. */
  auditLog?: string
  logs(): Record<string, string>
  stop(): Promise<void>
}

export function installKube(): string

export function kubeconfigFor(options: {
  server: string
  caData: string
  user: Record<string, unknown>
}): string

export function startKubePlane(options?: {
  authenticationWebhook?: string
  stageFiles?: string[]
  users?: { token: string; name: string; groups: string[] }[]
  auditLog?: boolean
}): Promise<KubePlane>

/** Adds nodes (kwok-run unless `kwok: false`) and waits until the kwok ones are Ready. */
export function addNodes(
  plane: Pick<KubePlane, 'dir' | 'adminKubeconfig'>,
  nodes: { name: string; labels?: Record<string, string>; kwok?: boolean }[]
): Promise<void>
