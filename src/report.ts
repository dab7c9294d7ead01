/**
 * What the action did, resource by resource: a log line as each is settled, the step outputs, and
 * the job summary table. On failure the summary lists what exists, so the user knows what a re-run
 * will find.
 */
import { isDeepStrictEqual } from 'node:util'
import * as core from '@actions/core'
import type { Mode } from './inputs.js'
import { describeStep, isChange, type Step } from './plan/step.js'
import type { Clock } from './poll.js'
import { redact } from './secrets.js'

/**
 * What happened to a resource. `deleted` and `kept` are for remove: `kept` is a resource the
 * action does not own or may not delete yet (the note says why); `absent` is one already gone.
 */
export type ResourceStatus =
  'created' | 'updated' | 'unchanged' | 'reused' | 'stopped' | 'deleted' | 'kept' | 'absent'

export interface ResourceRow {
  kind: string
  id: string
  status: ResourceStatus
  link?: string
  note?: string
}

const CHANGES: ReadonlySet<ResourceStatus> = new Set(['created', 'updated', 'stopped', 'deleted'])

export class Report {
  private readonly rows: ResourceRow[] = []
  private readonly outputs = new Map<string, string>()
  private readonly notes: string[] = []
  private steps?: Step[]
  /** In plan mode only the plan is shown: nothing was done. */
  private planOnly = false

  /** When the run started, by `clock`, for the elapsed time; none without a clock. */
  private readonly started?: number

  /** What the summary's heading says the run was about. */
  title = 'not started'
  /** The run's mode, once the inputs are read: the headline's wording depends on it. */
  mode?: Mode
  /** The agent image the run deploys (or would), for the summary. */
  image?: string

  /** `clock` measures the elapsed time from now, the start of the run, to the summary. */
  constructor(private readonly clock?: Pick<Clock, 'now'>) {
    this.started = clock?.now()
  }

  /**
   * Adds a row, or replaces the row of the same resource when its state moved on. The log gets a
   * line only for news: a resource recorded early (so a failed wait still names it) and again once
   * settled in the same state is printed once.
   */
  record(row: ResourceRow): void {
    const index = this.rows.findIndex(other => other.kind === row.kind && other.id === row.id)
    const line = `${row.kind} ${row.id}: ${row.status}${row.note ? ` (${row.note})` : ''}`
    if (index >= 0 && isDeepStrictEqual(this.rows[index], row)) return
    if (index >= 0) this.rows[index] = row
    else this.rows.push(row)
    core.info(redact(line))
  }

  /** A step a remove keeps: `absent` when there is nothing, else `kept` with the plan's reason. */
  recordKept(step: Step): void {
    const note = step.reason === 'absent' ? {} : { note: step.reason }
    const status = step.reason.startsWith('absent') ? 'absent' : 'kept'
    this.record({ kind: step.resource, id: step.id, status, ...note })
  }

  /** A sentence for the log and the summary, beside the table. */
  note(text: string): void {
    this.notes.push(text)
    core.info(redact(text))
  }

  /**
   * The run's plan, before any change: printed step by step, and the `plan` output. With
   * `planOnly`, the run stops here and the summary shows the plan instead of resources.
   */
  plan(steps: Step[], planOnly: boolean): void {
    this.steps = steps
    this.planOnly = planOnly
    const changes = steps.filter(isChange).length
    core.info(changes === 0 ? 'Plan: no changes.' : `Plan: ${changes} change(s).`)
    for (const step of steps) for (const line of describeStep(step)) core.info(redact(line))
  }

  get changed(): boolean {
    if (this.planOnly) return (this.steps ?? []).some(isChange)
    return this.rows.some(row => CHANGES.has(row.status))
  }

  output(name: string, value: string): void {
    this.outputs.set(name, value)
  }

  /**
   * The run in a few words, the summary's first line: `Failed` with `error`; in plan mode
   * `Planned: N change(s)` or `No changes`; on remove `Removed` or `Nothing to remove`; else
   * `Deployed` or `No changes`.
   */
  headline(error?: string): string {
    if (error) return 'Failed'
    if (this.planOnly) {
      const changes = (this.steps ?? []).filter(isChange).length
      return changes === 0 ? 'No changes' : `Planned: ${changes} change(s)`
    }
    if (this.mode === 'remove') return this.changed ? 'Removed' : 'Nothing to remove'
    return this.changed ? 'Deployed' : 'No changes'
  }

