/**
 * The summary's headline and facts: one headline for every mode (`Deployed`, `No changes`,
 * `Planned: N change(s)`, `Removed`, `Nothing to remove`, `Failed`), the agent image and chart
 * version, and the elapsed time by the run's clock; and no registered secret anywhere in it.
 * `@actions/core` is replaced so the tests see every log line and output.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'

const lines: string[] = []
const outputs = new Map<string, string>()
const actual = await import('@actions/core')
jest.unstable_mockModule('@actions/core', () => ({
  ...actual,
  info: (line: string) => lines.push(line),
  setSecret: jest.fn(),
  setOutput: (name: string, value: string) => outputs.set(name, value)
}))
const { Report, formatElapsed } = await import('../../src/report.js')
const { registerSecret } = await import('../../src/secrets.js')

const KEY = 'cak_unit_summary_8b1f2e7d4c9a6035'
registerSecret(KEY)
const IMAGE = 'public.ecr.aws/cloudaeye/metrics-agent:1.4.2'

// One file for the whole suite: the toolkit's summary keeps the path it first wrote to.
const summaryDir = await mkdtemp(path.join(os.tmpdir(), 'report-summary-'))
process.env.GITHUB_STEP_SUMMARY = path.join(summaryDir, 'summary.md')
beforeEach(async () => {
  lines.length = 0
  outputs.clear()
  await writeFile(process.env.GITHUB_STEP_SUMMARY!, '')
})
afterAll(async () => {
  delete process.env.GITHUB_STEP_SUMMARY
  await rm(summaryDir, { recursive: true, force: true })
})

const readSummary = () => readFile(process.env.GITHUB_STEP_SUMMARY!, 'utf8')

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    }
  }
}

const keep = { resource: 'Security group', id: 'agent', action: 'keep' as const, reason: 'exists' }
const create = { resource: 'Agent task', id: 'agent', action: 'create' as const, reason: 'none' }
const update = { resource: 'Helm release', id: 'ns/agent', action: 'update' as const, reason: 'x' }

describe('the headline', () => {
  it('deploy that changed something: Deployed, right after the heading', async () => {
    const report = new Report()
    report.title = 'ECS cluster prod (us-east-1)'
    report.mode = 'deploy'
    report.plan([keep, create], false)
    report.record({ kind: 'Security group', id: 'sg-1', status: 'reused' })
    report.record({ kind: 'Agent task', id: 't-1', status: 'created' })
    await report.publish()
    expect(report.headline()).toBe('Deployed')
    const summary = await readSummary()
    expect(summary).toMatch(
      /<h3>CloudAEye metrics agent: ECS cluster prod \(us-east-1\)<\/h3>\s*<p><strong>Deployed<\/strong><\/p>/
    )
    expect(summary).toContain('<table>')
    expect(summary).not.toContain('Planned')
  })

  it('deploy with nothing to change: No changes', async () => {
    const report = new Report()
    report.mode = 'deploy'
    report.plan([keep], false)
    report.record({ kind: 'Security group', id: 'sg-1', status: 'unchanged' })
    report.record({ kind: 'Agent task', id: 't-1', status: 'reused' })
    await report.publish()
    expect(report.headline()).toBe('No changes')
    expect(await readSummary()).toContain('<p><strong>No changes</strong></p>')
    expect(outputs.get('changed')).toBe('false')
  })

  it('plan mode with changes: Planned: N change(s), one headline, nothing else says so', async () => {
    const report = new Report()
    report.mode = 'plan'
    report.plan([keep, create, update], true)
    await report.publish()
    expect(report.headline()).toBe('Planned: 2 change(s)')
    const summary = await readSummary()
    expect(summary).toContain(
      '<p><strong>Planned: 2 change(s)</strong> (plan mode: nothing was changed)</p>'
    )
    expect(summary.match(/Planned:/g)).toHaveLength(1)
  })

  it('plan mode without changes: No changes', async () => {
    const report = new Report()
    report.mode = 'plan'
    report.plan([keep], true)
    await report.publish()
    expect(report.headline()).toBe('No changes')
    expect(await readSummary()).toContain(
      '<p><strong>No changes</strong> (plan mode: nothing was changed)</p>'
    )
  })

  it('remove that deleted something: Removed, even with a resource kept', async () => {
    const report = new Report()
    report.mode = 'remove'
    report.record({ kind: 'Agent task', id: 't-1', status: 'stopped' })
    report.record({ kind: 'Task definition', id: 'agent:1', status: 'deleted' })
    report.record({ kind: 'IAM role', id: 'theirs', status: 'kept', note: 'given as an input' })
    await report.publish()
    expect(report.headline()).toBe('Removed')
    expect(await readSummary()).toContain('<p><strong>Removed</strong></p>')
  })

  it('remove with everything absent: Nothing to remove', async () => {
    const report = new Report()
    report.mode = 'remove'
    report.record({ kind: 'Agent task', id: 't-1', status: 'absent' })
    report.record({ kind: 'Security group', id: 'agent', status: 'absent' })
    await report.publish()
    expect(report.headline()).toBe('Nothing to remove')
    expect(await readSummary()).toContain('<p><strong>Nothing to remove</strong></p>')
  })

  it('a failure: Failed, the failure paragraph as the headline, and what exists', async () => {
    for (const mode of ['deploy', 'plan', 'remove'] as const) {
      await writeFile(process.env.GITHUB_STEP_SUMMARY!, '')
      const report = new Report()
      report.mode = mode
      report.plan([create], mode === 'plan')
      report.record({ kind: 'Security group', id: 'sg-1', status: 'created' })
      await report.publish('The cluster prod does not exist.')
      expect(report.headline('The cluster prod does not exist.')).toBe('Failed')
      const summary = await readSummary()
      expect(summary).toContain('<p><strong>Failed:</strong> The cluster prod does not exist.</p>')
      expect(summary).toContain('These resources exist now')
      for (const other of ['Deployed', 'No changes', 'Planned', 'Removed', 'Nothing to remove']) {
        expect(summary).not.toContain(`<strong>${other}`)
      }
    }
  })

  it('a failure before anything: Failed and Nothing was created', async () => {
    const report = new Report()
    await report.publish("Input 'platform' is required.")
    const summary = await readSummary()
    expect(summary).toContain(
      '<p><strong>Failed:</strong> Input &#39;platform&#39; is required.</p>'
    )
    expect(summary).toContain('<p>Nothing was created.</p>')
  })

  it('is not logged by publish: the run prints it once, at the end', async () => {
    const report = new Report()
    report.mode = 'deploy'
    report.record({ kind: 'Agent task', id: 't-1', status: 'created' })
    await report.publish()
    expect(lines).toEqual(['Agent task t-1: created'])
    expect(report.headlineLine()).toBe('Deployed')
    expect(report.headlineLine('boom')).toBe('Failed')
  })
})

describe('the image and chart line', () => {
  it('on ECS: the agent image, and no chart version', async () => {
    const report = new Report()
    report.mode = 'deploy'
    report.image = IMAGE
    report.record({ kind: 'Agent task', id: 't-1', status: 'created' })
    await report.publish()
    const summary = await readSummary()
    expect(summary).toContain(`<p>Agent image <code>${IMAGE}</code></p>`)
    expect(summary).not.toContain('chart version')
  })

  it('on EKS: the agent image and the chart version the release runs', async () => {
    const report = new Report()
    report.mode = 'deploy'
    report.image = IMAGE
    report.output('chart-version', '0.7.1')
    report.record({ kind: 'Helm release', id: 'ns/agent', status: 'updated' })
    await report.publish()
    expect(outputs.get('chart-version')).toBe('0.7.1')
    expect(await readSummary()).toContain(
      `<p>Agent image <code>${IMAGE}</code> · chart version <code>0.7.1</code></p>`
    )
  })

  it('is there on failure too, below the failure', async () => {
    const report = new Report()
    report.image = IMAGE
    await report.publish('helm could not install release ns/agent.')
    const summary = await readSummary()
    expect(summary.indexOf('<strong>Failed:</strong>')).toBeLessThan(summary.indexOf(IMAGE))
    expect(summary).toContain(`Agent image <code>${IMAGE}</code>`)
  })

  it('escapes what it shows', async () => {
    const report = new Report()
    report.image = 'registry.example/agent:<tag>'
    await report.publish()
    expect(await readSummary()).toContain('<code>registry.example/agent:&#60;tag&#62;</code>')
  })
})

describe('the elapsed time', () => {
  it('counts from the report’s making, by its clock, without sleeping', async () => {
    const clock = manualClock()
    const report = new Report(clock)
    report.mode = 'deploy'
    report.image = IMAGE
    report.record({ kind: 'Agent task', id: 't-1', status: 'created' })
    clock.advance(125_400)
    await report.publish()
    expect(report.elapsed()).toBe('2m 05s')
    expect(report.headlineLine()).toBe('Deployed (2m 05s)')
    expect(await readSummary()).toContain(`<p>Agent image <code>${IMAGE}</code> · took 2m 05s</p>`)
  })

  it('is in the summary of a failure and of a plan', async () => {
    const clock = manualClock()
    const report = new Report(clock)
    report.plan([create], true)
    clock.advance(9_600)
    await report.publish('Cancelled (SIGINT).')
    expect(await readSummary()).toContain('<p>took 10s</p>')
    expect(report.headlineLine('Cancelled (SIGINT).')).toBe('Failed (10s)')
  })

  it('is left out without a clock', async () => {
    const report = new Report()
    await report.publish()
    expect(report.elapsed()).toBeUndefined()
    expect(await readSummary()).not.toContain('took')
  })

  it('reads as seconds, minutes and seconds, or hours and minutes', () => {
    expect(formatElapsed(0)).toBe('0s')
    expect(formatElapsed(499)).toBe('0s')
    expect(formatElapsed(42_000)).toBe('42s')
    expect(formatElapsed(59_499)).toBe('59s')
    expect(formatElapsed(59_500)).toBe('1m 00s')
    expect(formatElapsed(61_000)).toBe('1m 01s')
    expect(formatElapsed(3_599_000)).toBe('59m 59s')
    expect(formatElapsed(3_600_000)).toBe('1h 00m')
    expect(formatElapsed(3_725_000)).toBe('1h 02m')
    expect(formatElapsed(-5)).toBe('0s')
  })
})

describe('secrets', () => {
  it('appear nowhere in the summary, the outputs or the headline', async () => {
    const clock = manualClock()
    const report = new Report(clock)
    report.title = 'EKS cluster prod (us-east-1)'
    report.mode = 'deploy'
    report.image = `registry.example/agent:${KEY}`
    report.output('chart-version', `0.1.0-${KEY}`)
    report.plan(
      [
        {
          ...update,
          reason: `values changed: ${KEY}`,
          changes: [{ field: 'note', before: '"a"', after: `"${KEY}"` }]
        }
      ],
      false
    )
    report.record({
      kind: 'Helm release',
      id: `ns/${KEY}`,
      status: 'updated',
      link: `https://console.example/${KEY}`,
      note: KEY
    })
    report.note(`The agent reported ${KEY}.`)
    const error = `helm failed with ${KEY}`
    await report.publish(error)
    const summary = await readSummary()
    expect(summary).toContain('<strong>Failed:</strong>')
    expect(summary).toContain('<a href="https://console.example/***">ns/***</a>')
    expect(summary).toContain('Agent image <code>registry.example/agent:***</code>')
    expect(summary).toContain('chart version <code>0.1.0-***</code>')
    expect(summary).not.toContain(KEY)
    expect([...outputs.values()].join('\n')).not.toContain(KEY)
    expect(report.headlineLine(error)).not.toContain(KEY)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('\n')).not.toContain(KEY)
  })
})
