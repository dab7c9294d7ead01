/** Parsers for the value syntaxes action.yml documents: booleans, durations, lists and tags. */
import { InputError, InputErrors } from './errors.js'
import { redact } from './secrets.js'

/**
 * action.yml's inputs in its order, which is the order refused inputs are listed in. A test keeps
 * it equal to action.yml.
 */
export const ACTION_INPUTS = [
  'platform',
  'mode',
  'cluster',
  'aws-region',
  'cloudaeye-endpoint',
  'cloudaeye-api-key',
  'cloudaeye-api-key-secret-arn',
  'agent-image',
  'agent-name',
  'services',
  'wait',
  'wait-timeout',
  'tags',
  'vpc-id',
  'subnet-ids',
  'security-group-ids',
  'assign-public-ip',
  'execution-role-arn',
  'task-role-arn',
  'cpu',
  'memory',
  'namespace',
  'kubeconfig',
  'helm-version',
  'helm-download-base-url',
  'chart',
  'chart-version',
  'values',
  'existing-secret',
  'enable-cloud-services',
  'cloud-services-auth',
  'ecs-run-as',
  'remove-logs',
  'http-proxy'
] as const

/**
 * Collects the InputErrors of one run, so that every bad input is reported at once. Each parser
 * still throws for its own input; `check` records that and returns undefined, and a later check
 * that depends on a refused value is skipped by its caller (`refused` says which inputs were), so
 * one mistake is reported once, not as a cascade. At most one error is kept per input: the first.
 */
export class InputChecks {
  private readonly errors: InputError[] = []

  /** The parser's value, or undefined when it refused its input (the error is recorded). */
  check<T>(parse: () => T): T | undefined {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.add(error)
      return undefined
    }
  }

  /** check for a parser that returns a promise. */
  async checkAsync<T>(parse: () => Promise<T>): Promise<T | undefined> {
    try {
      return await parse()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.add(error)
      return undefined
    }
  }

  /** Records a refusal found outside a parser. */
  add(error: InputError): void {
    if (this.refused(error.input)) return
    // The key is masked before any input is read; a line that still holds it (say the key was
    // pasted into another input) carries *** instead.
    const reason = redact(error.reason)
    this.errors.push(reason === error.reason ? error : new InputError(error.input, reason))
  }

  /** Whether any of the inputs was refused. */
  refused(...inputs: string[]): boolean {
    return this.errors.some(error => inputs.includes(error.input))
  }

  /**
   * Throws what was found: one bad input as its own InputError, exactly as it reads alone; more
   * as one InputErrors in action.yml's order.
   */
  throwIfAny(): void {
    if (this.errors.length === 0) return
    if (this.errors.length === 1) throw this.errors[0]
    const position = (input: string) => {
      const index = (ACTION_INPUTS as readonly string[]).indexOf(input)
      return index < 0 ? ACTION_INPUTS.length : index
    }
    // A stable sort: inputs not in action.yml (none today) keep their order at the end.
    throw new InputErrors([...this.errors].sort((a, b) => position(a.input) - position(b.input)))
  }
}

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
