/**
 * Where a bundle run could show a secret to whoever reads the job: stdout (less the commands that
 * register masks), stderr, the outputs file, the summary, and the argv of every helm call. Errors
 * are in there too, as `::error::` lines and the summary's failure line.
 */
import type { BundleResult } from './bundle.js'
import type { HelmCall, RecordingHelm } from './recording-helm.js'

/** What a reader of the job sees of one run, with the argv of the helm calls recorded for it. */
export function visibleText(result: BundleResult, helmCalls: HelmCall[] = []): string {
  const stdout = result.stdout.replace(/^::add-mask::.*$/gm, '')
  const argv = helmCalls.map(call => call.argv.join(' '))
  return [stdout, result.stderr, result.outputFile, result.summary, ...argv].join('\n')
}

/**
 * The secrets, of those given, that the runs showed; [] when they kept them all hidden.
 * `helmCalls` are the calls a RecordingHelm saw during the runs (`await helm.calls()`).
 */
export function exposedSecrets(
  results: BundleResult[],
  secrets: string[],
  helmCalls: HelmCall[] = []
): string[] {
  const text = results.map(result => visibleText(result, helmCalls)).join('\n')
  return secrets.filter(secret => text.includes(secret))
}

/**
 * The generated AWS secret keys the action handed the agent: read from the copies of the values
 * files the real helm received, as RecordingHelm took them while helm ran.
 */
export async function deliveredAwsSecrets(helm: RecordingHelm): Promise<string[]> {
  const secrets = new Set<string>()
  for (const call of await helm.calls()) {
    for (const file of call.valuesFiles) {
      const values = await helm.received(file)
      const cloud = values.cloudServices as { secretAccessKey?: string } | undefined
      if (cloud?.secretAccessKey) secrets.add(cloud.secretAccessKey)
    }
  }
  return [...secrets]
}
