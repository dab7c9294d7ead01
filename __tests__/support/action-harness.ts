/**
 * Drives `run()` in process as the runner would: inputs as INPUT_* variables, outputs and summary
 * in files, everything printed captured.
 */
import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { newCallLog } from '../../src/aws/call-log.js'
import type { Clock } from '../../src/poll.js'
import type { RunDependencies } from '../../src/run-dependencies.js'

export interface ActionResult {
  outputs: Record<string, string>
  summary: string
  log: string
  failed: boolean
  calls: string[]
  mutatingCalls: string[]
}

/** A clock whose sleeps return at once but still advance time, so waits and timeouts are real. */
export function fastClock(): Clock {
  let now = Date.now()
  return {
    now: () => now,
    sleep: async ms => {
      now += ms
    }
  }
}

export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i])
    result[match[1]] = value.join('\n')
  }
  return result
}

const directory = mkdtempSync(path.join(os.tmpdir(), 'action-'))

const declaredOutputs = Object.keys(
  parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')).outputs
)

/** Every output a run sets must be declared in action.yml, or a workflow could not read it. */
function checkDeclared(outputs: Record<string, string>): Record<string, string> {
  const undeclared = Object.keys(outputs).filter(name => !declaredOutputs.includes(name))
  if (undeclared.length > 0) throw new Error(`outputs not in action.yml: ${undeclared.join(', ')}`)
  return outputs
}

/** Runs `run()` in this process with the inputs, a fast clock unless given, and `overrides`. */
export async function runAction(
  inputs: Record<string, string>,
  overrides: Partial<RunDependencies> = {}
): Promise<ActionResult> {
  const { run } = await import('../../src/main.js')
  const outputFile = path.join(directory, 'output')
  // The toolkit remembers the summary path for the life of the process, so it stays the same.
  const summaryFile = path.join(directory, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs)) {
    process.env[`INPUT_${name.toUpperCase()}`] = value
  }
  process.env.GITHUB_OUTPUT = outputFile
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  const printed: string[] = []
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
  const callLog = newCallLog()
  try {
    await run({ clock: fastClock(), ...overrides, callLog })
    return {
      outputs: checkDeclared(parseCommandFile(readFileSync(outputFile, 'utf8'))),
      summary: readFileSync(summaryFile, 'utf8'),
      log: printed.join(''),
      failed: process.exitCode === 1,
      calls: callLog.calls,
      mutatingCalls: callLog.mutatingCalls()
    }
  } finally {
    write.mockRestore()
    process.exitCode = undefined
    process.env = saved
    rmSync(outputFile, { force: true })
  }
}