  /** How long the run has taken so far, as `42s` or `3m 05s`; undefined without a clock. */
  elapsed(): string | undefined {
    if (!this.clock || this.started === undefined) return undefined
    return formatElapsed(this.clock.now() - this.started)
  }

  /** The headline and the elapsed time, for the log's last line. */
  headlineLine(error?: string): string {
    const elapsed = this.elapsed()
    return `${this.headline(error)}${elapsed ? ` (${elapsed})` : ''}`
  }

  /** Sets the outputs and writes the summary; `error` is the step's one-line failure, if any. */
  async publish(error?: string): Promise<void> {
    for (const [name, value] of this.outputs) core.setOutput(name, redact(value))
    core.setOutput('changed', String(this.changed))
    if (this.steps) core.setOutput('plan', redact(JSON.stringify(this.steps)))
    await this.writeSummary(error).catch(summaryError =>
      core.warning(`Could not write the job summary: ${String(summaryError)}`)
    )
  }

  private async writeSummary(error?: string): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    const summary = core.summary.addHeading(
      `CloudAEye metrics agent: ${escapeHtml(redact(this.title))}`,
      3
    )
    // The headline; on failure the failure paragraph is the headline, with the reason.
    if (error) {
      // Several invalid inputs come one per line; HTML would run them together.
      const lines = escapeHtml(redact(error)).split('\n').join('<br>')
      summary.addRaw(`<p><strong>Failed:</strong> ${lines}</p>`, true)
    } else {
      const planNote = this.planOnly ? ' (plan mode: nothing was changed)' : ''
      summary.addRaw(`<p><strong>${escapeHtml(this.headline())}</strong>${planNote}</p>`, true)
    }
    const facts = this.facts()
    if (facts.length > 0) summary.addRaw(`<p>${facts.join(' · ')}</p>`, true)
    if (error) {
      summary.addRaw(
        this.rows.length > 0
          ? '<p>These resources exist now; a re-run finds and reuses them.</p>'
          : '<p>Nothing was created.</p>',
        true
      )
    }
    if (this.steps && this.planOnly) this.addPlan(summary, this.steps)
    else if (this.rows.length > 0) {
      summary.addTable([
        [
          { data: 'Resource', header: true },
          { data: 'ID', header: true },
          { data: 'Status', header: true }
        ],
        ...this.rows.map(row => [
          row.kind,
          row.link
            ? `<a href="${escapeHtml(redact(row.link))}">${escapeHtml(redact(row.id))}</a>`
            : escapeHtml(redact(row.id)),
          row.note ? `${row.status} (${escapeHtml(redact(row.note))})` : row.status
        ])
      ])
    }
    for (const note of this.notes) summary.addRaw(`<p>${escapeHtml(redact(note))}</p>`, true)
    await summary.write()
  }

  /** The agent image, the chart version (EKS, once known) and the elapsed time, as HTML. */
  private facts(): string[] {
    const facts: string[] = []
    const code = (text: string) => `<code>${escapeHtml(redact(text))}</code>`
    if (this.image) facts.push(`Agent image ${code(this.image)}`)
    const chartVersion = this.outputs.get('chart-version')
    if (chartVersion) facts.push(`chart version ${code(chartVersion)}`)
    const elapsed = this.elapsed()
    if (elapsed) facts.push(`took ${elapsed}`)
    return facts
  }

  private addPlan(summary: typeof core.summary, steps: Step[]): void {
    summary.addTable([
      [
        { data: 'Action', header: true },
        { data: 'Resource', header: true },
        { data: 'ID', header: true },
        { data: 'Why', header: true }
      ],
      ...steps.map(step => [
        step.action,
        escapeHtml(step.resource),
        escapeHtml(redact(step.id)),
        escapeHtml(redact(step.reason))
      ])
    ])
    const detailed = steps.filter(step => step.changes?.length)
    for (const step of detailed) {
      const diff = describeStep(step).slice(1).join('\n').replace(/^ {4}/gm, '')
      summary.addDetails(
        `${escapeHtml(step.resource)} ${escapeHtml(step.id)}: ${step.changes!.length} field(s)`,
        `<pre>${escapeHtml(redact(diff))}</pre>`
      )
    }
  }
}

/** `42s` under a minute, `3m 05s` under an hour, `1h 02m` beyond; whole seconds, rounded. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
