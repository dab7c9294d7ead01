/**
 * Runs helm with an argument array (never a shell line) against one kubeconfig. Output is captured,
 * not echoed: `helm get values` prints the key, and stderr is shown only after redaction.
 */
import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { ActionError } from '../errors.js'
import { redact } from '../secrets.js'
import type { HelmTool } from './helm-tool.js'

export interface HelmOutput {
  stdout: string
  stderr: string
}

/** What helm says when the cluster refused the token (helm 3 and 4 word it alike). */
const UNAUTHORIZED =
  /provide credentials|Unauthorized|forbidden|is not authorized|cannot (get|list|create|patch)/i

export class HelmRunner {
  constructor(
    readonly tool: HelmTool,
    private readonly kubeconfigPath: string,
    /** Who the workflow is in AWS, for the access-entry advice; empty with a given kubeconfig. */
    private readonly accessAdvice: string
  ) {}

  /** Runs helm; a non-zero exit throws an ActionError with helm's redacted stderr. */
  async run(args: string[], what: string): Promise<HelmOutput> {
    const fullArgs = [...args, '--kubeconfig', this.kubeconfigPath]
    core.debug(`helm ${fullArgs.join(' ')}`)
    const result = await exec.getExecOutput(this.tool.path, fullArgs, {
      silent: true,
      ignoreReturnCode: true
    })
    if (result.exitCode === 0) return { stdout: result.stdout, stderr: result.stderr }
    const stderr = redact(result.stderr.trim())
    if (stderr) core.info(stderr)
    const firstLine = stderr.split('\n').find(line => line.trim()) ?? `exit code ${result.exitCode}`
    const advice = UNAUTHORIZED.test(stderr) ? ` ${this.accessAdvice}` : ''
    throw new ActionError(`helm could not ${what}: ${firstLine.replace(/^Error: /, '')}.${advice}`)
  }
}
