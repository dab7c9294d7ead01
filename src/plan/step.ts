/**
 * A plan is what a run will do, resource by resource, decided from what it observed before any
 * change. `plan` mode prints it; `deploy` and `remove` carry it out, so what a pull request shows
 * is what the deploy does.
 */

/** What happens to one resource. `keep` is no change: listed so a plan shows the whole agent. */
export type StepAction = 'create' | 'update' | 'replace' | 'delete' | 'keep'

/** One changed field; values are display text with every secret already masked as `***`. */
export interface FieldChange {
  field: string
  before?: string
  after?: string
}

export interface Step {
  /** What kind of resource, as the summary names it: `Security group`, `Helm release`. */
  resource: string
  /** Its name or ID; for a resource still to be created, the name it will get. */
  id: string
  action: StepAction
  /** Why, in a few words: `missing`, `image changed`, `not tagged as the action's`. */
  reason: string
  /** For `update` and `replace`: the fields that differ. */
  changes?: FieldChange[]
}

export const isChange = (step: Step): boolean => step.action !== 'keep'

const SYMBOLS: Record<StepAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  keep: '='
}

/** `+ create Security group cloudaeye-metrics-agent (missing)`, then one line per changed field. */
export function describeStep(step: Step): string[] {
  const head = `${SYMBOLS[step.action]} ${step.action} ${step.resource} ${step.id} (${step.reason})`
  return [head, ...(step.changes ?? []).map(change => `    ${describeChange(change)}`)]
}

export function describeChange(change: FieldChange): string {
  if (change.before === undefined) return `${change.field}: + ${change.after}`
  if (change.after === undefined) return `${change.field}: - ${change.before}`
  return `${change.field}: ${change.before} → ${change.after}`
}
