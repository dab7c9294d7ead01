/**
 * The maintainers' real-AWS workflow cannot run here (it needs an account), and actionlint checks
 * its syntax and inputs (workflows-lint.test.ts). These tests hold the promises its header makes:
 * started by hand only, gated by an environment, deploy → plan → remove on the same cluster, and a
 * removal that runs whatever failed before it.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, string>
  env?: Record<string, string>
}

const workflow = parse(
  readFileSync(new URL('../../.github/workflows/real-aws.yml', import.meta.url), 'utf8')
) as {
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<
    string,
    { environment?: string; permissions?: Record<string, string>; steps: Step[] }
  >
}
const [job] = Object.values(workflow.jobs)
const actionSteps = job.steps.filter(step => step.uses === './')

describe('the real-AWS workflow', () => {
  it('is started by hand only, so CI never runs it', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch'])
  })

  it('runs in an environment, whose protection rules gate it, with OIDC in that job only', () => {
    expect(job.environment).toBe('real-aws')
    expect(workflow.permissions).toEqual({ contents: 'read' })
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
  })

  it('deploys, plans and removes the same cluster with the action of this commit', () => {
    expect(actionSteps.map(step => step.with?.mode ?? 'deploy')).toEqual([
      'deploy',
      'plan',
      'remove'
    ])
    for (const input of ['platform', 'cluster', 'vpc-id']) {
      const values = new Set(actionSteps.map(step => step.with?.[input]))
      expect([...values]).toEqual([`\${{ inputs.${input} }}`])
    }
  })

  it('fails when the plan after the deploy has changes, reading outputs through env only', () => {
    const check = job.steps[job.steps.indexOf(actionSteps[1]) + 1]
    expect(check.env?.CHANGED).toBe('${{ steps.plan.outputs.changed }}')
    // Run as the runner runs it: bash -e, the step's env given.
    const runCheck = (changed: string) =>
      spawnSync('bash', ['-e', '-c', check.run ?? ''], {
        env: { PATH: process.env.PATH, CHANGED: changed, PLAN: '[]' },
        encoding: 'utf8'
      })
    expect(runCheck('false').status).toBe(0)
    const failed = runCheck('true')
    expect(failed.status).toBe(1)
    expect(failed.stdout).toContain('::error::A plan right after the deploy wants changes')
    // No expression inside a script: an output cannot inject shell.
    for (const step of job.steps) expect(step.run ?? '').not.toContain('${{')
  })

  it('removes whatever failed before, once credentials were obtained', () => {
    const credentials = job.steps.find(step =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials@')
    )
    const remove = actionSteps[2]
    expect(job.steps.indexOf(remove)).toBe(job.steps.length - 1)
    expect(remove.if).toBe(`always() && steps.${credentials?.id}.outcome == 'success'`)
    // Remove needs neither the key nor the endpoint.
    expect(remove.with).not.toHaveProperty('cloudaeye-api-key')
  })
})
