/**
 * Runs the built dist/index.js as the runner does: a fresh node process, inputs as INPUT_*
 * variables, outputs and summary written to files.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCommandFile } from './action-harness.js'

export const BUNDLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/index.js'
)

export interface BundleResult {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  outputFile: string
  summary: string
}

export async function runBundle(
  inputs: Record<string, string>,
  environment: Record<string, string>
): Promise<BundleResult> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bundle-'))
  const outputFile = path.join(directory, 'output')
  const summaryFile = path.join(directory, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? directory,
    RUNNER_TEMP: directory,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
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
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseCommandFile(outputText),
      outputFile: outputText,
      summary: readFileSync(summaryFile, 'utf8')
    }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
