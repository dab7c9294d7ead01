/**
 * Runs helm with an argument array (never a shell line) against one kubeconfig. Output is captured,
 * not echoed: `helm get values` prints the key, and stderr is shown only after redaction.
 */
import { spawn } from 'node:child_process'
import * as core from '@actions/core'
import { ActionError } from '../../errors.js'
import { forbiddenLine, unauthorizedLine } from '../access/cluster-refusals.js'
import { redact } from '../../secrets.js'
import type { HelmTool } from './helm-tool.js'

export interface HelmOutput {
  stdout: string
  stderr: string
}

/** What helm says when the cluster does not know the caller (helm 3 and 4 word it alike). */
const UNAUTHORIZED = /provide credentials|\bUnauthorized\b/
/** The API server's 403 names the user, the verb and the resource it refused. */
const FORBIDDEN = /\bis forbidden: .*$/m

/** helm exited non-zero; `stderr` (redacted) says why. */
export class HelmError extends ActionError {
  override name = 'HelmError'
  constructor(
    message: string,
    readonly stderr: string
  ) {
    super(message)
  }
}

export class HelmRunner {
  constructor(
    readonly tool: HelmTool,
    private readonly kubeconfigPath: string,
    /** Who the workflow is in AWS, for the access-entry advice; empty with a given kubeconfig. */
    private readonly accessAdvice: string,
    /** On cancellation helm gets SIGTERM, which makes an atomic upgrade roll back. */
    private readonly signal: AbortSignal = new AbortController().signal
  ) {}

  /** The same runner for cleanup that must happen even once the step is cancelled. */
  evenIfCancelled(): HelmRunner {
    return new HelmRunner(this.tool, this.kubeconfigPath, this.accessAdvice)
  }

  /**
   * Runs helm; a non-zero exit throws an ActionError with helm's redacted stderr. Cancelled, it
   * waits for helm to stop and throws the cancellation.
   */
  async run(args: string[], what: string): Promise<HelmOutput> {
    this.signal.throwIfAborted()
    const fullArgs = [...args, '--kubeconfig', this.kubeconfigPath]
    core.debug(`helm ${fullArgs.join(' ')}`)
    const result = await runProcess(this.tool.path, fullArgs, this.signal)
    if (this.signal.aborted) {
      const said = redact(result.stderr.trim())
      if (said) core.info(said)
      throw this.signal.reason
    }
    if (result.exitCode === 0) return { stdout: result.stdout, stderr: result.stderr }
    const stderr = redact(result.stderr.trim())
    if (stderr) core.info(stderr)
    throw new HelmError(this.explain(stderr, what, result.exitCode), stderr)
  }

  private explain(stderr: string, what: string, exitCode: number): string {
    if (UNAUTHORIZED.test(stderr)) return unauthorizedLine(what, this.accessAdvice)
    const forbidden = FORBIDDEN.exec(stderr)
    if (forbidden) {
      // From the object's kind on, e.g. 'daemonsets.apps "x" is forbidden: User "y" cannot ...'.
      const line = stderr.split('\n').find(text => text.includes(forbidden[0])) ?? forbidden[0]
      return forbiddenLine(
        what,
        line.replace(/^.*?(\S+ "[^"]*" is forbidden|\S+ is forbidden)/, '$1')
      )
    }
    // helm 4 logs `level=WARN msg=...` lines before its own `Error:` line, which says it best.
    const lines = stderr.split('\n').filter(line => line.trim())
    const at = lines.findIndex(line => line.startsWith('Error: '))
    const first = at >= 0 ? at : lines.findIndex(line => !line.startsWith('level='))
    if (first < 0) return `helm could not ${what}: exit code ${exitCode}.`
    // An error that ends in a colon lists its particulars on the lines below (a schema's
    // complaints, say): they belong in the one line.
    let said = lines[first].replace(/^Error: /, '')
    for (let next = first + 1; said.endsWith(':') && next < lines.length; next++) {
      said += ` ${lines[next].trim()}`
    }
    return `helm could not ${what}: ${said.replace(/[.:]$/, '')}.`
  }
}

interface ProcessResult extends HelmOutput {
  exitCode: number
}

/** Runs a program to its end, passing SIGTERM on when `signal` aborts and waiting for its exit. */
function runProcess(file: string, args: string[], signal: AbortSignal): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    // The environment as this process has it now (AWS credentials for the credential plugin).
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', chunk => stdout.push(chunk))
    child.stderr.on('data', chunk => stderr.push(chunk))
    const stop = () => child.kill('SIGTERM')
    signal.addEventListener('abort', stop, { once: true })
    child.once('error', error => {
      signal.removeEventListener('abort', stop)
      reject(new ActionError(`helm could not be started (${file}): ${error.message}`))
    })
    child.once('close', (code, killedBy) => {
      signal.removeEventListener('abort', stop)
      resolve({
        exitCode: code ?? (killedBy ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8')
      })
    })
  })
}
