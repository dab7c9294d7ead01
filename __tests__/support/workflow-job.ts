/**
 * A stand-in for the GitHub runner, for exactly the subset of workflow syntax that the CI job
 * `action` (.github/workflows/ci.yml) uses, so that the job can be run here where no runner is.
 * It is no general runner: a job using anything outside that subset is refused before any step
 * runs, so the job cannot come to depend on a feature this stand-in would silently get wrong.
 *
 * What it does, as the runner does:
 * - `actions/*` steps (checkout, setup-*, cache) are not run: this machine already has what they
 *   provide. So are the `run:` commands in `provided` (`npm ci` by default: node_modules is here).
 * - `run:` steps run as `bash -e {0}`, in the workspace. A step fails on a non-zero exit.
 * - `uses: ./` runs this action as a node action: action.yml's `main` with Node 24, inputs as
 *   `INPUT_<NAME>` (upper case, spaces as `_`), action.yml's defaults for inputs not given.
 * - Every step gets fresh GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY files;
 *   afterwards its outputs become `steps.<id>.outputs`, its variables the later steps' environment
 *   and its paths the front of their PATH. Both `name=value` and `name<<DELIMITER` lines are read.
 * - Expressions: `${{ steps.<id>.outputs.<name> }}`, `${{ env.NAME }}` and literals; `if:` with
 *   `success()` (the default), `failure()` or `always()`. After a failed step, the later ones are
 *   skipped unless their `if:` says otherwise.
 * - The log (stdout and stderr) is rendered as a runner shows it (scripts/workflow-commands.mjs),
 *   masks carrying from step to step.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { createLogFormatter } from '../../scripts/workflow-commands.mjs'
import { parseCommandFile } from './action-harness.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The runtime the action declares (node24), from the `node` devDependency. */
const NODE24_BIN = path.join(ROOT, 'node_modules/node/bin')

export interface Step {
  id?: string
  name?: string
  if?: string
  uses?: string
  with?: Record<string, string | number | boolean>
  run?: string
  env?: Record<string, string | number | boolean>
  shell?: string
}

export interface Job {
  'runs-on'?: string
  'timeout-minutes'?: number
  env?: Record<string, string | number | boolean>
  steps: Step[]
}

export interface StepResult {
  id?: string
  name: string
  outcome: 'success' | 'failure' | 'skipped'
  /** Why a step was not run: `provided` (by this machine), `earlier failure`. */
  skippedBecause?: string
  exitCode?: number
  outputs: Record<string, string>
  /** The step's log as a runner shows it. */
  log: string[]
}

export interface JobResult {
  success: boolean
  steps: StepResult[]
  /** The whole job's log, each step's under a `## <name>` line. */
  log: string
  /** The job's RUNNER_TEMP. */
  runnerTemp: string
}

export interface JobOptions {
  /** The job's RUNNER_TEMP (created when missing); by default a fresh directory. Left in place. */
  runnerTemp?: string
  /** `run:` commands this machine has already done. */
  provided?: string[]
  /** Upper bound of one step. */
  stepTimeoutMs?: number
}

const STEP_KEYS = new Set(['id', 'name', 'if', 'uses', 'with', 'run', 'env', 'shell'])
const JOB_KEYS = new Set(['runs-on', 'timeout-minutes', 'env', 'steps'])

/** Reads the job `jobId` of a workflow file. */
export function readJob(workflowFile: string, jobId: string): Job {
  const workflow = parse(readFileSync(workflowFile, 'utf8')) as {
    env?: unknown
    jobs?: Record<string, Job>
  }
  if (workflow.env !== undefined) throw new Error('workflow-level env is not supported')
  const job = workflow.jobs?.[jobId]
  if (!job) throw new Error(`no job '${jobId}' in ${workflowFile}`)
  return job
}

/**
 * The entries of a runner command file: `name=value` lines and `name<<DELIMITER` blocks. As the
 * runner decides: a line is `name=value` when its `=` comes before any `<<`.
 */
export function readCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals > 0 && (heredoc < 0 || equals < heredoc)) {
      result[line.slice(0, equals)] = line.slice(equals + 1)
      continue
    }
    if (heredoc <= 0) throw new Error(`not a command file line: ${line}`)
    const delimiter = line.slice(heredoc + 2)
    const end = lines.indexOf(delimiter, i + 1)
    if (end < 0) throw new Error(`no closing ${delimiter} for ${line.slice(0, heredoc)}`)
    Object.assign(result, parseCommandFile(lines.slice(i, end + 1).join('\n')))
    i = end
  }
  return result
}

