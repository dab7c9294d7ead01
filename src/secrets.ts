/**
 * Secrets the action handles. Each is masked in the runner's log the moment it is known, and
 * redacted from what the runner does not mask: the job summary and outputs files.
 */
import * as core from '@actions/core'

const secrets = new Set<string>()

export function registerSecret(value: string): void {
  if (!value) return
  core.setSecret(value)
  secrets.add(value)
}

export function redact(text: string): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join('***')
  return result
}
