import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { projectRoot, startMoto } from '../../scripts/moto-server.mjs'

/**
 * Installs what the tests run against (moto, two real helm binaries) when missing, and starts one
 * emulator for the whole run; suites reset it between tests.
 */
export default async function globalSetup() {
  execFileSync('bash', [path.join(projectRoot, 'scripts/fetch-helm.sh')], { stdio: 'inherit' })
  const moto = await startMoto()
  process.env.MOTO_URL = moto.url
  globalThis.__moto = moto
}
