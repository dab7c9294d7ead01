/**
 * The plan's shared parts: the masked field diff, how a step reads in the log, and what the report
 * makes of a plan (the `plan` and `changed` outputs, the summary). `@actions/core` is replaced so
 * the tests see every log line and output.
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
const { fieldChanges, MASKED } = await import('../../src/plan/field-changes.js')
const { describeStep, isChange } = await import('../../src/plan/step.js')
const { Report } = await import('../../src/report.js')
const { registerSecret } = await import('../../src/secrets.js')

const KEY = 'cak_unit_plan_3e9d0c1b7a6f4e52'
registerSecret(KEY)

// One file for the whole suite: the toolkit's summary keeps the path it first wrote to.
const summaryDir = await mkdtemp(path.join(os.tmpdir(), 'plan-summary-'))
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

describe('fieldChanges', () => {
  it('lists exactly the fields that differ, by dotted path, with before and after', () => {
    const changes = fieldChanges(
      { image: 'agent:1', cloudaeye: { endpoint: 'https://a', services: ['x'] }, gone: 1 },
      { image: 'agent:2', cloudaeye: { endpoint: 'https://a', services: ['x', 'y'] }, added: true }
    )
    expect(changes).toEqual([
      { field: 'added', before: undefined, after: 'true' },
      { field: 'cloudaeye.services', before: '["x"]', after: '["x","y"]' },
      { field: 'gone', before: '1', after: undefined },
      { field: 'image', before: '"agent:1"', after: '"agent:2"' }
    ])
    expect(fieldChanges({ a: { b: [1] } }, { a: { b: [1] } })).toEqual([])
  })

  it('masks the fields named secret, and any registered secret anywhere else', () => {
    const changes = fieldChanges(
      { apiKey: 'old-key', note: 'x' },
      { apiKey: 'new-key', note: `prefix ${KEY}` },
      field => field === 'apiKey'
    )
    expect(changes).toEqual([
      { field: 'apiKey', before: MASKED, after: MASKED },
      { field: 'note', before: '"x"', after: '"prefix ***"' }
    ])
  })
})

describe('a step', () => {
  it('reads as one line, then one per changed field', () => {
    const step = {
      resource: 'Task definition',
      id: 'agent',
      action: 'update' as const,
      reason: 'image changed',
      changes: [
        { field: 'image', before: '"a:1"', after: '"a:2"' },
        { field: 'taskRoleArn', after: '"arn"' },
        { field: 'cpu', before: '"256"' }
      ]
    }
    expect(describeStep(step)).toEqual([
      '~ update Task definition agent (image changed)',
      '    image: "a:1" → "a:2"',
      '    taskRoleArn: + "arn"',
      '    cpu: - "256"'
    ])
    expect(isChange(step)).toBe(true)
    expect(isChange({ ...step, action: 'keep' })).toBe(false)
  })
})

describe('the report of a plan', () => {
  const steps = [
    { resource: 'Security group', id: 'agent', action: 'keep' as const, reason: 'exists' },
    {
      resource: 'Helm release',
      id: 'cloudaeye/agent',
      action: 'update' as const,
      reason: 'values changed',
      changes: [{ field: 'apiKey', before: MASKED, after: MASKED }]
    }
  ]

  it('in plan mode: the plan in the log, the outputs and the summary, changed from the plan', async () => {
    const report = new Report()
    report.plan(steps, true)
    await report.publish()
    expect(lines).toEqual([
      'Plan: 1 change(s).',
      '= keep Security group agent (exists)',
      '~ update Helm release cloudaeye/agent (values changed)',
      '    apiKey: *** → ***'
    ])
    expect(outputs.get('changed')).toBe('true')
    expect(JSON.parse(outputs.get('plan')!)).toEqual(steps)
    const summary = await readFile(process.env.GITHUB_STEP_SUMMARY!, 'utf8')
    expect(summary).toContain('Planned: 1 change(s)')
    expect(summary).toContain('nothing was changed')
    expect(summary).toContain('apiKey: *** → ***')
  })

  it('with no change: changed is false', async () => {
    const report = new Report()
    report.plan([steps[0]], true)
    await report.publish()
    expect(lines[0]).toBe('Plan: no changes.')
    expect(outputs.get('changed')).toBe('false')
    expect(await readFile(process.env.GITHUB_STEP_SUMMARY!, 'utf8')).toContain('No changes')
  })

  it('in deploy mode: changed and the summary come from what was done', async () => {
    const report = new Report()
    report.plan(steps, false)
    report.record({ kind: 'Helm release', id: 'cloudaeye/agent', status: 'unchanged' })
    await report.publish()
    expect(outputs.get('changed')).toBe('false')
    expect(outputs.get('plan')).toBeDefined()
    const summary = await readFile(process.env.GITHUB_STEP_SUMMARY!, 'utf8')
    expect(summary).not.toContain('Planned')
    expect(summary).toContain('unchanged')
  })

  it('a deleted resource is a change; kept and absent are not', async () => {
    for (const [status, changed] of [
      ['deleted', 'true'],
      ['kept', 'false'],
      ['absent', 'false']
    ] as const) {
      const report = new Report()
      report.record({ kind: 'Security group', id: 'sg-1', status })
      await report.publish()
      expect(outputs.get('changed')).toBe(changed)
    }
  })
})
