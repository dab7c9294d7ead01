/**
 * The CI job `action` (.github/workflows/ci.yml) runs the action with `uses: ./` against moto and
 * a Kubernetes control plane, checking each run's outputs. No GitHub runner is here, so the job
 * runs through a stand-in for one (support/workflow-job.ts) that runs its steps for real:
 * scripts/workflow-fixture.mjs starts and stops the emulator and the plane, dist/index.js is the
 * action, and the job's own check steps judge the outputs.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  ROOT,
  interpolate,
  readCommandFile,
  readJob,
  runJob,
  type Job
} from '../support/workflow-job.js'

const CI = path.join(ROOT, '.github/workflows/ci.yml')
const JOB_TIMEOUT = 10 * 60_000

/** Every RUNNER_TEMP a test used: a fixture a failed test left running is stopped at the end. */
const runnerTemps: string[] = []
function newRunnerTemp(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ci-job-'))
  runnerTemps.push(directory)
  return directory
}

afterAll(async () => {
  for (const runnerTemp of runnerTemps) {
    if (existsSync(path.join(runnerTemp, 'workflow-fixture/state.json'))) {
      await promisify(execFile)(process.execPath, ['scripts/workflow-fixture.mjs', 'stop'], {
        cwd: ROOT,
        env: { ...process.env, RUNNER_TEMP: runnerTemp }
      })
    }
    rmSync(runnerTemp, { recursive: true, force: true })
  }
})

