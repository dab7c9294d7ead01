/**
 * scripts/release.mjs against scratch repositories: a clone-like working repository with the real
 * scripts/check-dist.sh and a stand-in build, and a bare repository as its remote. Every assertion
 * reads git's own state (tag objects, the commits they name, the remote's refs).
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const releaseScript = path.join(projectRoot, 'scripts/release.mjs')
const scratch = mkdtempSync(path.join(os.tmpdir(), 'release-script-'))

// Git without the machine's global or system configuration (hooks, signing, default branch).
const gitEnvironment = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release-test@example.com',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release-test@example.com'
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, env: gitEnvironment, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

/** The commit a ref names in a repository, or undefined when it does not exist. */
function commitOf(cwd: string, ref: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    env: gitEnvironment,
    encoding: 'utf8'
  })
  return result.status === 0 ? result.stdout.trim() : undefined
}

function release(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [releaseScript, ...args], {
    cwd,
    env: gitEnvironment,
    encoding: 'utf8'
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const changelog = (...versions: string[]) =>
  [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    ...versions.flatMap(version => [
      `## [${version}] - 2025-01-01`,
      '',
      '### Added',
      '',
      `- Feature of ${version}.`,
      ''
    ]),
    ...versions.map(
      version => `[${version}]: https://github.com/example/action/releases/tag/v${version}`
    ),
    ''
  ].join('\n')

// The stand-in for `npm run package`: dist/index.js is a function of src/index.txt.
const build = `node -e "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/index.js','// built from '+require('fs').readFileSync('src/index.txt','utf8'))"`

let work: string
let remote: string
let count = 0

/** Commits a file change in the scratch repository and returns the new HEAD. */
function commit(files: Record<string, string>, message: string): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, name)), { recursive: true })
    writeFileSync(path.join(work, name), content)
  }
  git(work, 'add', '--all')
  git(work, 'commit', '--quiet', '--message', message)
  return git(work, 'rev-parse', 'HEAD')
}

