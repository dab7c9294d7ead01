/**
 * The ECS Fargate path, in every mode: observe what exists, plan from it, show the plan; then
 * deploy or remove carries it out, and `plan` stops there without a single change.
 */
import * as core from '@actions/core'
import type { EcsConfig } from '../inputs.js'
import type { Report } from '../report.js'
import type { RunDependencies } from '../run-dependencies.js'
import { applyEcsDeploy } from './apply.js'
import { applyEcsRemoval } from './apply-removal.js'
import { withEcsClients } from './clients.js'
import { observeEcs } from './observe.js'
import { observeEcsRemoval } from './observe-removal.js'
import { planEcsDeploy } from './plan.js'
import { planEcsRemoval } from './plan-removal.js'

export function runEcs(config: EcsConfig, report: Report, deps: RunDependencies): Promise<void> {
  return withEcsClients(config, deps, async clients => {
    if (config.mode === 'remove') {
      const observed = await core.group('Looking up what the agent has', () =>
        observeEcsRemoval(clients, config, deps)
      )
      const plan = planEcsRemoval(config, observed)
      report.plan(plan.steps, false)
      await applyEcsRemoval(clients, config, report, deps, plan)
      return
    }
    if (config.apiKey) {
      core.warning(
        'cloudaeye-api-key is stored in the task definition, where anyone allowed ' +
          'ecs:DescribeTaskDefinition can read it. Store it in Secrets Manager or SSM and pass ' +
          'cloudaeye-api-key-secret-arn instead.'
      )
    }
    const observed = await core.group('Looking up cluster, network and task definition', () =>
      observeEcs(clients, config, deps)
    )
    const plan = planEcsDeploy(config, observed)
    report.plan(plan.steps, config.mode === 'plan')
    if (config.mode === 'plan') return
    await applyEcsDeploy(clients, config, report, deps, plan)
  })
}
