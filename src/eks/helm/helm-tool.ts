/**
 * Finds a helm the action can drive (3.13+ or 4.x), or installs one through the runner's tool cache,
 * so the EKS path needs nothing preinstalled. Order: PATH, tool cache, verified download.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { access, chmod, constants, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import * as core from '@actions/core'
import * as tc from '@actions/tool-cache'
import { ActionError, InputError } from '../../errors.js'
import { PINNED_HELM_ARCHIVE_DIGESTS, PINNED_HELM_VERSION } from './helm-digests.js'

export interface HelmTool {
  path: string
  /** Without the leading `v`, e.g. `4.1.4`. */
  version: string
  major: 3 | 4
  source: 'path' | 'tool-cache' | 'download'
}

export interface ResolveHelmOptions {
  /** Empty: any helm 3.13+ or 4.x on PATH, else DEFAULT_HELM_VERSION. `3.17.2` or `v3.17.2`: that one. */
  version?: string
  downloadBaseUrl: string
  platform?: NodeJS.Platform
  /** Node's names: `x64`, `arm64`. */
  arch?: string
}

export const DEFAULT_HELM_VERSION: string = PINNED_HELM_VERSION

/** Older helm 3 releases lack flags the install step relies on. */
const MIN_HELM3_MINOR = 13
const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/
const VERSION_PROBE_TIMEOUT_MS = 20_000

interface HelmVersion {
  text: string
  major: number
  minor: number
}

interface DownloadTarget {
  os: 'linux' | 'darwin' | 'windows'
  arch: 'amd64' | 'arm64'
  /** The tool cache keys entries by Node's architecture names. */
  nodeArch: string
  binaryName: string
  archiveExtension: 'tar.gz' | 'zip'
}

export async function resolveHelm(options: ResolveHelmOptions): Promise<HelmTool> {
  const target = downloadTarget(options.platform ?? process.platform, options.arch ?? process.arch)
  const requested = options.version?.trim() ? parseRequestedVersion(options.version) : undefined

  const wanted = requested ? `helm ${requested.text}` : `helm 3.${MIN_HELM3_MINOR}+ or 4.x`
  const onPath = await findOnPath(target.binaryName, wanted, found =>
    requested ? found.text === requested.text : isSupported(found)
  )
  if (onPath) return announce({ ...onPath, source: 'path' })

  const version = requested ?? (parseVersion(DEFAULT_HELM_VERSION) as HelmVersion)
  if (!requested) {
    core.info(`No ${wanted} on PATH; using helm ${version.text}.`)
  }
  if (!process.env.RUNNER_TOOL_CACHE || !process.env.RUNNER_TEMP) {
    throw new ActionError(
      `Cannot install helm ${version.text}: RUNNER_TOOL_CACHE and RUNNER_TEMP are not set (they are on ` +
        `GitHub runners). Put ${wanted} on PATH instead.`
    )
  }

  const cachedDir = tc.find('helm', version.text, target.nodeArch)
  const cachedBinary = cachedDir && path.join(cachedDir, target.binaryName)
  if (cachedBinary && (await isFile(cachedBinary))) {
    return announce({ path: cachedBinary, version, source: 'tool-cache' })
  }

  const downloaded = await downloadAndCache(version.text, target, options.downloadBaseUrl)
  return announce({ path: downloaded, version, source: 'download' })
}

function announce(found: {
  path: string
  version: HelmVersion
  source: HelmTool['source']
}): HelmTool {
  const origin = { path: 'PATH', 'tool-cache': 'the tool cache', download: 'a verified download' }
  core.info(`Using helm ${found.version.text} from ${origin[found.source]}: ${found.path}`)
  return {
    path: found.path,
    version: found.version.text,
    major: found.version.major as 3 | 4,
    source: found.source
  }
}

function parseVersion(raw: string): HelmVersion | undefined {
  const match = VERSION_PATTERN.exec(raw.trim())
  if (!match) return undefined
  return { text: raw.trim().replace(/^v/, ''), major: Number(match[1]), minor: Number(match[2]) }
}

function isSupported(version: HelmVersion): boolean {
  return version.major === 4 || (version.major === 3 && version.minor >= MIN_HELM3_MINOR)
}

function parseRequestedVersion(raw: string): HelmVersion {
  const version = parseVersion(raw)
  if (!version) {
    throw new InputError(
      'helm-version',
      `'${raw}' is not a helm version; write e.g. 3.17.2 or v4.1.4.`
    )
  }
  if (!isSupported(version)) {
    throw new InputError(
      'helm-version',
      `helm ${version.text} is not supported; use 3.${MIN_HELM3_MINOR} or later, or 4.x.`
    )
  }
  return version
}

function downloadTarget(platform: string, arch: string): DownloadTarget {
  const osNames: Record<string, DownloadTarget['os']> = {
    linux: 'linux',
    darwin: 'darwin',
    win32: 'windows'
  }
  const archNames: Record<string, DownloadTarget['arch']> = { x64: 'amd64', arm64: 'arm64' }
  const os = osNames[platform]
  const helmArch = archNames[arch]
  if (!os || !helmArch) {
    throw new ActionError(
      `No helm build for ${platform}/${arch}: the action installs helm on Linux, macOS and Windows ` +
        `runners with x64 or arm64 processors. Put helm 3.${MIN_HELM3_MINOR}+ or 4.x on PATH instead.`
    )
  }
  return {
    os,
    arch: helmArch,
    nodeArch: arch,
    binaryName: os === 'windows' ? 'helm.exe' : 'helm',
    archiveExtension: os === 'windows' ? 'zip' : 'tar.gz'
  }
}

