/**
 * resolveHelm against a local mirror serving helm archives built here from the real helm binaries in
 * .cache/helm (scripts/fetch-helm.sh), through the real tool cache, with PATH stripped of any helm.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import * as tc from '@actions/tool-cache'
import { DEFAULT_HELM_VERSION, resolveHelm } from '../../src/eks/helm/helm-tool.js'
import {
  helmArchiveName,
  packHelmArchive,
  sha256,
  sha256sumFile,
  type ArchiveKind
} from '../support/helm-archive.js'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'

const linux = { platform: 'linux', arch: 'x64' } as const

interface Served {
  status: number
  body: Buffer | string
}

let server: Server
let baseUrl: string
let served: Map<string, Served>
let requests: string[]
let work: string
let archiveDir: string
const savedEnv = { ...process.env }
const savedGlobals = globalThis as Record<string, unknown>

/** PATH without any directory holding a helm, so that only what a test adds is found. */
const pathWithoutHelm = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter(dir => dir && !existsSync(path.join(dir, 'helm')))
  .join(path.delimiter)

/** Each archive is built once per kind: the binaries are large. */
const archives = new Map<string, Promise<Buffer>>()
function buildArchive(binary: string, platformDir: string, kind: ArchiveKind) {
  const key = `${binary} ${platformDir} ${kind}`
  if (!archives.has(key)) archives.set(key, packHelmArchive(binary, platformDir, kind, archiveDir))
  return archives.get(key) as Promise<Buffer>
}

function serveRelease(version: string, platformDir: string, archive: Buffer, digest?: string) {
  const name = helmArchiveName(version, platformDir)
  served.set(`/mirror/${name}`, { status: 200, body: archive })
  served.set(`/mirror/${name}.sha256sum`, {
    status: 200,
    body: sha256sumFile(archive, name, digest)
  })
  return `${baseUrl}/${name}`
}

