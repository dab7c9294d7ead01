/**
 * The names and documents irsa derives from the inputs, where IAM's and Kubernetes' rules bound
 * them: the role's name, the provider's ARN, the trust policy, the ServiceAccount the trust names,
 * and the chart values that annotate it.
 */
import { describe, expect, it } from '@jest/globals'
import { agentIdentityName } from '../../../src/cloud-services/agent-identity.js'
import { irsaTrust } from '../../../src/cloud-services/trust-policies.js'
import {
  issuerHostOf,
  providerArnFor
} from '../../../src/cloud-services/resources/oidc-provider.js'
import { actionValues, agentServiceAccountName } from '../../../src/eks/helm/values.js'
import type { EksConfig } from '../../../src/inputs.js'

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF'
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/

describe('agentIdentityName', () => {
  it('is CloudAEye@<cluster>.<region> for the default agent, with the agent name otherwise', () => {
    expect(agentIdentityName('cloudaeye-metrics-agent', 'prod', 'us-east-1')).toBe(
      'CloudAEye@prod.us-east-1'
    )
    expect(agentIdentityName('edge-agent', 'prod', 'us-east-1')).toBe(
      'CloudAEye-edge-agent@prod.us-east-1'
    )
  })

  it("keeps within IAM's 64 characters, readable and distinct, however long the cluster name", () => {
    const long = 'a'.repeat(100)
    const names = [
      agentIdentityName('cloudaeye-metrics-agent', long, 'us-east-1'),
      agentIdentityName('cloudaeye-metrics-agent', long, 'eu-west-1'),
      agentIdentityName('cloudaeye-metrics-agent', `${long}b`, 'us-east-1'),
      agentIdentityName('x'.repeat(53), 'prod-cluster_1', 'ap-southeast-4')
    ]
    for (const name of names) {
      expect(name).toMatch(ROLE_NAME)
      expect(name.startsWith('CloudAEye')).toBe(true)
    }
    expect(new Set(names).size).toBe(names.length)
    expect(names[0]).toMatch(/^CloudAEye@aaaa+-[0-9a-f]{10}$/)
    // Exactly 64 stays whole.
    const cluster = 'c'.repeat(64 - 'CloudAEye@.us-east-1'.length)
    expect(agentIdentityName('cloudaeye-metrics-agent', cluster, 'us-east-1')).toBe(
      `CloudAEye@${cluster}.us-east-1`
    )
  })
})

describe('the OIDC provider of an issuer', () => {
  it('is named by the issuer without its scheme, in the partition', () => {
    expect(issuerHostOf(`${ISSUER}/`)).toBe(ISSUER.slice('https://'.length))
    expect(providerArnFor(ISSUER, '123456789012', 'aws-cn')).toBe(
      `arn:aws-cn:iam::123456789012:oidc-provider/${ISSUER.slice('https://'.length)}`
    )
  })
})

describe('irsaTrust', () => {
  it("admits only the agent's ServiceAccount's STS tokens, through the cluster's provider", () => {
    const host = issuerHostOf(ISSUER)
    const arn = providerArnFor(ISSUER, '123456789012', 'aws')
    expect(irsaTrust({ arn, issuerHost: host }, 'cloudaeye', 'cloudaeye-metrics-agent')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TheAgentServiceAccountOfOneCluster',
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${host}:sub`]: 'system:serviceaccount:cloudaeye:cloudaeye-metrics-agent',
              [`${host}:aud`]: 'sts.amazonaws.com'
            }
          }
        }
      ]
    })
  })
})

describe("the agent's ServiceAccount and its annotation", () => {
  const config = (values?: Record<string, unknown>) =>
    ({ agentName: 'cloudaeye-metrics-agent', values }) as EksConfig

  it('is the one values name, else the release name, as the chart makes it', () => {
    expect(agentServiceAccountName(config())).toBe('cloudaeye-metrics-agent')
    expect(agentServiceAccountName(config({ serviceAccount: { name: 'metrics' } }))).toBe('metrics')
    expect(agentServiceAccountName(config({ serviceAccount: { name: '' } }))).toBe(
      'cloudaeye-metrics-agent'
    )
  })

  it('carries the role to the chart, and no key', () => {
    const values = actionValues(
      { ...config(), endpoint: 'https://e', clusterName: 'c', region: 'r', services: [] } as never,
      undefined,
      { roleArn: 'arn:aws:iam::123456789012:role/CloudAEye@c.r' }
    )
    expect(values.cloudServices).toEqual({
      enabled: true,
      auth: 'irsa',
      roleArn: 'arn:aws:iam::123456789012:role/CloudAEye@c.r'
    })
  })
})
