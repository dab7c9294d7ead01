/**
 * The licences of what the action ships: every package of the production tree (a superset of what
 * the bundle contains) under a permissive licence. Copyleft is allowed only for test-only
 * dependencies named here with the reason, and those must never reach dist/.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'

interface LockedPackage {
  dev?: boolean
  license?: string
}

const lock = JSON.parse(
  readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')
) as { packages: Record<string, LockedPackage> }

const PERMISSIVE = new Set([
  'MIT',
  'Apache-2.0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'Unlicense',
  'PSF-2.0',
  'BlueOak-1.0.0'
])

/** Test-only dependencies under a copyleft licence, and why that is fine. */
const TEST_ONLY_COPYLEFT: Record<string, string> = {
  '@cloud-copilot/iam-policy':
    'AGPL-3.0: the policy parser of the simulator below, which it brings along',
  '@cloud-copilot/iam-simulate':
    'AGPL-3.0: the IAM policy simulator the permission tests use; it runs in the tests only and is not distributed',
  '@cloud-copilot/iam-utils': 'AGPL-3.0: helpers of the simulator above, which it brings along'
}

const packageName = (path: string) => path.replace(/^.*node_modules\//, '')

describe('licences', () => {
  it('every production package is under a permissive licence', () => {
    const offending = Object.entries(lock.packages)
      .filter(([path, entry]) => path && !entry.dev && !PERMISSIVE.has(entry.license ?? ''))
      .map(([path, entry]) => `${packageName(path)}: ${entry.license ?? 'no licence'}`)
    expect(offending).toEqual([])
  })

  it('copyleft appears only in the named test-only dependencies, which stay out of dist/', () => {
    const copyleft = Object.entries(lock.packages)
      .filter(([path, entry]) => path && /GPL/.test(entry.license ?? ''))
      .map(([path, entry]) => ({ name: packageName(path), dev: entry.dev === true }))
    expect(copyleft).toEqual(Object.keys(TEST_ONLY_COPYLEFT).map(name => ({ name, dev: true })))
    const bundled = readFileSync(new URL('../../dist/licenses.txt', import.meta.url), 'utf8')
    for (const name of Object.keys(TEST_ONLY_COPYLEFT)) expect(bundled).not.toContain(name)
    expect(bundled).not.toMatch(/GPL/)
  })
})
