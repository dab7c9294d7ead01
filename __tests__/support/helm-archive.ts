/**
 * helm release files as get.helm.sh publishes them, built here from the real helm binaries in
 * .cache/helm: the archive (`<os>-<arch>/helm` with the licence) and its `.sha256sum`. Mirrors in
 * the tests serve them to the action's download.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export type ArchiveKind = 'tar.gz' | 'zip'

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** The release's file name, e.g. `helm-v3.17.2-linux-amd64.tar.gz`. */
export const helmArchiveName = (version: string, platformDir: string) =>
  `helm-v${version}-${platformDir}.${platformDir.startsWith('windows') ? 'zip' : 'tar.gz'}`

/** The `.sha256sum` file published beside the archive; `digest` to publish a wrong one. */
export const sha256sumFile = (archive: Buffer, name: string, digest = sha256(archive)) =>
  `${digest}  ${name}\n`

/** Packs `binary` as helm's release archive for `platformDir`, staged under `workDir`. */
export async function packHelmArchive(
  binary: string,
  platformDir: string,
  kind: ArchiveKind,
  workDir: string
): Promise<Buffer> {
  const stage = await mkdtemp(path.join(workDir, 'stage-'))
  const binaryName = platformDir.startsWith('windows') ? 'helm.exe' : 'helm'
  await mkdir(path.join(stage, platformDir))
  await copyFile(binary, path.join(stage, platformDir, binaryName))
  await writeFile(path.join(stage, platformDir, 'LICENSE'), 'Apache License 2.0\n')
  if (kind === 'zip') {
    execFileSync('python3', ['-m', 'zipfile', '-c', 'archive.zip', platformDir], { cwd: stage })
    return readFile(path.join(stage, 'archive.zip'))
  }
  // Compressed fast: the binaries are large.
  execFileSync('tar', ['-cf', 'archive.tar', platformDir], { cwd: stage })
  execFileSync('gzip', ['-1', 'archive.tar'], { cwd: stage })
  return readFile(path.join(stage, 'archive.tar.gz'))
}
