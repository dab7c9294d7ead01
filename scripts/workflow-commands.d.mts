export function unescapeData(text: string): string
export function unescapeProperty(text: string): string

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  data: string
}

export function parseCommand(line: string): WorkflowCommand | undefined

export interface LogFormatter {
  /** The lines a runner would show for one line of output; none for a hidden one. */
  format(line: string): string[]
  formatText(text: string): string[]
  /** `text` with every masked value replaced by `***`. */
  mask(text: string): string
  masks: Set<string>
}

export function createLogFormatter(options?: { debug?: boolean }): LogFormatter

export const RUNNER_NOTE: string
