/**
 * scripts/workflow-commands.mjs renders an action's stdout as a runner's log shows it. The input
 * lines are what @actions/core itself prints, so the escapes are the toolkit's, not guessed ones.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import {
  createLogFormatter,
  parseCommand,
  unescapeData,
  unescapeProperty
} from '../../scripts/workflow-commands.mjs'

/** What @actions/core prints for `act`, line by line, as the action's stdout would carry it. */
function printedBy(act: () => void): string {
  const printed: string[] = []
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
  try {
    act()
  } finally {
    write.mockRestore()
  }
  return printed.join('')
}

describe('parseCommand', () => {
  it('reads a command with properties escaped by @actions/core', () => {
    const line = printedBy(() =>
      core.error('50% done\r\nthen failed', {
        file: 'src/a,b:c.ts',
        startLine: 12,
        title: 'Bad: 100%'
      })
    ).trimEnd()
    // The toolkit's own escaping, so that the test reads what a real action prints.
    expect(line).toBe(
      '::error title=Bad%3A 100%25,file=src/a%2Cb%3Ac.ts,line=12::50%25 done%0D%0Athen failed'
    )
    expect(parseCommand(line)).toEqual({
      command: 'error',
      properties: { title: 'Bad: 100%', file: 'src/a,b:c.ts', line: '12' },
      data: '50% done\r\nthen failed'
    })
  })

  it('ignores leading spaces and drops malformed properties, as the runner does', () => {
    expect(parseCommand('   ::warning file=x,,=y,z=,line=3::m')).toEqual({
      command: 'warning',
      properties: { file: 'x', line: '3' },
      data: 'm'
    })
  })

  it('is undefined for lines that are no command', () => {
    expect(parseCommand('plain text')).toBeUndefined()
    expect(parseCommand('::no end')).toBeUndefined()
    expect(parseCommand('::::empty name')).toBeUndefined()
    expect(parseCommand('a ::debug::x')).toBeUndefined()
  })

  it('unescapes in one pass: an escaped % before 0A stays text', () => {
    expect(unescapeData('%250A %0A %0d %25')).toBe('%0A \n \r %')
    expect(unescapeProperty('%253A%3A%2C%25')).toBe('%3A:,%')
    // The message does not unescape what only properties escape.
    expect(unescapeData('a%3Ab%2Cc')).toBe('a%3Ab%2Cc')
  })
})

describe('createLogFormatter', () => {
  const saved = process.env.RUNNER_DEBUG
  beforeEach(() => {
    // core.debug prints its command whatever the setting; the runner decides what to show.
    delete process.env.RUNNER_DEBUG
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.RUNNER_DEBUG
    else process.env.RUNNER_DEBUG = saved
  })

  it('folds groups under a header and indents their lines until endgroup', () => {
    const text = printedBy(() => {
      core.info('before')
      core.startGroup('Security group')
      core.info('created sg-1')
      core.endGroup()
      core.info('after')
    })
    expect(createLogFormatter().formatText(text)).toEqual([
      'before',
      '▸ Security group',
      '  created sg-1',
      'after'
    ])
  })

  it('closes an open group when the next one starts, since the runner does not nest them', () => {
    const lines = createLogFormatter().formatText('::group::A\na\n::group::B\nb\n::endgroup::\nc\n')
    expect(lines).toEqual(['▸ A', '  a', '▸ B', '  b', 'c'])
  })

  it('hides debug lines unless step debug is on, then shows them as ##[debug]', () => {
    const text = printedBy(() => {
      core.debug('looked up 3 subnets')
      core.info('done')
    })
    expect(createLogFormatter().formatText(text)).toEqual(['done'])
    expect(createLogFormatter({ debug: true }).formatText(text)).toEqual([
      '##[debug]looked up 3 subnets',
      'done'
    ])
  })

  it('shows annotations as Error:, Warning: and Notice:, without their properties', () => {
    const text = printedBy(() => {
      core.error('no cluster', { file: 'deploy.yml', startLine: 1 })
      core.warning('latest tag\nis mutable')
      core.notice('plan only')
    })
    expect(createLogFormatter().formatText(text)).toEqual([
      'Error: no cluster',
      'Warning: latest tag',
      'is mutable',
      'Notice: plan only'
    ])
  })

  it('hides add-mask and masks the value in every later line, commands included', () => {
    const secret = 'key:with,odd%chars'
    const text = printedBy(() => {
      core.info(`before the mask: ${secret}`)
      core.setSecret(secret)
      core.info(`key is ${secret}`)
      core.startGroup(`Group ${secret}`)
      core.warning(`bad ${secret}`)
      core.endGroup()
      core.debug(`debug ${secret}`)
    })
    // The value travels escaped in the add-mask line; the mask is of the unescaped value.
    expect(text).toContain('::add-mask::key:with,odd%25chars')
    const formatter = createLogFormatter({ debug: true })
    const lines = formatter.formatText(text)
    expect(lines).toEqual([
      `before the mask: ${secret}`,
      'key is ***',
      '▸ Group ***',
      '  Warning: bad ***',
      '##[debug]debug ***'
    ])
    expect([...formatter.masks]).toEqual([secret])
  })

  it('masks the longer of two overlapping values whole', () => {
    const formatter = createLogFormatter()
    expect(formatter.formatText('::add-mask::abc\n::add-mask::abcdef\nabcdef abc\n')).toEqual([
      '*** ***'
    ])
  })

  it('passes unknown commands through, masked, and prints everything between stop-commands', () => {
    const lines = createLogFormatter().formatText(
      [
        '::add-mask::s3cret',
        '::set-output name=x::s3cret',
        '::stop-commands::tok123',
        '::group::not a group',
        '::tok123::',
        '::group::a group',
        ''
      ].join('\n')
    )
    expect(lines).toEqual(['::set-output name=x::***', '::group::not a group', '▸ a group'])
  })
})
