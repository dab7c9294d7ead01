#!/usr/bin/env node
/**
 * Releases version X.Y.Z of the action (RELEASING.md): checks that the working tree is clean, that
 * the committed dist/ is what the source builds (scripts/check-dist.sh), and that CHANGELOG.md has a
 * `## [X.Y.Z]` section; then tags HEAD `vX.Y.Z` (annotated) and moves the major tag `vX` to it, so
 * that `uses: cloudaeye/metrics-agent-action@vX` runs this release. With `--push` both tags go to the
 * remote (the major tag forced). The section's text, the release notes, is printed on stdout and,
 * with `--notes-file`, written to that file. Progress goes to stderr.
 *
 *   node scripts/release.mjs X.Y.Z [--push] [--remote origin] [--notes-file FILE]
 *                                  [--changelog CHANGELOG.md] [--build CMD | --no-build]
 *                                  [--dist-check CMD]
 *
 * Commands run in the repository's top level (the current directory's). `--build` defaults to
 * `npm run package`, `--dist-check` to `bash scripts/check-dist.sh`. A `vX.Y.Z` tag that already
 * names HEAD (a release made in GitHub's UI, the release workflow) is kept; one naming another
 * commit is refused. No dependencies beyond Node and git.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const usage =
  'usage: node scripts/release.mjs X.Y.Z [--push] [--remote NAME] [--notes-file FILE] ' +
  '[--changelog FILE] [--build CMD | --no-build] [--dist-check CMD]'

class ReleaseError extends Error {}

/** Parses argv into the release's options; throws ReleaseError on anything it does not know. */
export function parseArguments(argv) {
  const options = {
    version: undefined,
    push: false,
    remote: 'origin',
    notesFile: undefined,
    changelog: 'CHANGELOG.md',
    build: 'npm run package',
    distCheck: 'bash scripts/check-dist.sh'
  }
  const valued = {
    '--remote': 'remote',
    '--notes-file': 'notesFile',
    '--changelog': 'changelog',
    '--build': 'build',
    '--dist-check': 'distCheck'
  }
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]
    const [flag, inline] = argument.startsWith('--') ? argument.split(/=(.*)/s) : [argument]
    if (flag === '--push') options.push = true
    else if (flag === '--no-build') options.build = undefined
    else if (flag === '--help' || flag === '-h') throw new ReleaseError(usage)
    else if (flag in valued) {
      const value = inline ?? argv[++index]
      if (value === undefined || value === '') throw new ReleaseError(`${flag} needs a value`)
      options[valued[flag]] = value
    } else if (flag.startsWith('-')) throw new ReleaseError(`unknown option ${flag}\n${usage}`)
    else if (options.version === undefined) options.version = argument
    else throw new ReleaseError(`one version only, got '${options.version}' and '${argument}'`)
  }
  if (options.version === undefined) throw new ReleaseError(usage)
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(options.version)
  if (!match)
    throw new ReleaseError(`version '${options.version}' is not X.Y.Z (e.g. 1.0.0, no pre-release)`)
  options.version = `${match[1]}.${match[2]}.${match[3]}`
  options.major = match[1]
  return options
}

/** The text of the CHANGELOG's `## [version]` section, without its heading and link definitions. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split(/\r?\n/)
  const escaped = version.replace(/\./g, '\\.')
  const heading = new RegExp(`^##\\s+\\[${escaped}\\](?=\\s|$)`)
  const start = lines.findIndex(line => heading.test(line))
  if (start === -1) return undefined
  let end = lines.findIndex((line, index) => index > start && /^##?\s/.test(line))
  if (end === -1) end = lines.length
  const body = lines.slice(start + 1, end)
  // Link reference definitions (`[1.0.0]: https://...`) close a Keep a Changelog file.
  while (body.length > 0 && /^\s*(\[[^\]]+\]:\s+\S+.*)?$/.test(body[body.length - 1])) body.pop()
  while (body.length > 0 && body[0].trim() === '') body.shift()
  return body.join('\n')
}

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** The commit a ref names, or undefined when it does not exist. */
function commitOf(cwd, ref) {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    encoding: 'utf8'
  })
  return result.status === 0 ? result.stdout.trim() : undefined
}

/** Runs a shell command in the repository, its output on stderr; false when it failed. */
function run(cwd, command) {
  const result = spawnSync(command, { cwd, shell: true, stdio: ['ignore', 2, 2] })
  return result.status === 0
}

