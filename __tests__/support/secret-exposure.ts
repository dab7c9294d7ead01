/**
 * Where a bundle run could show a secret to whoever reads the job: stdout (less the commands that
 * register masks), stderr, the outputs file, the summary, and the argv of every helm call. Errors
 * are in there too, as `::error::` lines and the summary's failure line.
 */
import type { BundleResult } from './bundle.js'
import type { FakeHelm } from './fake-helm.js'

export function visibleText(result: BundleResult, helm?: FakeHelm): string {
  const stdout = result.stdout.replace(/^::add-mask::.*$/gm, '')
  const argv = (helm?.calls() ?? []).map(call => call.argv.join(' '))
  return [stdout, result.stderr, result.outputFile, result.summary, ...argv].join('\n')
}

/** The secrets, of those given, that a run showed; [] when it kept them all hidden. */
export function exposedSecrets(
  results: BundleResult[],
  secrets: string[],
  helm?: FakeHelm
): string[] {
  const text = results.map(result => visibleText(result, helm)).join('\n')
  return secrets.filter(secret => text.includes(secret))
}

/** The generated AWS secret keys the agent was handed through helm's values files. */
export async function deliveredAwsSecrets(helm: FakeHelm): Promise<string[]> {
  const secrets = new Set<string>()
  for (const call of helm.calls()) {
    for (const file of call.valuesFiles) {
      const values = await helm.received(file)
      const cloud = values.cloudServices as { secretAccessKey?: string } | undefined
      if (cloud?.secretAccessKey) secrets.add(cloud.secretAccessKey)
    }
  }
  return [...secrets]
}
