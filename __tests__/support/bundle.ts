/**
 * Runs the built dist/index.js as the runner does: a fresh node process, inputs as INPUT_*
 * variables, outputs and summary written to files, optionally with the modules it loaded recorded.
 * Its AWS calls are recorded and judged against the shipped policies (shipped-policy-check.ts):
 * a call they would deny fails the run's test.
 */
import { execFile, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseCommandFile } from './action-harness.js'
import type { Authorisation } from './aws-authorisation.js'
import type { Grant } from './policy-simulation.js'
import { checkAgainstShippedPolicies, type ShippedPolicyCheck } from './shipped-policy-check.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const BUNDLE = path.resolve(here, '../../dist/index.js')
const MODULE_LOG_HOOK = path.join(here, 'module-log.mjs')

export interface BundleOptions {
  /**
   * Where the step's temporary files go, for a caller that inspects it afterwards (and creates
   * and removes it). By default a directory of the run's own, removed with it.
   */
  runnerTemp?: string
  /** Record the files the process loaded; returned as `loadedFiles`. */
  recordModules?: boolean
  /** Called with the running process, e.g. to signal it as the runner does on cancellation. */
  onStart?: (child: ChildProcess) => void
  /**
   * `false` runs without the shipped-policy check, its endpoints as given: for a test of how the
   * requests travel (the check puts every endpoint behind a recorder on loopback) or of calls a
   * role's trust policy allows rather than the shipped policies (the web-identity exchange).
   */
  checkPolicies?: boolean
}

/** A run judged by nothing: its environment unchanged, no authorisations. */
const uncheckedRun: ShippedPolicyCheck['judge'] = async () => ({ authorisations: [], grants: [] })

export interface BundleResult {
  exitCode: number
  /** The signal that ended the process, when it did not exit by itself. */
  killedBy: string | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  outputFile: string
  summary: string
  /** Absolute paths of the file modules loaded, when recorded. */
  loadedFiles: string[]
  /** What IAM checked for the run's AWS calls, all allowed by the shipped policies. */
  authorisations: Authorisation[]
  /** The shipped policies' entries that allowed them. */
  grants: Grant[]
}

/** The run's `::error::` lines, as printed. */
export const errorLines = (result: BundleResult) =>
  result.stdout.split('\n').filter(line => line.startsWith('::error::'))

export async function runBundle(
  inputs: Record<string, string>,
  environment: Record<string, string>,
  options: BundleOptions = {}
): Promise<BundleResult> {
  // The step's own files live apart from RUNNER_TEMP, so that directory shows only the action's.
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bundle-'))
  const outputFile = path.join(directory, 'output')
  const summaryFile = path.join(directory, 'summary')
  const moduleLog = path.join(directory, 'modules')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const policyCheck: ShippedPolicyCheck =
    options.checkPolicies === false
      ? { environment, judge: uncheckedRun, close: async () => {} }
      : await checkAgainstShippedPolicies(environment)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? directory,
    RUNNER_TEMP: options.runnerTemp ?? directory,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    // Debug on, as a user chasing a failure would set it: every secret check covers debug output.
    ACTIONS_STEP_DEBUG: 'true',
    RUNNER_DEBUG: '1',
    ...(options.recordModules
      ? { NODE_OPTIONS: `--import=${pathToFileURL(MODULE_LOG_HOOK).href}`, MODULE_LOG: moduleLog }
      : {}),
    ...policyCheck.environment
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    const { exitCode, killedBy, stdout, stderr } = await new Promise<{
      exitCode: number
      killedBy: string | null
      stdout: string
      stderr: string
    }>(resolve => {
      const child = execFile(
        process.execPath,
        [BUNDLE],
        { env, timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({
            exitCode: error ? Number(error.code ?? 1) : 0,
            killedBy: error?.signal ?? null,
            stdout,
            stderr
          })
      )
      options.onStart?.(child)
    })
    const outputText = readFileSync(outputFile, 'utf8')
    const loadedFiles = existsSync(moduleLog)
      ? [...new Set(readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean))].map(url =>
          fileURLToPath(url)
        )
      : []
    const judged = await policyCheck.judge(inputs, stdout)
    return {
      ...judged,
      exitCode,
      killedBy,
      stdout,
      stderr,
      outputs: parseCommandFile(outputText),
      outputFile: outputText,
      summary: readFileSync(summaryFile, 'utf8'),
      loadedFiles
    }
  } finally {
    await policyCheck.close()
    rmSync(directory, { recursive: true, force: true })
  }
}
