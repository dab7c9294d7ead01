import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { installKube } from '../../scripts/kube-plane.mjs'
import { projectRoot, startMoto } from '../../scripts/moto-server.mjs'

/**
 * Installs what the tests run against (moto, two real helm binaries, actionlint, the Kubernetes
 * control plane's binaries) when missing, and starts one emulator for the whole run; suites reset
 * it between tests. Each EKS suite starts a control plane of its own (support/eks-test-cluster.ts).
 */
export default async function globalSetup() {
  execFileSync('bash', [path.join(projectRoot, 'scripts/fetch-helm.sh')], { stdio: 'inherit' })
  execFileSync('bash', [path.join(projectRoot, 'scripts/setup-actionlint.sh')], {
    stdio: 'inherit'
  })
  installKube()
  // Before the emulator starts: the linters share its virtualenv and may move a shared package.
  execFileSync('bash', [path.join(projectRoot, 'scripts/setup-linters.sh')], { stdio: 'inherit' })
  const moto = await startMoto()
  process.env.MOTO_URL = moto.url
  globalThis.__moto = moto
}
