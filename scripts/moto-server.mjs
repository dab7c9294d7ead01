/**
 * Starts and stops moto in server mode, a real AWS API emulator, on a free loopback port. Shared by
 * the tests' global set-up and the demo.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Creates .venv with the pinned moto when it is missing. */
export function installMoto() {
  execFileSync('bash', [path.join(projectRoot, 'scripts/setup-moto.sh')], { stdio: 'inherit' })
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** @returns {Promise<{ url: string, stop: () => Promise<void> }>} */
export async function startMoto() {
  installMoto()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  // Not moto_server itself: a launcher that applies each API call atomically, as AWS does.
  const child = spawn(
    path.join(projectRoot, '.venv/bin/python'),
    [path.join(projectRoot, 'scripts/moto-atomic-server.py'), '127.0.0.1', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr.on('data', chunk => (stderr = (stderr + chunk).slice(-4000)))
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${stderr}`)
    try {
      if ((await fetch(`${url}/moto-api/data.json`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill()
      throw new Error(`moto_server did not answer on ${url} within 30 s: ${stderr}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const stop = () =>
    new Promise(resolve => {
      if (child.exitCode !== null) return resolve(undefined)
      child.once('exit', () => resolve(undefined))
      child.kill('SIGTERM')
    })
  return { url, stop }
}
