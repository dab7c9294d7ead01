/**
 * The action's entry: read and validate the inputs, then load and run the platform's path only.
 * Nothing of the AWS SDK is loaded before the inputs are known to be good.
 */
import * as core from '@actions/core'
import { newCallLog } from './aws/call-log.js'
import { describeAwsError } from './aws/errors.js'
import { cancellableClock, watchForCancellation } from './cancellation.js'
import { ActionError, InputErrors } from './errors.js'
import { readConfig } from './inputs.js'
import { systemClock } from './poll.js'
import type { RunDependencies } from './run-dependencies.js'
import { Report } from './report.js'
import { redact } from './secrets.js'

export async function run(overrides: Partial<RunDependencies> = {}): Promise<void> {
  const cancellation = watchForCancellation()
  const signal = overrides.signal ?? cancellation.signal
  const deps: RunDependencies = {
    callLog: overrides.callLog ?? newCallLog(),
    clock: cancellableClock(overrides.clock ?? systemClock, signal),
    signal
  }
  // Made first, so the elapsed time in the summary counts from the start of the run.
  const report = new Report(deps.clock)
  try {
    const config = await readConfig()
    report.title = `${config.platform.toUpperCase()} cluster ${config.clusterName} (${config.region})`
    report.mode = config.mode
    // A remove runs no image: naming one would only mislead.
    if (config.mode !== 'remove') report.image = config.agentImage
    // Each path is loaded only when used: EKS never loads the ECS and EC2 clients, and neither
    // loads anything of the SDK before the inputs are valid.
    if (config.platform === 'ecs') {
      const { runEcs } = await import('./ecs/run.js')
      await runEcs(config, report, deps)
    } else {
      const { runEks } = await import('./eks/run.js')
      await runEks(config, report, deps)
    }
    await report.publish()
    core.info(report.headlineLine())
  } catch (error) {
    // Once cancelled, whatever was interrupted (a wait, helm, a request) failed for that reason.
    const cause = signal.aborted ? signal.reason : error
    const line = redact(failureLine(cause))
    if (cause instanceof InputErrors) {
      // The count, then one annotation per bad input: each is its own entry in the run's
      // annotations, where one multi-line message would be a single entry. (GitHub keeps 10
      // error annotations per step; any further lines are still in the log.)
      core.setFailed(line.split('\n')[0])
      for (const error of cause.errors) core.error(redact(error.message))
    } else {
      core.setFailed(line)
    }
    if (!(cause instanceof ActionError) && cause instanceof Error && cause.stack) {
      core.debug(redact(cause.stack))
    }
    await report.publish(line)
    core.info(report.headlineLine(line))
  } finally {
    cancellation.dispose()
  }
}

function failureLine(error: unknown): string {
  if (error instanceof ActionError) return error.message
  const aws = describeAwsError(error)
  if (aws) return aws
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
}
