/**
 * The rules behind two ECS request limits, as pure functions over any subnets in any order
 * (EC2 listing them in another order is one thing the emulator never does): how the action picks
 * the 16 subnets RunTask takes from a larger VPC, and how it keeps StopTask's reason within 255
 * characters. What the action sends within these limits is tested against the emulator in
 * __tests__/integration/ecs-aws-limits.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import type { Subnet } from '@aws-sdk/client-ec2'
import { replacedBy } from '../../src/ecs/resources/agent-task.js'
import { chooseSubnets } from '../../src/ecs/resources/network.js'
import type { AssignPublicIp } from '../../src/inputs.js'

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
const VPC = 'vpc-0a1b2c3d4e5f60718'

/** A subnet of the VPC; its ID carries the zone and a number, so lists read easily. */
function subnet(zone: string, n: number, extra: Partial<Subnet> = {}): Subnet {
  const id = `subnet-0${zone.slice(-1).charCodeAt(0).toString(16)}${String(n).padStart(14, '0')}`
  return {
    SubnetId: id,
    VpcId: VPC,
    AvailabilityZone: zone,
    CidrBlock: `10.${zone.charCodeAt(zone.length - 1)}.${n}.0/24`,
    State: 'available',
    MapPublicIpOnLaunch: false,
    ...extra
  }
}

/** `count` subnets in each of the zones, numbered from `from`. */
function subnetsIn(zones: string[], count: number, extra: Partial<Subnet> = {}, from = 0) {
  return zones.flatMap(zone =>
    Array.from({ length: count }, (_, i) => subnet(zone, from + i, extra))
  )
}

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c']
const ids = (subnets: Subnet[]) => subnets.map(s => s.SubnetId)
const zoneCounts = (subnets: Subnet[]) =>
  subnets.reduce<Record<string, number>>((counts, s) => {
    counts[s.AvailabilityZone!] = (counts[s.AvailabilityZone!] ?? 0) + 1
    return counts
  }, {})
const choose = (subnets: Subnet[], assignPublicIp: AssignPublicIp = 'auto') =>
  chooseSubnets(subnets, REGION, assignPublicIp)

describe('chooseSubnets: at most the 16 subnets RunTask takes', () => {
  it('hands over every subnet, whatever it is, when there are 16 or fewer', () => {
    const sixteen = [
      ...subnetsIn(ZONES, 4),
      ...subnetsIn(['us-east-1a'], 3, { MapPublicIpOnLaunch: true }, 50),
      subnet('us-east-1-bos-1a', 1)
    ]
    expect(sixteen).toHaveLength(16)
    expect(choose(sixteen)).toEqual(sixteen)
  })

  it('takes 16 private subnets spread evenly over the zones for auto and false', () => {
    const vpc = [...subnetsIn(ZONES, 8), ...subnetsIn(ZONES, 4, { MapPublicIpOnLaunch: true }, 50)]
    for (const setting of ['auto', 'disabled'] as const) {
      const chosen = choose(vpc, setting)
      expect(chosen).toHaveLength(16)
      expect(chosen.every(s => s.MapPublicIpOnLaunch === false)).toBe(true)
      expect(zoneCounts(chosen)).toEqual({ 'us-east-1a': 6, 'us-east-1b': 5, 'us-east-1c': 5 })
    }
  })

  it('takes the subnets that map public IPs for assign-public-ip true', () => {
    const vpc = [...subnetsIn(ZONES, 8), ...subnetsIn(ZONES, 4, { MapPublicIpOnLaunch: true }, 50)]
    const chosen = choose(vpc, 'enabled')
    expect(chosen).toHaveLength(12)
    expect(chosen.every(s => s.MapPublicIpOnLaunch === true)).toBe(true)
  })

  it('chooses the same subnets whatever order EC2 lists them in', () => {
    const vpc = [...subnetsIn(ZONES, 9), ...subnetsIn(['us-east-1d'], 2)]
    const first = ids(choose(vpc))
    const reordered = [...vpc.slice(13), ...vpc.slice(0, 13).reverse()]
    expect(ids(choose(reordered))).toEqual(first)
    // Each zone gives its turn in the same order: by size, then ID.
    expect(first.slice(0, 4)).toEqual(ids([vpc[0], vpc[9], vpc[18], vpc[27]]))
  })

  it('takes the largest ranges of a zone first, then the lowest ID', () => {
    const small = subnetsIn(['us-east-1a'], 14)
    const large = [
      subnet('us-east-1a', 90, { CidrBlock: '10.1.0.0/20' }),
      subnet('us-east-1a', 91, { CidrBlock: '10.2.0.0/20' }),
      subnet('us-east-1a', 92, { CidrBlock: '10.3.0.0/22' })
    ]
    const ipv6Only = subnet('us-east-1a', 93, { CidrBlock: undefined })
    const chosen = ids(choose([ipv6Only, ...small, ...[...large].reverse()]))
    expect(chosen.slice(0, 3)).toEqual(ids(large))
    expect(chosen.slice(3)).toEqual(ids(small.slice(0, 13)))
    expect(chosen).not.toContain(ipv6Only.SubnetId)
  })

  it('leaves out subnets Fargate cannot start in: other zones, Outposts, unavailable', () => {
    const regional = subnetsIn(ZONES, 5)
    const unusable = [
      subnet('us-east-1-bos-1a', 1, { CidrBlock: '10.9.0.0/16' }),
      subnet('us-east-1-wl1-bos-wlz-1', 2, { CidrBlock: '10.9.0.0/16' }),
      subnet('us-east-1a', 70, { OutpostArn: 'arn:aws:outposts:us-east-1:1:outpost/op-1' }),
      subnet('us-east-1b', 71, { State: 'pending' })
    ]
    const chosen = choose([...unusable, ...regional])
    expect(ids(chosen).sort()).toEqual(ids(regional).sort())
  })

  it('falls back to the other subnets when none suits, rather than to none', () => {
    const allPublic = subnetsIn(ZONES, 7, { MapPublicIpOnLaunch: true })
    const chosen = choose(allPublic, 'disabled')
    expect(chosen).toHaveLength(16)
    expect(zoneCounts(chosen)).toEqual({ 'us-east-1a': 6, 'us-east-1b': 5, 'us-east-1c': 5 })
    const localOnly = subnetsIn(['us-east-1-bos-1a', 'us-east-1-mia-1a'], 10)
    expect(choose(localOnly)).toHaveLength(16)
  })
})

describe('replacedBy: a StopTask reason of at most 255 characters', () => {
  const taskId = (n: number) => n.toString(16).padStart(32, '0')

  it('keeps the whole ARN whenever it fits, else the task ID', () => {
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/${taskId(7)}`
    expect(replacedBy(arn)).toBe(`Replaced by ${arn}`)
    const longest = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${'c'.repeat(170)}/${taskId(7)}`
    expect(`Replaced by ${longest}`).toHaveLength(255)
    expect(replacedBy(longest)).toBe(`Replaced by ${longest}`)
    expect(replacedBy(longest.replace('/c', '/cc'))).toBe(`Replaced by ${taskId(7)}`)
  })
})
