/**
 * Cloud services with irsa, the default: the agent gets an IAM role through its ServiceAccount and
 * no key. The emulator provides IAM and EKS; a real control plane runs the agent with the real
 * helm 4, and what the role must admit is read back from it: the ServiceAccount's annotation and
 * the claims of a token the API server issues for that ServiceAccount.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  ListUsersCommand
} from '@aws-sdk/client-iam'
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks'
import { systemClock } from '../../src/poll.js'
import { desiredPolicyDocument } from '../../src/cloud-services/policy-document.js'
import { runAction, type ActionResult } from '../support/action-harness.js'
import { createEksCluster } from '../support/eks-cluster.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { kubeApi, nodeSpecs, type KubeObject } from '../support/kube-nodes.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import { secretData, uninstallEveryRelease } from '../support/agent-in-cluster.js'

const OTHER_REGION = 'eu-west-1'
const API_KEY = 'cak_irsa_5b0e71'
const AWS_BOUNDARY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
const originalPath = process.env.PATH
let cluster: EksTestCluster
let work: string
const iam = () => new IAMClient({ region: REGION })

beforeAll(async () => {
  useMotoEnvironment()
  work = await mkdtemp(path.join(os.tmpdir(), 'irsa-'))
  cluster = await startEksTestCluster({ name: 'prod', nodes: nodeSpecs('node', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  process.env.PATH = originalPath
  await cluster?.stop()
  await rm(work, { recursive: true, force: true })
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  process.env.RUNNER_TEMP = await mkdtemp(path.join(work, 'temp-'))
})

afterEach(async () => {
  await uninstallEveryRelease(cluster.adminKubeconfig)
})

/**
 * Three clusters in one account, two of them in another region. One plane plays them all (the
 * kubeconfig input); the AWS side is each cluster's own.
 */
const THREE_CLUSTERS = [
  { cluster: 'prod', 'aws-region': REGION, namespace: 'multi-prod', 'agent-name': 'agent-prod' },
  { cluster: 'west-a', 'aws-region': OTHER_REGION, namespace: 'multi-a', 'agent-name': 'agent-a' },
  { cluster: 'west-b', 'aws-region': OTHER_REGION, namespace: 'multi-b', 'agent-name': 'agent-b' }
]

async function registerTheOtherClusters(): Promise<void> {
  await createEksCluster('west-a', OTHER_REGION)
  await createEksCluster('west-b', OTHER_REGION)
}

/** Runs the action with the real helm 4 against the plane; `viaKubeconfig` skips EKS access. */
function run(inputs: Record<string, string>, viaKubeconfig = false): Promise<ActionResult> {
  Object.assign(process.env, cluster.environment(), {
    PATH: `${path.dirname(REAL_HELM_4)}${path.delimiter}${originalPath}`
  })
  return runAction(
    {
      platform: 'eks',
      cluster: 'prod',
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': API_KEY,
      'enable-cloud-services': 'true',
      'wait-timeout': '45s',
      ...(viaKubeconfig ? { kubeconfig: cluster.adminKubeconfig } : {}),
      ...inputs
    },
    { clock: systemClock }
  )
}

async function issuerOf(name: string, region: string): Promise<string> {
  const eks = new EKSClient({ region })
  try {
    const answer = await eks.send(new DescribeClusterCommand({ name }))
    return answer.cluster!.identity!.oidc!.issuer!
  } finally {
    eks.destroy()
  }
}

const decoded = (document: string | undefined) =>
  JSON.parse(decodeURIComponent(document ?? '')) as Record<string, unknown>