beforeEach(() => {
  count++
  work = path.join(scratch, `work-${count}`)
  remote = path.join(scratch, `remote-${count}.git`)
  mkdirSync(work)
  git(scratch, 'init', '--quiet', '--bare', remote)
  git(work, 'init', '--quiet', '--initial-branch=main')
  git(work, 'remote', 'add', 'origin', remote)
  mkdirSync(path.join(work, 'scripts'))
  // The real check, and the real attributes (dist/ `-diff`) it must work under.
  copyFileSync(
    path.join(projectRoot, 'scripts/check-dist.sh'),
    path.join(work, 'scripts/check-dist.sh')
  )
  copyFileSync(path.join(projectRoot, '.gitattributes'), path.join(work, '.gitattributes'))
  commit(
    {
      'CHANGELOG.md': changelog('1.0.0'),
      'src/index.txt': 'one',
      'dist/index.js': '// built from one'
    },
    'first'
  )
  git(work, 'push', '--quiet', 'origin', 'main')
})

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('scripts/release.mjs', () => {
  it('tags HEAD vX.Y.Z (annotated), points vX at it and prints the changelog section', () => {
    const head = git(work, 'rev-parse', 'HEAD')
    const notesFile = path.join(scratch, `notes-${count}.md`)
    const result = release(work, '1.0.0', '--build', build, '--notes-file', notesFile)

    expect(result.stderr).toContain('Created v1 at v1.0.0')
    expect(result.status).toBe(0)
    expect(commitOf(work, 'refs/tags/v1.0.0')).toBe(head)
    expect(commitOf(work, 'refs/tags/v1')).toBe(head)
    expect(git(work, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag')
    expect(git(work, 'for-each-ref', '--format=%(contents:subject)', 'refs/tags/v1.0.0')).toBe(
      'Release v1.0.0'
    )
    const notes = '### Added\n\n- Feature of 1.0.0.\n'
    expect(result.stdout).toBe(notes)
    expect(readFileSync(notesFile, 'utf8')).toBe(notes)
    // Nothing pushed without --push.
    expect(commitOf(remote, 'refs/tags/v1')).toBeUndefined()
  })

  it('moves vX to the next release and keeps the earlier release tag where it was', () => {
    const first = git(work, 'rev-parse', 'HEAD')
    expect(release(work, '1.0.0', '--build', build).status).toBe(0)
    const second = commit(
      {
        'CHANGELOG.md': changelog('1.1.0', '1.0.0'),
        'src/index.txt': 'two',
        'dist/index.js': '// built from two'
      },
      'second'
    )

    const result = release(work, 'v1.1.0', '--build', build)

    expect(result.status).toBe(0)
    expect(result.stderr).toContain(`Moved v1 from ${first.slice(0, 12)} to v1.1.0`)
    expect(result.stdout).toBe('### Added\n\n- Feature of 1.1.0.\n')
    expect(commitOf(work, 'refs/tags/v1')).toBe(second)
    expect(commitOf(work, 'refs/tags/v1.1.0')).toBe(second)
    expect(commitOf(work, 'refs/tags/v1.0.0')).toBe(first)
  })

  it('with --push, pushes the release tag and force-moves the remote major tag', () => {
    const first = git(work, 'rev-parse', 'HEAD')
    expect(release(work, '1.0.0', '--build', build, '--push').status).toBe(0)
    expect(commitOf(remote, 'refs/tags/v1.0.0')).toBe(first)
    expect(commitOf(remote, 'refs/tags/v1')).toBe(first)

    const second = commit(
      { 'CHANGELOG.md': changelog('1.0.1', '1.0.0'), 'README.md': 'docs' },
      'second'
    )
    git(work, 'push', '--quiet', 'origin', 'main')
    const result = release(work, '1.0.1', '--build', build, '--push')

    expect(result.status).toBe(0)
    expect(commitOf(remote, 'refs/tags/v1')).toBe(second)
    expect(commitOf(remote, 'refs/tags/v1.0.1')).toBe(second)
    expect(commitOf(remote, 'refs/tags/v1.0.0')).toBe(first)
  })

  it('keeps a vX.Y.Z tag that already names HEAD (a release made in GitHub) and moves vX', () => {
    const head = git(work, 'rev-parse', 'HEAD')
    git(work, 'tag', 'v1.0.0')
    const result = release(work, '1.0.0', '--no-build', '--push')
    expect(result.status).toBe(0)
    expect(result.stderr).toContain('v1.0.0 already names HEAD')
    expect(git(work, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('commit')
    expect(commitOf(remote, 'refs/tags/v1')).toBe(head)
  })

  it('refuses a dirty working tree, tracked or untracked, and tags nothing', () => {
    writeFileSync(path.join(work, 'src/index.txt'), 'edited')
    let result = release(work, '1.0.0', '--build', build)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Refusing to release v1.0.0: the working tree is not clean')
    expect(result.stderr).toContain('src/index.txt')

    git(work, 'checkout', '--', 'src/index.txt')
    writeFileSync(path.join(work, 'stray.txt'), 'new')
    result = release(work, '1.0.0', '--build', build)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('stray.txt')
    expect(git(work, 'tag', '--list')).toBe('')
  })

  it('refuses when dist/ is not what the source builds, through scripts/check-dist.sh', () => {
    commit({ 'src/index.txt': 'changed without a rebuild' }, 'src only')
    const result = release(work, '1.0.0', '--build', build)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('dist/ does not match the source') // check-dist.sh's own line
    expect(result.stderr).toMatch(/dist\/index\.js \| +2 \+-/) // line counts despite `-diff`
    expect(result.stderr).toContain('Refusing to release v1.0.0: dist/ is not current')
    expect(git(work, 'tag', '--list')).toBe('')
  })

  it('refuses a version without its CHANGELOG section, and a tag already on another commit', () => {
    let result = release(work, '1.2.0', '--build', build)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain("CHANGELOG.md has no '## [1.2.0]' section")

    expect(release(work, '1.0.0', '--build', build).status).toBe(0)
    commit({ 'README.md': 'later' }, 'later')
    result = release(work, '1.0.0', '--build', build)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('the tag already exists on')
    expect(git(work, 'tag', '--list')).toBe('v1\nv1.0.0')
  })

  it('refuses what is not X.Y.Z, and a package.json of another version', () => {
    const result = release(work, '1.0', '--build', build)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain("version '1.0' is not X.Y.Z")

    commit({ 'package.json': JSON.stringify({ name: 'x', version: '0.9.0' }) }, 'package')
    const mismatch = release(work, '1.0.0', '--build', build)
    expect(mismatch.status).toBe(1)
    expect(mismatch.stderr).toContain('package.json says version 0.9.0')
    expect(git(work, 'tag', '--list')).toBe('')
  })
})