interface Context {
  steps: Map<string, Record<string, string>>
  env: Record<string, string>
}

/** One expression's value: the supported contexts and literals, else an error. */
function evaluate(expression: string, context: Context): string {
  const text = expression.trim()
  const output = /^steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)$/.exec(text)
  if (output) {
    if (!context.steps.has(output[1])) throw new Error(`no earlier step with id '${output[1]}'`)
    return context.steps.get(output[1])?.[output[2]] ?? ''
  }
  const env = /^env\.([A-Za-z_]\w*)$/.exec(text)
  if (env) return context.env[env[1]] ?? ''
  const string = /^'((?:[^']|'')*)'$/.exec(text)
  if (string) return string[1].replace(/''/g, "'")
  if (/^(true|false|null|-?\d+(\.\d+)?)$/.test(text)) return text === 'null' ? '' : text
  throw new Error(`expression not supported by the stand-in runner: \${{ ${text} }}`)
}

/** A value with every `${{ … }}` replaced. */
export function interpolate(value: unknown, context: Context): string {
  const text = String(value)
  // Each `${{` must open an expression that ends at the next `}}`; anything else is refused.
  const parts = text.split('${{')
  return parts
    .map((part, index) => {
      if (index === 0) return part
      const end = part.indexOf('}}')
      if (end < 0) throw new Error(`unterminated expression in: ${text}`)
      return evaluate(part.slice(0, end), context) + part.slice(end + 2)
    })
    .join('')
}

/** Whether a step runs, by its `if:`, given whether the job has failed so far. */
function shouldRun(condition: string | undefined, failed: boolean): boolean {
  const text = (condition ?? 'success()')
    .trim()
    .replace(/^\$\{\{(.*)\}\}$/, '$1')
    .trim()
  if (text === 'always()') return true
  if (text === 'success()') return !failed
  if (text === 'failure()') return failed
  throw new Error(`if: ${text} is not supported by the stand-in runner`)
}

const stringValues = (values: Step['env'], context: Context): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, interpolate(value, context)])
  )

interface ActionMetadata {
  inputs: Record<string, { default?: string }>
  runs: { using: string; main: string }
}

/** The command and environment that run `uses: ./` as the runner runs a node action. */
function nodeAction(
  step: Step,
  context: Context
): { command: string[]; env: Record<string, string> } {
  const metadata = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata
  if (metadata.runs.using !== 'node24') throw new Error(`runs.using is ${metadata.runs.using}`)
  const given = stringValues(step.with, context)
  const unknown = Object.keys(given).filter(name => !(name in metadata.inputs))
  if (unknown.length > 0) throw new Error(`inputs not in action.yml: ${unknown.join(', ')}`)
  const env: Record<string, string> = {}
  for (const [name, input] of Object.entries(metadata.inputs)) {
    const value = given[name] ?? input.default
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value)
  }
  return { command: [path.join(NODE24_BIN, 'node'), path.join(ROOT, metadata.runs.main)], env }
}

/** Runs a process, its output rendered by `format`; resolves with its exit code. */
function runProcess(
  command: string[],
  env: Record<string, string>,
  format: (line: string) => string[],
  log: string[],
  timeoutMs: number
): Promise<number> {
  return new Promise(resolve => {
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const timer = setTimeout(() => {
      log.push(`(the stand-in runner stopped the step after ${timeoutMs / 1000} s)`)
      child.kill('SIGKILL')
    }, timeoutMs)
    let open = 2
    const closed = new Promise<void>(done => {
      for (const stream of [child.stdout, child.stderr]) {
        const lines = createInterface({ input: stream, crlfDelay: Infinity })
        lines.on('line', line => log.push(...format(line)))
        lines.on('close', () => --open === 0 && done())
      }
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      void closed.then(() => resolve(signal ? 128 : (code ?? 1)))
    })
  })
}

/**
 * Refuses a job that uses anything outside the subset, before any step runs (so that no step is
 * left half done): unknown keys, another shell or action, another `if:`, another expression, or
 * an output of a step that does not come earlier.
 */