/** The role's trust, boundary, inline policy and tags as IAM holds them. */
async function roleOf(name: string) {
  const { Role } = await iam().send(new GetRoleCommand({ RoleName: name }))
  const policy = await iam().send(
    new GetRolePolicyCommand({ RoleName: name, PolicyName: 'CloudAEyeCloudWatchRead' })
  )
  return {
    arn: Role!.Arn!,
    trust: decoded(Role!.AssumeRolePolicyDocument),
    boundary: Role!.PermissionsBoundary?.PermissionsBoundaryArn,
    policy: decoded(policy.PolicyDocument),
    tags: Object.fromEntries((Role!.Tags ?? []).map(tag => [tag.Key, tag.Value]))
  }
}

async function serviceAccount(namespace: string, name: string): Promise<KubeObject> {
  const api = await kubeApi(cluster.adminKubeconfig)
  try {
    return await api.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`)
  } finally {
    api.close()
  }
}

/** The claims of a token the API server issues to the ServiceAccount for STS, as EKS projects. */
async function tokenClaims(namespace: string, name: string): Promise<Record<string, unknown>> {
  const api = await kubeApi(cluster.adminKubeconfig)
  try {
    const answer = await api.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: ['sts.amazonaws.com'], expirationSeconds: 600 }
      }
    )
    const payload = answer.status.token.split('.')[1]
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  } finally {
    api.close()
  }
}

/** What the trust admits: the Federated provider and the values its conditions require. */
function admitted(trust: Record<string, unknown>) {
  const [statement] = trust.Statement as {
    Principal: { Federated: string }
    Action: string
    Condition: { StringEquals: Record<string, string> }
  }[]
  const host = statement.Principal.Federated.split(':oidc-provider/')[1]
  return {
    provider: statement.Principal.Federated,
    action: statement.Action,
    sub: statement.Condition.StringEquals[`${host}:sub`],
    aud: statement.Condition.StringEquals[`${host}:aud`],
    conditionKeys: Object.keys(statement.Condition.StringEquals).sort()
  }
}

describe('irsa', () => {
  it('gives the agent a role only its ServiceAccount can assume, and no user or key', async () => {
    const result = await run({ namespace: 'irsa-one' })
    expect(result.log).not.toContain('::error::')
    expect(result.failed).toBe(false)
    const roleName = 'CloudAEye@prod.us-east-1'
    const issuer = await issuerOf('prod', REGION)
    const host = issuer.replace('https://', '')

    // The provider, registered for the issuer with the audience the token carries.
    const provider = await iam().send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: `arn:aws:iam::123456789012:oidc-provider/${host}`
      })
    )
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com'])

    // The role: capped by the boundary, with the CloudWatch read policy, tagged.
    const role = await roleOf(roleName)
    expect(result.outputs['role-arn']).toBe(role.arn)
    // Cluster access and the identity share the run's one description of the cluster.
    expect(result.calls.filter(call => call === 'eks:DescribeCluster')).toHaveLength(1)
    expect(role.boundary).toBe(AWS_BOUNDARY)
    expect(role.policy).toEqual(desiredPolicyDocument())
    expect(role.tags).toMatchObject({ 'cloudaeye:managed-by': 'metrics-agent-action' })

    // The ServiceAccount the chart made carries the role, read back from the API server.
    const account = await serviceAccount('irsa-one', 'cloudaeye-metrics-agent')
    expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(role.arn)

    // The trust admits exactly the claims of that ServiceAccount's STS token, and no other's.
    const trust = admitted(role.trust)
    expect(trust.provider).toBe(`arn:aws:iam::123456789012:oidc-provider/${host}`)
    expect(trust.action).toBe('sts:AssumeRoleWithWebIdentity')
    expect(trust.conditionKeys).toEqual([`${host}:aud`, `${host}:sub`])
    const claims = await tokenClaims('irsa-one', 'cloudaeye-metrics-agent')
    expect(claims.sub).toBe(trust.sub)
    expect(claims.aud).toContain(trust.aud)
    const other = await tokenClaims('irsa-one', 'default')
    expect(other.sub).not.toBe(trust.sub)

    // No long-lived credentials anywhere: no IAM user, and the agent's Secret holds the API key only.
    expect((await iam().send(new ListUsersCommand({}))).Users?.map(user => user.UserName)).toEqual([
      'eks-deployer'
    ])
    expect(result.outputs['access-key-id']).toBeUndefined()
    expect(result.summary).toContain('IAM role')

    // A re-run changes nothing and makes no mutating call.
    const again = await run({ namespace: 'irsa-one' })
    expect(again.failed).toBe(false)
    expect(again.outputs['changed']).toBe('false')
    expect(again.calls.filter(call => !/:(Describe|List|Get)/.test(call))).toEqual([])
  }, 120_000)

  it('three clusters in two regions: one provider and one role each, nothing shared, re-runs create nothing', async () => {
    await registerTheOtherClusters()
    const clusters = THREE_CLUSTERS
    for (const inputs of clusters) {
      const result = await run(inputs, true)
      expect(result.log).not.toContain('::error::')
      expect(result.failed).toBe(false)
    }
    const roles = (await iam().send(new ListRolesCommand({}))).Roles!.map(role => role.RoleName)
    expect(roles.filter(name => name?.startsWith('CloudAEye')).sort()).toEqual([
      'CloudAEye-agent-a@west-a.eu-west-1',
      'CloudAEye-agent-b@west-b.eu-west-1',
      'CloudAEye-agent-prod@prod.us-east-1'
    ])
    const providers = await iam().send(new ListOpenIDConnectProvidersCommand({}))
    const issuers = await Promise.all(
      clusters.map(inputs => issuerOf(inputs.cluster, inputs['aws-region']))
    )
    expect(new Set(issuers).size).toBe(3)
    expect(providers.OpenIDConnectProviderList!.map(entry => entry.Arn).sort()).toEqual(
      issuers.map(issuer => `arn:aws:iam::123456789012:oidc-provider/${issuer.slice(8)}`).sort()
    )
    for (const [index, inputs] of clusters.entries()) {
      const name = `CloudAEye-${inputs['agent-name']}@${inputs.cluster}.${inputs['aws-region']}`
      const trust = admitted((await roleOf(name)).trust)
      expect(trust.provider).toContain(issuers[index].slice(8))
      expect(trust.sub).toBe(`system:serviceaccount:${inputs.namespace}:${inputs['agent-name']}`)
      const account = await serviceAccount(inputs.namespace, inputs['agent-name'])
      expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
        (await roleOf(name)).arn
      )
    }
    expect((await iam().send(new ListUsersCommand({}))).Users).toHaveLength(1)
    for (const inputs of clusters) {
      const again = await run(inputs, true)
      expect(again.outputs['changed']).toBe('false')
      expect(again.calls.filter(call => !/:(Describe|List|Get)/.test(call))).toEqual([])
    }
  }, 240_000)

  it('access-key, three clusters in two regions: a user and a key each, re-runs create nothing', async () => {
    await registerTheOtherClusters()
    const keyed = THREE_CLUSTERS.map(inputs => ({ ...inputs, 'cloud-services-auth': 'access-key' }))
    const keys: string[] = []
    for (const inputs of keyed) {
      const result = await run(inputs, true)
      expect(result.log).not.toContain('::error::')
      expect(result.failed).toBe(false)
      keys.push(result.outputs['access-key-id'])
    }
    const users = (await iam().send(new ListUsersCommand({}))).Users!.map(user => user.UserName!)
    const agentUsers = THREE_CLUSTERS.map(
      inputs => `CloudAEye-${inputs['agent-name']}@${inputs.cluster}.${inputs['aws-region']}`
    )
    expect(users.filter(name => name.startsWith('CloudAEye')).sort()).toEqual(
      [...agentUsers].sort()
    )
    for (const [index, inputs] of THREE_CLUSTERS.entries()) {
      const listed = await iam().send(new ListAccessKeysCommand({ UserName: agentUsers[index] }))
      expect(listed.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([keys[index]])
      expect(
        (await secretData(cluster.adminKubeconfig, inputs.namespace, inputs['agent-name']))[
          'aws-access-key-id'
        ]
      ).toBe(keys[index])
    }
    expect((await iam().send(new ListRolesCommand({}))).Roles).toEqual([])
    for (const inputs of keyed) {
      const again = await run(inputs, true)
      expect(again.outputs['changed']).toBe('false')
      expect(again.calls.filter(call => !/:(Describe|List|Get)/.test(call))).toEqual([])
    }
  }, 240_000)

  it('a role edited by hand is brought back: its trust and policy', async () => {
    const first = await run({ namespace: 'irsa-drift' })
    expect(first.failed).toBe(false)
    const roleName = 'CloudAEye@prod.us-east-1'
    const { UpdateAssumeRolePolicyCommand, DeleteRolePolicyCommand } =
      await import('@aws-sdk/client-iam')
    const wide = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'sts:AssumeRole'
        }
      ]
    }
    await iam().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: roleName,
        PolicyDocument: JSON.stringify(wide)
      })
    )
    await iam().send(
      new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: 'CloudAEyeCloudWatchRead' })
    )
    const again = await run({ namespace: 'irsa-drift' })
    expect(again.failed).toBe(false)
    expect(again.log).toContain('brought back trust policy, CloudWatch read policy')
    const role = await roleOf(roleName)
    expect(admitted(role.trust).sub).toBe(
      'system:serviceaccount:irsa-drift:cloudaeye-metrics-agent'
    )
    expect(role.policy).toEqual(desiredPolicyDocument())
  }, 120_000)

  it('moving from access-key deletes the old key once the agent runs with the role', async () => {
    const before = await run({ namespace: 'irsa-move', 'cloud-services-auth': 'access-key' })
    expect(before.failed).toBe(false)
    const oldKey = before.outputs['access-key-id']
    expect(oldKey).toMatch(/^AKIA/)

    const after = await run({ namespace: 'irsa-move' })
    expect(after.log).not.toContain('::error::')
    expect(after.failed).toBe(false)
    expect(after.log).toContain(
      `Deleted access key ${oldKey}: the agent now runs with its new identity instead.`
    )
    const keys = await iam().send(
      new ListAccessKeysCommand({ UserName: 'CloudAEye@prod.us-east-1' })
    )
    expect(keys.AccessKeyMetadata).toEqual([])
    const account = await serviceAccount('irsa-move', 'cloudaeye-metrics-agent')
    expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      after.outputs['role-arn']
    )
    // The agent's Secret no longer carries any AWS key.
    expect(
      Object.keys(await secretData(cluster.adminKubeconfig, 'irsa-move', 'cloudaeye-metrics-agent'))
    ).toEqual(['api-key'])
  }, 120_000)

  it('with wait: false the old key is kept, with the command to delete it', async () => {
    const before = await run({ namespace: 'irsa-nowait', 'cloud-services-auth': 'access-key' })
    const oldKey = before.outputs['access-key-id']
    const after = await run({ namespace: 'irsa-nowait', wait: 'false' })
    expect(after.failed).toBe(false)
    expect(after.log).toContain(
      `aws iam get-access-key-last-used --access-key-id ${oldKey} names its user`
    )
    const keys = await iam().send(
      new ListAccessKeysCommand({ UserName: 'CloudAEye@prod.us-east-1' })
    )
    expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([oldKey])
  }, 120_000)

  it('refuses a role of the same name that the action did not make, and leaves it alone', async () => {
    const { CreateRoleCommand } = await import('@aws-sdk/client-iam')
    await iam().send(
      new CreateRoleCommand({
        RoleName: 'CloudAEye@prod.us-east-1',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] })
      })
    )
    const result = await run({ namespace: 'irsa-foreign' })
    expect(result.failed).toBe(true)
    expect(result.log).toContain('exists but was not made by this action')
    expect(result.log).toContain('another agent-name')
  }, 120_000)
})
