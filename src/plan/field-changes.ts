/**
 * The field-by-field difference between what exists and what a run wants, for a plan: a task
 * definition's fields, a helm release's values. Secrets never appear: a field the caller names as
 * secret shows `***`, and every value is redacted of the run's registered secrets as well.
 */
import { isDeepStrictEqual } from 'node:util'
import { redact } from '../secrets.js'
import type { FieldChange } from './step.js'

export const MASKED = '***'

/**
 * `before` and `after` are flattened into dotted paths (`cloudaeye.endpoint`); lists compare as a
 * whole. `isSecret` names the paths whose values are secrets.
 */
export function fieldChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  isSecret: (path: string) => boolean = () => false
): FieldChange[] {
  const old = flatten(before ?? {})
  const now = flatten(after)
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort()
  const show = (path: string, value: unknown) =>
    value === undefined ? undefined : isSecret(path) ? MASKED : redact(JSON.stringify(value))
  return paths
    .filter(path => !isDeepStrictEqual(old.get(path), now.get(path)))
    .map(path => ({
      field: path,
      before: show(path, old.get(path)),
      after: show(path, now.get(path))
    }))
}

function flatten(value: Record<string, unknown>, prefix = '', into = new Map<string, unknown>()) {
  for (const [key, field] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof field === 'object' && field !== null && !Array.isArray(field)) {
      flatten(field as Record<string, unknown>, path, into)
    } else into.set(path, field)
  }
  return into
}