export function checkSupported(job: Job): void {
  const unknownJobKeys = Object.keys(job).filter(key => !JOB_KEYS.has(key))
  if (unknownJobKeys.length > 0) throw new Error(`job keys not supported: ${unknownJobKeys}`)
  const context: Context = { steps: new Map(), env: {} }
  stringValues(job.env, context)
  for (const step of job.steps) {
    const unknownKeys = Object.keys(step).filter(key => !STEP_KEYS.has(key))
    if (unknownKeys.length > 0) throw new Error(`step keys not supported: ${unknownKeys}`)
    if (step.shell !== undefined && step.shell !== 'bash') {
      throw new Error(`shell: ${step.shell} is not supported by the stand-in runner`)
    }
    if (step.uses && !step.uses.startsWith('actions/') && step.uses !== './') {
      throw new Error(`uses: ${step.uses} is not supported by the stand-in runner`)
    }
    if ((step.uses === undefined) === (step.run === undefined)) {
      throw new Error(`a step needs either uses: or run: (${step.name ?? step.id})`)
    }
    shouldRun(step.if, false)
    if (!step.uses?.startsWith('actions/')) {
      stringValues(step.env, context)
      stringValues(step.with, context)
      if (step.run !== undefined) interpolate(step.run, context)
    }
    if (step.id) context.steps.set(step.id, {})
  }
}

/** Runs a job's steps in order, as described above. */
export async function runJob(job: Job, options: JobOptions = {}): Promise<JobResult> {
  checkSupported(job)
  const runnerTemp = options.runnerTemp ?? mkdtempSync(path.join(os.tmpdir(), 'runner-temp-'))
  mkdirSync(runnerTemp, { recursive: true })
  const home = mkdtempSync(path.join(os.tmpdir(), 'runner-home-'))
  try {
    return await runSteps(job, runnerTemp, home, options)
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

async function runSteps(
  job: Job,
  runnerTemp: string,
  home: string,
  options: JobOptions
): Promise<JobResult> {
  const provided = options.provided ?? ['npm ci']
  const stepTimeoutMs = options.stepTimeoutMs ?? 10 * 60_000
  const formatter = createLogFormatter()
  const context: Context = { steps: new Map(), env: {} }
  const exported: Record<string, string> = {}
  const paths: string[] = []
  const results: StepResult[] = []
  let failed = false

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`
    const result: StepResult = { id: step.id, name, outcome: 'skipped', outputs: {}, log: [] }
    results.push(result)
    if (step.id) context.steps.set(step.id, result.outputs)
    if (step.uses?.startsWith('actions/') || (step.run && provided.includes(step.run.trim()))) {
      result.skippedBecause = 'provided'
      continue
    }
    if (!shouldRun(step.if, failed)) {
      result.skippedBecause = 'earlier failure'
      continue
    }

    const directory = mkdtempSync(path.join(runnerTemp, '_step-'))
    const files = Object.fromEntries(
      ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map(variable => {
        const file = path.join(directory, variable.toLowerCase())
        writeFileSync(file, '')
        return [variable, file]
      })
    )
    context.env = { ...stringValues(job.env, context), ...exported }
    context.env = { ...context.env, ...stringValues(step.env, context) }
    const env: Record<string, string> = {
      PATH: [...paths, NODE24_BIN, process.env.PATH ?? ''].join(path.delimiter),
      HOME: home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ROOT,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: runnerTemp,
      ...context.env,
      ...files
    }
    let command: string[]
    if (step.run !== undefined) {
      const script = path.join(directory, 'script.sh')
      writeFileSync(script, interpolate(step.run, context))
      command = ['bash', '-e', script]
    } else {
      const action = nodeAction(step, context)
      command = action.command
      Object.assign(env, action.env)
    }
    result.exitCode = await runProcess(command, env, formatter.format, result.log, stepTimeoutMs)
    result.outcome = result.exitCode === 0 ? 'success' : 'failure'
    if (result.outcome === 'failure') failed = true
    Object.assign(result.outputs, readCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')))
    Object.assign(exported, readCommandFile(readFileSync(files.GITHUB_ENV, 'utf8')))
    const added = readFileSync(files.GITHUB_PATH, 'utf8').split(/\r?\n/).filter(Boolean)
    paths.unshift(...added.reverse())
  }

  const log = results
    .map(step => {
      const status = step.skippedBecause ? `skipped: ${step.skippedBecause}` : step.outcome
      return [`## ${step.name} (${status})`, ...step.log].join('\n')
    })
    .join('\n')
  return { success: !failed, steps: results, log, runnerTemp }
}