function log(message) {
  process.stderr.write(`${message}\n`)
}

export function release(options, cwd = process.cwd()) {
  const { version, major } = options
  const tag = `v${version}`
  const majorTag = `v${major}`
  let root
  try {
    root = git(cwd, 'rev-parse', '--show-toplevel').trim()
  } catch {
    throw new ReleaseError(`${cwd} is not in a git repository`)
  }

  const dirty = git(root, 'status', '--porcelain', '--untracked-files=all').trimEnd()
  if (dirty)
    throw new ReleaseError(
      `Refusing to release ${tag}: the working tree is not clean. Commit or stash first:\n${dirty}`
    )

  const changelogPath = path.resolve(root, options.changelog)
  if (!existsSync(changelogPath))
    throw new ReleaseError(`Refusing to release ${tag}: ${options.changelog} does not exist.`)
  const notes = releaseNotes(readFileSync(changelogPath, 'utf8'), version)
  if (notes === undefined)
    throw new ReleaseError(
      `Refusing to release ${tag}: ${options.changelog} has no '## [${version}]' section. ` +
        'Add one (move the Unreleased entries under it) and commit.'
    )
  if (notes.trim() === '')
    throw new ReleaseError(
      `Refusing to release ${tag}: the '## [${version}]' section of ${options.changelog} is empty.`
    )

  const packageJson = path.join(root, 'package.json')
  if (existsSync(packageJson)) {
    const declared = JSON.parse(readFileSync(packageJson, 'utf8')).version
    if (declared !== undefined && declared !== version)
      throw new ReleaseError(
        `Refusing to release ${tag}: package.json says version ${declared}. Bump it and commit.`
      )
  }

  const head = git(root, 'rev-parse', 'HEAD').trim()
  const tagged = commitOf(root, `refs/tags/${tag}`)
  if (tagged !== undefined && tagged !== head)
    throw new ReleaseError(
      `Refusing to release ${tag}: the tag already exists on ${tagged.slice(0, 12)}, ` +
        `not on HEAD ${head.slice(0, 12)}. A released version is never moved; release a new one.`
    )

  if (options.build) {
    log(`Building: ${options.build}`)
    if (!run(root, options.build))
      throw new ReleaseError(`Refusing to release ${tag}: the build '${options.build}' failed.`)
  }
  log(`Checking dist/: ${options.distCheck}`)
  if (!run(root, options.distCheck))
    throw new ReleaseError(
      `Refusing to release ${tag}: dist/ is not current ('${options.distCheck}' failed). ` +
        "Run 'npm run package', commit dist/, and release again."
    )

  if (tagged === undefined) {
    git(root, 'tag', '--annotate', '--message', `Release ${tag}`, tag, head)
    log(`Tagged ${head.slice(0, 12)} ${tag}`)
  } else log(`${tag} already names HEAD ${head.slice(0, 12)}; kept`)
  const previous = commitOf(root, `refs/tags/${majorTag}`)
  git(root, 'tag', '--force', '--annotate', '--message', `${majorTag} is ${tag}`, majorTag, head)
  log(
    previous === undefined
      ? `Created ${majorTag} at ${tag}`
      : previous === head
        ? `${majorTag} already at ${tag}`
        : `Moved ${majorTag} from ${previous.slice(0, 12)} to ${tag}`
  )

  if (options.push) {
    log(`Pushing ${tag} and ${majorTag} to ${options.remote}`)
    try {
      execFileSync(
        'git',
        [
          'push',
          '--atomic',
          options.remote,
          `refs/tags/${tag}:refs/tags/${tag}`,
          `+refs/tags/${majorTag}:refs/tags/${majorTag}`
        ],
        { cwd: root, stdio: ['ignore', 2, 2] }
      )
    } catch {
      throw new ReleaseError(
        `Pushing the tags to '${options.remote}' failed (see above). The local tags are made; ` +
          'fix the remote and run the script again with --push.'
      )
    }
  }

  if (options.notesFile) {
    writeFileSync(path.resolve(cwd, options.notesFile), `${notes}\n`)
    log(`Release notes written to ${options.notesFile}`)
  }
  process.stdout.write(`${notes}\n`)
  return { tag, majorTag, head, notes }
}

const invoked =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invoked) {
  try {
    release(parseArguments(process.argv.slice(2)))
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error
    log(error.message)
    process.exitCode = 1
  }
}
