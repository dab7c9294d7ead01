/**
 * Private directories for the files that hold a secret (the kubeconfig's token, helm values with
 * keys). They go under RUNNER_TEMP, which the runner empties after the job; self-hosted runners,
 * containers and local runs may name a RUNNER_TEMP that does not exist yet, so it is created
 * (private) when missing. With no RUNNER_TEMP at all, the system's temporary directory serves.
 */
import { mkdir, mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A new directory of mode 0700 whose name starts with `prefix`. */
export async function privateTempDirectory(prefix: string, parent?: string): Promise<string> {
  const base = parent || process.env.RUNNER_TEMP || os.tmpdir()
  await mkdir(base, { recursive: true, mode: 0o700 })
  return mkdtemp(path.join(base, prefix))
}
