/** The real helm binaries the set-up fetched, and the check that they accept an argv. */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const REAL_HELM_3 = path.join(projectRoot, '.cache/helm/v3/helm')
export const REAL_HELM_4 = path.join(projectRoot, '.cache/helm/v4/helm')

/**
 * Parses `argv` with the real helm (`--help` stops it before it acts): an unknown, malformed or
 * deprecated flag makes the exit code non-zero or the stderr non-empty. `home` keeps helm's own
 * files out of the user's.
 */
export function realHelmParses(
  real: string,
  argv: string[],
  home: string
): Promise<{ code: number; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    HELM_CONFIG_HOME: path.join(home, 'helm')
  }
  return new Promise(resolve =>
    execFile(real, [...argv, '--help'], { env }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })
    )
  )
}
