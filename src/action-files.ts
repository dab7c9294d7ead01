/**
 * Files shipped with the action (the chart, the agent's policy document) sit at the top of the
 * action beside dist/, and beside src/ in a checkout: look upwards from this module, so the bundle
 * and the tests find the same file.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export function actionFile(relativePath: string): string {
  let directory = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(directory, relativePath)
    if (existsSync(candidate)) return candidate
    const parent = path.dirname(directory)
    if (parent === directory) throw new Error(`${relativePath} is missing from the action`)
    directory = parent
  }
}
