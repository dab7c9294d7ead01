/**
 * What the action did, resource by resource: a log line as each is settled, the step outputs, and
 * the job summary table. On failure the summary lists what exists, so the user knows what a re-run
 * will find.
 */
import { isDeepStrictEqual } from 'node:util'
import * as core from '@actions/core'
import { describeStep, isChange, type Step } from './plan/step.js'
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

  /** What the summary's heading says the run was about. */
  title = 'not started'

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
    core.info(line)
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
    core.info(text)
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
    const summary = core.summary.addHeading(`CloudAEye metrics agent: ${this.title}`, 3)
    if (error) {
      summary.addRaw(`<p><strong>Failed:</strong> ${escapeHtml(redact(error))}</p>`, true)
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
            ? `<a href="${escapeHtml(row.link)}">${escapeHtml(row.id)}</a>`
            : escapeHtml(row.id),
          row.note ? `${row.status} (${escapeHtml(row.note)})` : row.status
        ])
      ])
    }
    for (const note of this.notes) summary.addRaw(`<p>${escapeHtml(redact(note))}</p>`, true)
    await summary.write()
  }

  private addPlan(summary: typeof core.summary, steps: Step[]): void {
    const changes = steps.filter(isChange).length
    summary.addRaw(
      `<p><strong>${changes === 0 ? 'No changes' : `Planned: ${changes} change(s)`}</strong>` +
        ' (plan mode: nothing was changed)</p>',
      true
    )
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
