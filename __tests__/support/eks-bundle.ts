/**
 * Runs the built dist/index.js as the runner does, like support/bundle.ts, but in a RUNNER_TEMP the
 * caller owns and inspects afterwards (the EKS path writes its kubeconfig and values files there and
 * must leave nothing), and optionally with the modules the process loaded recorded.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseCommandFile } from './action-harness.js'
import { BUNDLE, type BundleResult } from './bundle.js'

const MODULE_LOG_HOOK = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'eks-module-log.mjs'
)

export interface EksBundleOptions {
  /** Where the step's temporary files go; the caller creates and removes it. */
  runnerTemp: string
  /** Record the files the process loaded; returned as `loadedFiles`. */
  recordModules?: boolean
}

export interface EksBundleResult extends BundleResult {
  /** Absolute paths of the file modules loaded, when recorded. */
  loadedFiles: string[]
}

export async function runBundleIn(
  inputs: Record<string, string>,
  environment: Record<string, string>,
  options: EksBundleOptions
): Promise<EksBundleResult> {
  // The step's own files live apart from RUNNER_TEMP, so that directory shows only the action's.
  const directory = mkdtempSync(path.join(os.tmpdir(), 'eks-bundle-'))
  const outputFile = path.join(directory, 'output')
  const summaryFile = path.join(directory, 'summary')
  const moduleLog = path.join(directory, 'modules')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? directory,
    RUNNER_TEMP: options.runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...(options.recordModules
      ? { NODE_OPTIONS: `--import=${pathToFileURL(MODULE_LOG_HOOK).href}`, MODULE_LOG: moduleLog }
      : {}),
    ...environment
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    const { exitCode, stdout, stderr } = await new Promise<{
      exitCode: number
      stdout: string
      stderr: string
    }>(resolve => {
      execFile(process.execPath, [BUNDLE], { env, timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr })
      )
    })
    const outputText = readFileSync(outputFile, 'utf8')
    const loadedFiles = existsSync(moduleLog)
      ? [...new Set(readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean))].map(url =>
          fileURLToPath(url)
        )
      : []
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseCommandFile(outputText),
      outputFile: outputText,
      summary: readFileSync(summaryFile, 'utf8'),
      loadedFiles
    }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
