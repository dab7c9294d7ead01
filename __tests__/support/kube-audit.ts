/**
 * What a run asked of the Kubernetes API, from the API server's audit log (a plane started with
 * `auditLog`): every request's user, verb and URI, whose `dryRun=All` query marks a server-side dry
 * run. A run's requests are those between two marks: a request of the admin's, made before and
 * after the run, that the log is read until it shows.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { KubePlane } from '../../scripts/kube-plane.mjs'

const execute = promisify(execFile)

export interface AuditEvent {
  verb: string
  requestURI: string
  user: { username: string }
  objectRef?: { resource?: string; namespace?: string; name?: string }
  responseStatus?: { code?: number }
}

/** The verbs that change something, as the audit log names them. */
const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection'])

export const isWrite = (event: AuditEvent) => WRITES.has(event.verb)
export const isDryRun = (event: AuditEvent) =>
  /[?&]dryRun=All(&|$)/.test(event.requestURI.replace(/%3D/gi, '='))

/** Reads the plane's audit log one run at a time. */
export function auditReader(plane: KubePlane) {
  if (!plane.auditLog) throw new Error('the plane was started without an audit log')
  const file = plane.auditLog
  let marks = 0
  let consumed = 0

  async function events(): Promise<AuditEvent[]> {
    const text = await readFile(file, 'utf8').catch(() => '')
    return text
      .split('\n')
      .filter(line => line.endsWith('}'))
      .map(line => JSON.parse(line) as AuditEvent)
  }

  return {
    /**
     * The events since the last call (or since the plane started), up to a mark made now: a GET of
     * a namespace that does not exist, which is logged like any request.
     */
    async next(): Promise<AuditEvent[]> {
      const mark = `audit-mark-${++marks}`
      await execute('kubectl', [
        '--kubeconfig',
        plane.adminKubeconfig,
        'get',
        'namespace',
        mark,
        '--ignore-not-found'
      ])
      const deadline = Date.now() + 10_000
      for (;;) {
        const all = await events()
        const at = all.findIndex(
          (event, index) => index >= consumed && event.objectRef?.name === mark
        )
        if (at >= 0) {
          const since = all.slice(consumed, at)
          consumed = at + 1
          return since
        }
        if (Date.now() > deadline) throw new Error(`the audit log never showed ${mark}`)
        await new Promise(resolve => setTimeout(resolve, 50))
      }
    }
  }
}
