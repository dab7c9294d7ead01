/**
 * Edge cases of the value syntaxes action.yml documents and of Fargate's size table, below what
 * the readConfig tests reach through whole configurations.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { validateFargateSize } from '../../src/fargate-sizes.js'
import { parseBoolean, parseDuration, parseList, parseTags } from '../../src/input-parsers.js'

const HOUR = 3_600_000

function errorOf(action: () => unknown): InputError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('no error')
}

describe('parseBoolean', () => {
  it('accepts true and false in any case, with spaces around', () => {
    expect(parseBoolean('wait', 'TRUE')).toBe(true)
    expect(parseBoolean('wait', ' false ')).toBe(false)
  })

  it('refuses the YAML spellings that are not true/false', () => {
    for (const raw of ['yes', 'no', '1', '0', 'on', '']) {
      const error = errorOf(() => parseBoolean('wait', raw))
      expect(error.message).toBe(`Input 'wait': '${raw}' is not a boolean; use true or false.`)
    }
  })
})

describe('parseDuration', () => {
  it('reads seconds, minutes and hours, with or without a space or capital unit', () => {
    expect(parseDuration('t', '45', HOUR)).toBe(45_000)
    expect(parseDuration('t', '45S', HOUR)).toBe(45_000)
    expect(parseDuration('t', '5 m', HOUR)).toBe(300_000)
    expect(parseDuration('t', ' 1h ', HOUR)).toBe(HOUR)
  })

  it('refuses fractions, negatives, units it does not know and zero', () => {
    for (const raw of ['1.5m', '-5m', '5ms', '5 minutes', 'm', '', '0s', '0m']) {
      const error = errorOf(() => parseDuration('wait-timeout', raw, HOUR))
      expect(error.input).toBe('wait-timeout')
      expect(error.message).toContain(`'${raw}'`)
    }
  })

  it('allows exactly the maximum and refuses one second more', () => {
    expect(parseDuration('t', '60m', HOUR)).toBe(HOUR)
    expect(errorOf(() => parseDuration('t', '3601', HOUR)).message).toContain('60 minutes')
  })
})

describe('parseList', () => {
  it('splits on commas and newlines, trims, drops blanks and repeats', () => {
    expect(parseList(' a, b\n\nc ,a,\r\n d ')).toEqual(['a', 'b', 'c', 'd'])
    expect(parseList('')).toEqual([])
    expect(parseList(' ,\n , ')).toEqual([])
  })
})

describe('parseTags', () => {
  const parse = (raw: string) => parseTags('tags', raw, ['cloudaeye:agent'])

  it('keeps everything after the first = as the value, and allows an empty value', () => {
    expect(parse('url=a=b, empty=, spaced key = spaced value')).toEqual({
      url: 'a=b',
      empty: '',
      'spaced key': 'spaced value'
    })
  })

  it('accepts letters of any script and the punctuation AWS allows', () => {
    expect(parse('équipe=données, path=/a/b:c+d-e@f_g.h')).toEqual({
      équipe: 'données',
      path: '/a/b:c+d-e@f_g.h'
    })
  })

  it('refuses keys over 128 and values over 256 characters', () => {
    expect(parse(`${'k'.repeat(128)}=${'v'.repeat(256)}`)).toBeDefined()
    expect(errorOf(() => parse(`${'k'.repeat(129)}=v`)).message).toContain('too long')
    expect(errorOf(() => parse(`k=${'v'.repeat(257)}`)).message).toContain('too long')
  })

  it('refuses more than 40 tags, leaving room for the action’s own within AWS’s 50', () => {
    const tags = (count: number) => Array.from({ length: count }, (_, i) => `k${i}=v`).join(',')
    expect(Object.keys(parse(tags(40)))).toHaveLength(40)
    expect(errorOf(() => parse(tags(41))).message).toContain('at most 40')
  })

  it('refuses reserved keys only as whole keys', () => {
    expect(errorOf(() => parse('cloudaeye:agent=x')).message).toContain('set by the action')
    expect(parse('cloudaeye:agent-owner=x')).toEqual({ 'cloudaeye:agent-owner': 'x' })
  })

  it('refuses characters AWS does not accept, in keys and in values', () => {
    expect(errorOf(() => parse('team=a*b')).message).toContain("tag 'team'")
    expect(errorOf(() => parse('te#am=ab')).message).toContain("tag 'te#am'")
  })

  it('refuses values that start with aws:, which ECS reserves in values as in keys', () => {
    expect(errorOf(() => parse('team=aws:platform')).message).toContain("tag 'team'")
    expect(errorOf(() => parse('team=AWS:platform')).message).toContain('reserves')
    expect(parse('team=platform-aws:x')).toEqual({ team: 'platform-aws:x' })
  })

  it('refuses keys that differ only in case, which IAM takes for one key', () => {
    const twins = errorOf(() => parse('Team=a, team=b'))
    expect(twins.message).toContain("'Team'")
    expect(twins.message).toContain("'team'")
    expect(twins.message).toContain('case')
    expect(errorOf(() => parse('Cloudaeye:Agent=x')).message).toContain('set by the action')
    // The same key given twice is one tag, the last value winning.
    expect(parse('team=a, team=b')).toEqual({ team: 'b' })
  })
})

describe('validateFargateSize', () => {
  it('accepts the corners of every CPU size', () => {
    const corners: Array<[string, string, number]> = [
      ['256', '512', 512],
      ['256', '2048', 2048],
      ['512', '1024', 1024],
      ['512', '4096', 4096],
      ['1024', '2048', 2048],
      ['1024', '8GB', 8192],
      ['2048', '4096', 4096],
      ['2048', '16384', 16384],
      ['4096', '8192', 8192],
      ['4096', '30GB', 30720],
      ['8192', '16384', 16384],
      ['8192', '61440', 61440],
      ['16384', '32768', 32768],
      ['16384', '120GB', 122880]
    ]
    for (const [cpu, memory, mib] of corners) {
      expect(validateFargateSize(cpu, memory)).toEqual({ cpu: Number(cpu), memory: mib })
    }
  })

  it('reads GB with a fraction, a space or lower case', () => {
    expect(validateFargateSize('256', '0.5GB').memory).toBe(512)
    expect(validateFargateSize('256', '1 gb').memory).toBe(1024)
  })

  it('refuses memory between the steps of 8 and 16 vCPU', () => {
    // 8 vCPU steps by 4 GB and 16 vCPU by 8 GB, unlike the smaller sizes.
    expect(errorOf(() => validateFargateSize('8192', '17408')).input).toBe('memory')
    expect(validateFargateSize('8192', '20480').memory).toBe(20480)
    expect(errorOf(() => validateFargateSize('16384', '36864')).input).toBe('memory')
    expect(validateFargateSize('16384', '40960').memory).toBe(40960)
  })

  it('refuses memory just outside a range and says which range fits', () => {
    const below = errorOf(() => validateFargateSize('1024', '1024'))
    expect(below.message).toContain("'1024' does not fit cpu 1024")
    expect(below.message).toContain('2048-8192 in steps of 1024')
    expect(errorOf(() => validateFargateSize('4096', '31GB')).input).toBe('memory')
    expect(errorOf(() => validateFargateSize('256', '1.5GB')).input).toBe('memory')
  })

  it('refuses CPU values that are not sizes, listing the sizes', () => {
    for (const cpu of ['128', '1 vCPU', '256.5', '']) {
      const error = errorOf(() => validateFargateSize(cpu, '512'))
      expect(error.input).toBe('cpu')
      expect(error.message).toContain('256, 512, 1024, 2048, 4096, 8192, 16384')
    }
  })

  it('refuses memory that is not a number of MiB or GB', () => {
    for (const memory of ['', 'lots', '512MB', '1GiB', '-512']) {
      expect(errorOf(() => validateFargateSize('256', memory)).input).toBe('memory')
    }
  })
})
