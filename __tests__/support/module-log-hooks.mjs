/** The resolve hook of module-log.mjs; it runs on the loader's own thread. */
import { appendFileSync } from 'node:fs'

let logFile

export function initialize(data) {
  logFile = data.logFile
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context)
  if (logFile && result.url.startsWith('file:')) appendFileSync(logFile, `${result.url}\n`)
  return result
}