/** Every helm on PATH in order, the first one `accept` takes; others are logged as skipped. */
async function findOnPath(
  binaryName: string,
  wanted: string,
  accept: (version: HelmVersion) => boolean
): Promise<{ path: string; version: HelmVersion } | undefined> {
  const seen = new Set<string>()
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.resolve(dir, binaryName)
    if (seen.has(candidate) || !(await isExecutableFile(candidate))) continue
    seen.add(candidate)
    const version = await probeVersion(candidate)
    if (version && accept(version)) return { path: candidate, version }
    const found = version ? `helm ${version.text}` : 'no helm version could be read'
    core.info(`Skipping ${candidate}: ${found}, not ${wanted}.`)
  }
  return undefined
}

function probeVersion(binary: string): Promise<HelmVersion | undefined> {
  return new Promise(resolve => {
    execFile(
      binary,
      ['version', '--template', '{{.Version}}'],
      { timeout: VERSION_PROBE_TIMEOUT_MS, windowsHide: true },
      (error, stdout) => {
        if (error) core.debug(`${binary} version failed: ${error.message}`)
        resolve(error ? undefined : parseVersion(String(stdout)))
      }
    )
  })
}

async function downloadAndCache(
  version: string,
  target: DownloadTarget,
  baseUrl: string
): Promise<string> {
  const platformDir = `${target.os}-${target.arch}`
  const url = `${baseUrl.replace(/\/+$/, '')}/helm-v${version}-${platformDir}.${target.archiveExtension}`
  core.info(`Downloading helm ${version} from ${url}`)
  const archive = await download(url)
  let extracted: string | undefined
  try {
    const published = await publishedDigest(`${url}.sha256sum`)
    const actual = await sha256Of(archive)
    if (actual !== published) {
      throw new ActionError(
        `Checksum mismatch for ${url}: ${url}.sha256sum publishes ${published}, the downloaded ` +
          `archive has ${actual}. Nothing was installed.`
      )
    }
    if (version === DEFAULT_HELM_VERSION) {
      const pinned = PINNED_HELM_ARCHIVE_DIGESTS[platformDir]
      if (actual !== pinned) {
        throw new ActionError(
          `Checksum mismatch for ${url}: the action pins helm ${version} (${platformDir}) to ` +
            `${pinned}, the downloaded archive has ${actual}. Nothing was installed; check ` +
            `helm-download-base-url.`
        )
      }
    }
    core.debug(`SHA-256 of ${url} verified: ${actual}`)

    extracted =
      target.archiveExtension === 'zip'
        ? await tc.extractZip(archive)
        : await tc.extractTar(archive)
    const binaryDir = path.join(extracted, platformDir)
    if (!(await isFile(path.join(binaryDir, target.binaryName)))) {
      throw new ActionError(
        `${url} has no ${platformDir}/${target.binaryName}; is it a helm archive?`
      )
    }
    const cachedDir = await tc.cacheDir(binaryDir, 'helm', version, target.nodeArch)
    const cachedBinary = path.join(cachedDir, target.binaryName)
    await chmod(cachedBinary, 0o755)
    return cachedBinary
  } finally {
    await rm(archive, { force: true })
    if (extracted) await rm(extracted, { recursive: true, force: true })
  }
}

/** tool-cache retries 5xx, 408 and 429 itself; what reaches here is final. */
async function download(url: string): Promise<string> {
  try {
    return await tc.downloadTool(url)
  } catch (error) {
    const status = (error as { httpStatusCode?: number }).httpStatusCode
    if (status === 404) {
      throw new ActionError(
        `Downloading helm failed: ${url} answered HTTP 404 Not Found. The version (helm-version) or ` +
          `the mirror (helm-download-base-url) may be wrong.`
      )
    }
    if (status) {
      const retried = status >= 500 || status === 408 || status === 429 ? ' after retries' : ''
      throw new ActionError(`Downloading helm failed: ${url} answered HTTP ${status}${retried}.`)
    }
    throw new ActionError(`Downloading helm failed: ${url}: ${(error as Error).message}`)
  }
}

/** A `.sha256sum` file holds `<hex digest>  <file name>`. */
async function publishedDigest(url: string): Promise<string> {
  const file = await download(url)
  try {
    const match = /^([0-9a-f]{64})\b/i.exec((await readFile(file, 'utf8')).trim())
    if (!match) throw new ActionError(`${url} does not start with a SHA-256 digest.`)
    return match[1].toLowerCase()
  } finally {
    await rm(file, { force: true })
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    info => info.isFile(),
    () => false
  )
}

async function isExecutableFile(file: string): Promise<boolean> {
  if (!(await isFile(file))) return false
  if (process.platform === 'win32') return true
  return access(file, constants.X_OK).then(
    () => true,
    () => false
  )
}
