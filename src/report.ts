/**
 * What the action did, resource by resource: a log line as each is settled, the step outputs, and
 * the job summary table. On failure the summary lists what exists, so the user knows what a re-run
 * will find.
 */
import { isDeepStrictEqual } from 'node:util'
import * as core from '@actions/core'
import { redact } from './secrets.js'

export type ResourceStatus = 'created' | 'updated' | 'unchanged' | 'reused' | 'stopped'

export interface ResourceRow {
  kind: string
  id: string
  status: ResourceStatus
  link?: string
  note?: string
}

const CHANGES: ReadonlySet<ResourceStatus> = new Set(['created', 'updated', 'stopped'])

export class Report {
  private readonly rows: ResourceRow[] = []
  private readonly outputs = new Map<string, string>()
  private readonly notes: string[] = []

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

  /** A sentence for the log and the summary, beside the table. */
  note(text: string): void {
    this.notes.push(text)
    core.info(text)
  }

  get changed(): boolean {
    return this.rows.some(row => CHANGES.has(row.status))
  }

  output(name: string, value: string): void {
    this.outputs.set(name, value)
  }

  /** Sets the outputs and writes the summary; `error` is the step's one-line failure, if any. */
  async publish(error?: string): Promise<void> {
    for (const [name, value] of this.outputs) core.setOutput(name, redact(value))
    core.setOutput('changed', String(this.changed))
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
    if (this.rows.length > 0) {
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
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
