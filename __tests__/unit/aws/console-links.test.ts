/**
 * Console links follow the region's partition: each partition with a public console gets its own
 * host, and a partition without one gets no link, while the summary still lists the resource.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { consoleLinks } from '../../../src/aws/console-links.js'
import { partitionOf } from '../../../src/aws/partition.js'
import { Report } from '../../../src/report.js'

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['ap-southeast-7', 'aws', 'amazonaws.com'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov']
  ])('places %s in %s (%s)', (region, name, dnsSuffix) => {
    expect(partitionOf(region)).toEqual({ name, dnsSuffix })
  })

  it('places a region newer than the table by its name, as the SDK does', () => {
    expect(partitionOf('us-gov-central-9').name).toBe('aws-us-gov')
    expect(partitionOf('cn-south-9').name).toBe('aws-cn')
    expect(partitionOf('us-iso-north-9').name).toBe('aws-iso')
  })
})

describe('consoleLinks', () => {
  it('links the commercial console of the region', () => {
    expect(consoleLinks.securityGroup('eu-west-1', 'sg-0123456789abcdef0')).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=sg-0123456789abcdef0'
    )
    expect(consoleLinks.task('us-east-1', 'prod', '0f0f')).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/0f0f?region=us-east-1'
    )
  })

  it('links the China console in aws-cn', () => {
    expect(consoleLinks.subnets('cn-north-1', 'vpc-0a1b2c3d')).toBe(
      'https://cn-north-1.console.amazonaws.cn/vpcconsole/home?region=cn-north-1#subnets:vpcId=vpc-0a1b2c3d'
    )
    expect(consoleLinks.taskDefinition('cn-northwest-1', 'agent', 3)).toBe(
      'https://cn-northwest-1.console.amazonaws.cn/ecs/v2/task-definitions/agent/3?region=cn-northwest-1'
    )
  })

  it('links the GovCloud console in aws-us-gov', () => {
    expect(consoleLinks.task('us-gov-west-1', 'prod', '0f0f')).toBe(
      'https://us-gov-west-1.console.amazonaws-us-gov.com/ecs/v2/clusters/prod/tasks/0f0f?region=us-gov-west-1'
    )
    expect(consoleLinks.securityGroup('us-gov-east-1', 'sg-1')).toBe(
      'https://us-gov-east-1.console.amazonaws-us-gov.com/ec2/home?region=us-gov-east-1#SecurityGroup:groupId=sg-1'
    )
  })

  it("links the cloud-services IAM identity in the partition's console", () => {
    expect(consoleLinks.iamUser('us-gov-west-1', 'CloudAEyeServiceAccount')).toBe(
      'https://us-gov-west-1.console.amazonaws-us-gov.com/iam/home#/users/details/CloudAEyeServiceAccount'
    )
    expect(consoleLinks.iamRole('cn-north-1', 'CloudAEye@prod.cn-north-1')).toBe(
      'https://cn-north-1.console.amazonaws.cn/iam/home#/roles/details/CloudAEye%40prod.cn-north-1'
    )
    expect(consoleLinks.iamUser('us-iso-east-1', 'CloudAEyeServiceAccount')).toBeUndefined()
  })

  it.each(['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1'])(
    'gives no link in %s, whose console is not on the public internet',
    region => {
      expect(consoleLinks.securityGroup(region, 'sg-1')).toBeUndefined()
      expect(consoleLinks.subnets(region, 'vpc-1')).toBeUndefined()
      expect(consoleLinks.taskDefinition(region, 'agent', 1)).toBeUndefined()
      expect(consoleLinks.task(region, 'prod', '0f0f')).toBeUndefined()
    }
  )
})

describe('the job summary', () => {
  const summaryFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'links-')), 'summary')
  const savedSummary = process.env.GITHUB_STEP_SUMMARY
  afterAll(() => {
    if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = savedSummary
  })

  async function summaryFor(region: string): Promise<string> {
    writeFileSync(summaryFile, '')
    process.env.GITHUB_STEP_SUMMARY = summaryFile
    const report = new Report()
    report.title = `deployed in ${region}`
    report.record({
      kind: 'Security group',
      id: 'sg-0123456789abcdef0',
      status: 'created',
      link: consoleLinks.securityGroup(region, 'sg-0123456789abcdef0')
    })
    await report.publish()
    return readFileSync(summaryFile, 'utf8')
  }

  it('shows the resource as a GovCloud console link', async () => {
    const summary = await summaryFor('us-gov-west-1')
    expect(summary).toContain(
      '<a href="https://us-gov-west-1.console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#SecurityGroup:groupId=sg-0123456789abcdef0">sg-0123456789abcdef0</a>'
    )
  })

  it('still lists the resource, unlinked, where the partition has no public console', async () => {
    const summary = await summaryFor('us-iso-east-1')
    expect(summary).toContain('<td>sg-0123456789abcdef0</td>')
    expect(summary).toContain('created')
    expect(summary).not.toContain('<a ')
  })
})
