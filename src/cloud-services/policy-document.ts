/**
 * The policy document every identity of the agent carries, shipped as a file, and how IAM's copy
 * of a document is compared with it.
 */
import { readFileSync } from 'node:fs'
import { actionFile } from '../action-files.js'
import { AGENT_POLICY_FILE } from './names.js'

/** Read afresh on each call: callers may change what they get without touching anyone else's. */
export function desiredPolicyDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(actionFile(AGENT_POLICY_FILE), 'utf8')) as Record<string, unknown>
}

/** Fields whose value IAM treats as a set: a lone string means the same as a one-element list. */
const SET_VALUED = new Set(['Action', 'NotAction', 'Resource', 'NotResource'])

/**
 * Whether two documents grant the same thing, so that an equal one causes no new policy version.
 * IAM hands documents back URL-encoded (RFC 3986) and may reorder keys; statement order is kept,
 * since it is how the author wrote the policy and a reordering is worth a new version.
 */
export function samePolicyDocument(a: unknown, b: unknown): boolean {
  const left = normalise(a)
  const right = normalise(b)
  return left !== undefined && right !== undefined && left === right
}

/** A canonical JSON text of the document, or undefined when it is not a readable document. */
function normalise(document: unknown): string | undefined {
  const parsed = typeof document === 'string' ? parseDocumentText(document) : document
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  const { Statement, ...rest } = parsed as Record<string, unknown>
  const statements =
    Statement === undefined ? [] : Array.isArray(Statement) ? Statement : [Statement]
  return canonicalJson({ ...rest, Statement: statements.map(normaliseStatement) })
}

function parseDocumentText(text: string): unknown {
  const trimmed = text.trim()
  try {
    // A decoded document starts with a brace; decoding it again could break a literal '%'.
    return JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed))
  } catch {
    return undefined
  }
}

function normaliseStatement(statement: unknown): unknown {
  if (!statement || typeof statement !== 'object' || Array.isArray(statement)) return statement
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(statement)) {
    result[key] = SET_VALUED.has(key) ? asSortedList(value) : value
  }
  return result
}

function asSortedList(value: unknown): unknown {
  const list = Array.isArray(value) ? value : [value]
  return list.every(item => typeof item === 'string') ? [...new Set(list)].sort() : list
}

/** JSON with object keys sorted at every level, so key order cannot make two documents differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