/** Whether anything answers at `url`: false once the server's process is gone. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) })
    return true
  } catch (error) {
    // A self-signed certificate still means a server answered.
    return /certificate|self.signed/i.test(String((error as Error).cause ?? error))
  }
}

const byId = (steps: Awaited<ReturnType<typeof runJob>>['steps'], id: string) => {
  const step = steps.find(s => s.id === id)
  if (!step) throw new Error(`no step ${id}`)
  return step
}

describe('the stand-in runner', () => {
  it('passes outputs, env and PATH between steps, skips after a failure and runs always() steps', async () => {
    const job: Job = {
      steps: [
        { uses: 'actions/checkout@v7' },
        {
          id: 'first',
          run: [
            'echo "greeting=hello world" >> "$GITHUB_OUTPUT"',
            'printf "multi<<EOF\\nline 1\\nline 2\\nEOF\\n" >> "$GITHUB_OUTPUT"',
            'echo "SHARED=from first" >> "$GITHUB_ENV"',
            'mkdir -p "$RUNNER_TEMP/bin" && printf "#!/bin/sh\\necho tool ran\\n" > "$RUNNER_TEMP/bin/tool"',
            'chmod +x "$RUNNER_TEMP/bin/tool" && echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
            'echo "::add-mask::s3cret"'
          ].join('\n')
        },
        {
          id: 'second',
          env: { GREETING: '${{ steps.first.outputs.greeting }}', LITERAL: "${{ 'it''s' }}" },
          run: [
            'echo "got $GREETING, $LITERAL, $SHARED, ${{ env.SHARED }}; s3cret"',
            'tool',
            'false',
            'echo never printed'
          ].join('\n')
        },
        { id: 'skipped', run: 'echo should not run' },
        { id: 'cleanup', if: 'always()', run: 'echo cleaning up' }
      ]
    }
    const result = await runJob(job, { runnerTemp: newRunnerTemp() })
    expect(result.success).toBe(false)
    expect(result.steps.map(s => [s.id, s.outcome, s.skippedBecause])).toEqual([
      [undefined, 'skipped', 'provided'],
      ['first', 'success', undefined],
      ['second', 'failure', undefined],
      ['skipped', 'skipped', 'earlier failure'],
      ['cleanup', 'success', undefined]
    ])
    expect(byId(result.steps, 'first').outputs).toEqual({
      greeting: 'hello world',
      multi: 'line 1\nline 2'
    })
    // bash -e stopped at `false`; the masked value is hidden as a runner hides it.
    expect(byId(result.steps, 'second').log).toEqual([
      "got hello world, it's, from first, from first; ***",
      'tool ran'
    ])
  })

  it('refuses what it does not support instead of guessing', async () => {
    const context = { steps: new Map(), env: {} }
    expect(() => interpolate('${{ github.sha }}', context)).toThrow('not supported')
    expect(() => interpolate("${{ format('{0}', 1) }}", context)).toThrow('not supported')
    expect(() => interpolate('${{ env.X', context)).toThrow('unterminated')
    await expect(
      runJob({ steps: [{ if: "github.event_name == 'push'", run: 'true' }] })
    ).rejects.toThrow('not supported')
    await expect(runJob({ steps: [{ uses: 'other/action@v1' }] })).rejects.toThrow('not supported')
    await expect(
      runJob({ steps: [{ run: 'true', 'continue-on-error': true } as never] })
    ).rejects.toThrow('not supported')
    // Refused before anything runs: the first step would have left this file.
    const runnerTemp = newRunnerTemp()
    await expect(
      runJob(
        {
          steps: [
            { run: 'touch "$RUNNER_TEMP/ran"' },
            { run: 'echo "${{ steps.later.outputs.x }}"' },
            { id: 'later', run: 'true' }
          ]
        },
        { runnerTemp }
      )
    ).rejects.toThrow("no earlier step with id 'later'")
    expect(existsSync(path.join(runnerTemp, 'ran'))).toBe(false)
    expect(readCommandFile('a=b=c\nx<<D\n1\n2\nD\n')).toEqual({ a: 'b=c', x: '1\n2' })
  })
})

describe('the CI job that runs the action with uses: ./', () => {
  it(
    'passes: deploy, re-run, plan and remove on ECS and EKS, each checked by its step',
    async () => {
      const result = await runJob(readJob(CI, 'action'), { runnerTemp: newRunnerTemp() })
      const failed = result.steps.filter(s => s.outcome === 'failure')
      // On failure, the job's whole log says why.
      expect({ failed: failed.map(s => s.name), log: failed.length ? result.log : '' }).toEqual({
        failed: [],
        log: ''
      })
      expect(result.success).toBe(true)
      // Only the setup the machine provides is skipped; every other step ran and passed.
      for (const step of result.steps) {
        expect([step.name, step.outcome, step.skippedBecause]).toEqual(
          step.skippedBecause
            ? [step.name, 'skipped', 'provided']
            : [step.name, 'success', undefined]
        )
      }
      const ran = result.steps.filter(s => !s.skippedBecause)
      expect(ran.length).toBe(18)
      const out = (id: string) => byId(result.steps, id).outputs

      // The key outputs, beside what the check steps themselves asserted.
      expect(out('ecs-deploy')).toMatchObject({ changed: 'true' })
      expect(out('ecs-deploy')['task-arn']).toMatch(/^arn:aws:ecs:us-east-1:\d+:task\/demo\//)
      expect(out('ecs-rerun')).toMatchObject({
        changed: 'false',
        'task-arn': out('ecs-deploy')['task-arn']
      })
      expect(out('ecs-plan').changed).toBe('false')
      expect(JSON.parse(out('ecs-plan').plan)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ resource: 'Agent task', action: 'keep' })
        ])
      )
      expect(out('ecs-remove').changed).toBe('true')
      expect(out('eks-deploy')).toMatchObject({
        changed: 'true',
        'helm-release': 'cloudaeye-metrics-agent',
        'helm-revision': '1'
      })
      expect(out('eks-rerun')).toMatchObject({ changed: 'false', 'helm-revision': '1' })
      expect(out('eks-plan').changed).toBe('false')
      expect(out('eks-remove').changed).toBe('true')
      // The placeholder API key never shows in the log: the action masks it.
      expect(result.log).not.toContain('ci-api-key-not-a-real-one')

      // The last step stopped the emulator and the plane.
      const fixture = out('fixture')
      expect(fixture.kubeconfig).toBeTruthy()
      expect(existsSync(path.join(result.runnerTemp, 'workflow-fixture'))).toBe(false)
      expect(existsSync(fixture.kubeconfig)).toBe(false)
    },
    JOB_TIMEOUT
  )

  it(
    'fails at the check when a run has the wrong outputs, skips the rest and still stops the fixture',
    async () => {
      // A re-run with another service list updates the task definition: changed=true.
      const job = readJob(CI, 'action')
      const rerun = job.steps.find(step => step.id === 'ecs-rerun')
      if (!rerun?.with) throw new Error('the job has no ecs-rerun step')
      rerun.with.services = 'another-service'
      const runnerTemp = newRunnerTemp()
      const result = await runJob(job, { runnerTemp })

      expect(result.success).toBe(false)
      const index = result.steps.findIndex(step => step.id === 'ecs-rerun')
      expect(result.steps[index].outcome).toBe('success')
      expect(result.steps[index].outputs.changed).toBe('true')
      const check = result.steps[index + 1]
      expect(check).toMatchObject({ outcome: 'failure', exitCode: 1 })
      expect(check.log).toEqual(["Error: changed is 'true', not false"])
      // Everything after it is skipped, but for the stop step, which ran and passed.
      const after = result.steps.slice(index + 2)
      expect(after.at(-1)).toMatchObject({ name: 'Stop the emulator and the control plane' })
      expect(after.at(-1)?.outcome).toBe('success')
      expect(after.at(-1)?.skippedBecause).toBeUndefined()
      expect(after.slice(0, -1).every(step => step.skippedBecause === 'earlier failure')).toBe(true)
      expect(after.slice(0, -1).length).toBeGreaterThan(0)
      expect(existsSync(path.join(runnerTemp, 'workflow-fixture'))).toBe(false)
      // And what it stopped no longer answers.
      const stateLine = byId(result.steps, 'fixture').log.find(line => line.includes('moto'))
      const motoUrl = /https?:\/\/127\.0\.0\.1:\d+/.exec(stateLine ?? '')?.[0]
      expect(motoUrl).toBeDefined()
      expect(await answers(`${motoUrl}/moto-api/data.json`)).toBe(false)
    },
    JOB_TIMEOUT
  )
})