const runVersion = (binary: string) =>
  execFileSync(binary, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' })

beforeAll(async () => {
  archiveDir = await mkdtemp(path.join(os.tmpdir(), 'helm-archives-'))
  server = createServer((request, response) => {
    requests.push(request.url ?? '')
    const answer = served.get(request.url ?? '') ?? { status: 404, body: 'not found' }
    response.writeHead(answer.status).end(answer.body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`
  // tool-cache's own knob: retry 5xx at once instead of after 10-20 s.
  savedGlobals.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS = 0
  savedGlobals.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS = 0
})

afterAll(async () => {
  delete savedGlobals.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS
  delete savedGlobals.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS
  await new Promise(resolve => server.close(resolve))
  await rm(archiveDir, { recursive: true, force: true })
})

beforeEach(async () => {
  served = new Map()
  requests = []
  work = await mkdtemp(path.join(os.tmpdir(), 'helm-download-'))
  await mkdir(path.join(work, 'tool-cache'))
  await mkdir(path.join(work, 'runner-temp'))
  process.env.RUNNER_TOOL_CACHE = path.join(work, 'tool-cache')
  process.env.RUNNER_TEMP = path.join(work, 'runner-temp')
  process.env.PATH = pathWithoutHelm
})

afterEach(async () => {
  process.env = { ...savedEnv }
  await rm(work, { recursive: true, force: true })
})

describe('download and tool cache', () => {
  it('downloads, verifies and caches a version, then finds it in the cache without a request', async () => {
    const archiveUrl = serveRelease(
      '3.17.2',
      'linux-amd64',
      await buildArchive(REAL_HELM_3, 'linux-amd64', 'tar.gz')
    )

    const first = await resolveHelm({ version: '3.17.2', downloadBaseUrl: baseUrl, ...linux })
    expect(first).toMatchObject({ version: '3.17.2', major: 3, source: 'download' })
    expect(first.path).toBe(path.join(work, 'tool-cache/helm/3.17.2/x64/helm'))
    expect(runVersion(first.path)).toBe('v3.17.2')
    expect(requests).toEqual([
      new URL(archiveUrl).pathname,
      `${new URL(archiveUrl).pathname}.sha256sum`
    ])
    // The archive, checksum and extracted copy are gone; only the cache keeps helm.
    expect(await readdir(path.join(work, 'runner-temp'))).toEqual([])

    const second = await resolveHelm({ version: 'v3.17.2', downloadBaseUrl: baseUrl, ...linux })
    expect(second).toEqual({ ...first, source: 'tool-cache' })
    expect(requests).toHaveLength(2)
  })

  it('installs a Windows zip as helm.exe', async () => {
    serveRelease('3.17.2', 'windows-arm64', await buildArchive(REAL_HELM_3, 'windows-arm64', 'zip'))
    const tool = await resolveHelm({
      version: '3.17.2',
      downloadBaseUrl: `${baseUrl}/`,
      platform: 'win32',
      arch: 'arm64'
    })
    expect(tool.source).toBe('download')
    expect(tool.path).toBe(path.join(work, 'tool-cache/helm/3.17.2/arm64/helm.exe'))
    expect(requests[0]).toBe('/mirror/helm-v3.17.2-windows-arm64.zip')
  })

  it('refuses an archive whose digest differs from its .sha256sum, caching nothing', async () => {
    const archive = await buildArchive(REAL_HELM_3, 'linux-amd64', 'tar.gz')
    const published = sha256(Buffer.from('another archive'))
    const archiveUrl = serveRelease('3.17.2', 'linux-amd64', archive, published)

    const failure = resolveHelm({ version: '3.17.2', downloadBaseUrl: baseUrl, ...linux })
    await expect(failure).rejects.toThrow(`Checksum mismatch for ${archiveUrl}`)
    await expect(failure).rejects.toThrow(published)
    await expect(failure).rejects.toThrow(sha256(archive))
    expect(tc.find('helm', '3.17.2', 'x64')).toBe('')
    expect(await readdir(path.join(work, 'tool-cache'))).toEqual([])
    expect(await readdir(path.join(work, 'runner-temp'))).toEqual([])
  })

  it(`refuses a ${DEFAULT_HELM_VERSION} archive that matches its .sha256sum but not the pinned digest`, async () => {
    // A mirror serving its own build of the default version, consistently checksummed.
    const archive = await buildArchive(REAL_HELM_4, 'linux-amd64', 'tar.gz')
    serveRelease(DEFAULT_HELM_VERSION, 'linux-amd64', archive)

    const failure = resolveHelm({ downloadBaseUrl: baseUrl, ...linux })
    await expect(failure).rejects.toThrow(`pins helm ${DEFAULT_HELM_VERSION} (linux-amd64) to`)
    await expect(failure).rejects.toThrow(
      '70b2c30a19da4db264dfd68c8a3664e05093a361cefd89572ffb36f8abfa3d09'
    )
    await expect(failure).rejects.toThrow(sha256(archive))
    expect(await readdir(path.join(work, 'tool-cache'))).toEqual([])
    expect(await readdir(path.join(work, 'runner-temp'))).toEqual([])
  })

  it('reports a 404 with the URL and the inputs that may be wrong', async () => {
    const failure = resolveHelm({ version: '3.99.0', downloadBaseUrl: baseUrl, ...linux })
    const url = `${baseUrl}/helm-v3.99.0-linux-amd64.tar.gz`
    await expect(failure).rejects.toThrow(`${url} answered HTTP 404`)
    await expect(failure).rejects.toThrow(/helm-version.*helm-download-base-url/)
    expect(requests).toHaveLength(1)
  })

  it('reports a 5xx with the URL and status once tool-cache has retried', async () => {
    served.set('/mirror/helm-v3.17.2-linux-amd64.tar.gz', { status: 500, body: 'boom' })
    const url = `${baseUrl}/helm-v3.17.2-linux-amd64.tar.gz`
    await expect(
      resolveHelm({ version: '3.17.2', downloadBaseUrl: baseUrl, ...linux })
    ).rejects.toThrow(`Downloading helm failed: ${url} answered HTTP 500 after retries.`)
    expect(requests.length).toBeGreaterThan(1)
  })
})

describe('helm on PATH', () => {
  it('uses a helm 4 found on PATH when no version is asked for', async () => {
    process.env.PATH = [path.dirname(REAL_HELM_4), pathWithoutHelm].join(path.delimiter)
    const tool = await resolveHelm({ downloadBaseUrl: baseUrl, ...linux })
    expect(tool).toEqual({ path: REAL_HELM_4, version: '4.1.4', major: 4, source: 'path' })
    expect(requests).toEqual([])
  })

  it('uses a PATH helm for an explicit version only when it is exactly that version', async () => {
    process.env.PATH = [path.dirname(REAL_HELM_4), path.dirname(REAL_HELM_3), pathWithoutHelm].join(
      path.delimiter
    )
    const v3 = await resolveHelm({ version: 'v3.17.2', downloadBaseUrl: baseUrl, ...linux })
    expect(v3).toEqual({ path: REAL_HELM_3, version: '3.17.2', major: 3, source: 'path' })
    await expect(
      resolveHelm({ version: '3.18.0', downloadBaseUrl: baseUrl, ...linux })
    ).rejects.toThrow('helm-v3.18.0-linux-amd64.tar.gz answered HTTP 404')
  })

  it('skips a helm older than 3.13 and takes the next suitable one', async () => {
    const fakeDir = path.join(work, 'old-helm')
    await mkdir(fakeDir)
    await writeFile(path.join(fakeDir, 'helm'), '#!/bin/sh\necho v3.12.0\n')
    await chmod(path.join(fakeDir, 'helm'), 0o755)

    process.env.PATH = [fakeDir, path.dirname(REAL_HELM_3), pathWithoutHelm].join(path.delimiter)
    expect(await resolveHelm({ downloadBaseUrl: baseUrl, ...linux })).toMatchObject({
      path: REAL_HELM_3,
      source: 'path'
    })

    // With only the old one on PATH the pinned default is used, here from the tool cache.
    process.env.PATH = [fakeDir, pathWithoutHelm].join(path.delimiter)
    const stage = await mkdtemp(path.join(work, 'stage-'))
    await copyFile(REAL_HELM_4, path.join(stage, 'helm'))
    await tc.cacheDir(stage, 'helm', DEFAULT_HELM_VERSION, 'x64')
    const tool = await resolveHelm({ downloadBaseUrl: baseUrl, ...linux })
    expect(tool).toMatchObject({ version: DEFAULT_HELM_VERSION, major: 4, source: 'tool-cache' })
    expect(runVersion(tool.path)).toBe(`v${DEFAULT_HELM_VERSION}`)
    expect(requests).toEqual([])
  })
})
