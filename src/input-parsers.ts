/** Parsers for the value syntaxes action.yml documents: booleans, durations, lists and tags. */
import { InputError } from './errors.js'

export function parseBoolean(input: string, raw: string): boolean {
  const value = raw.trim().toLowerCase()
  if (value === 'true') return true
  if (value === 'false') return false
  throw new InputError(input, `'${raw}' is not a boolean; use true or false.`)
}

const DURATION_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 }

/** `300`, `300s`, `5m`, `1h` into milliseconds. */
export function parseDuration(input: string, raw: string, maxMs: number): number {
  const match = /^(\d+)\s*([smh]?)$/i.exec(raw.trim())
  const ms = match ? Number(match[1]) * DURATION_UNITS[match[2].toLowerCase()] : NaN
  if (!match || ms <= 0) {
    throw new InputError(
      input,
      `'${raw}' is not a duration; use seconds (300, 300s) or minutes (5m).`
    )
  }
  if (ms > maxMs) {
    throw new InputError(input, `'${raw}' is longer than the ${maxMs / 60_000} minutes allowed.`)
  }
  return ms
}

/** Items separated by commas or newlines, trimmed, empty ones dropped, duplicates removed. */
export function parseList(raw: string): string[] {
  const items = raw
    .split(/[,\n]/)
    .map(item => item.trim())
    .filter(item => item.length > 0)
  return [...new Set(items)]
}

const MAX_USER_TAGS = 40

/** `key=value` items (commas or newlines), validated against AWS's tag rules. */
export function parseTags(input: string, raw: string, reserved: string[]): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const item of parseList(raw)) {
    const equals = item.indexOf('=')
    if (equals <= 0) {
      throw new InputError(input, `'${item}' is not a tag; write key=value.`)
    }
    const key = item.slice(0, equals).trim()
    const value = item.slice(equals + 1).trim()
    if (key.length > 128 || value.length > 256) {
      throw new InputError(input, `tag '${key}' is too long; keys take 128 characters, values 256.`)
    }
    if (/^aws:/i.test(key)) {
      throw new InputError(input, `tag key '${key}' uses the prefix 'aws:', which AWS reserves.`)
    }
    // ECS reserves the prefix in values too.
    if (/^aws:/i.test(value)) {
      throw new InputError(
        input,
        `tag '${key}' has a value starting with 'aws:', which ECS reserves; choose another value.`
      )
    }
    // IAM, which tags the cloud-services identity, compares keys regardless of case.
    const lowerKey = key.toLowerCase()
    if (reserved.some(name => name.toLowerCase() === lowerKey)) {
      throw new InputError(input, `tag key '${key}' is set by the action itself; choose another.`)
    }
    const sameKey = Object.keys(tags).find(other => other.toLowerCase() === lowerKey)
    if (sameKey !== undefined && sameKey !== key) {
      throw new InputError(
        input,
        `tag keys '${sameKey}' and '${key}' differ only in case, which IAM counts as the same ` +
          `key; keep one.`
      )
    }
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(key + value)) {
      throw new InputError(
        input,
        `tag '${key}' has characters AWS does not accept; use letters, digits, spaces and _ . : / = + - @.`
      )
    }
    tags[key] = value
  }
  if (Object.keys(tags).length > MAX_USER_TAGS) {
    throw new InputError(input, `${Object.keys(tags).length} tags given; at most ${MAX_USER_TAGS}.`)
  }
  return tags
}
