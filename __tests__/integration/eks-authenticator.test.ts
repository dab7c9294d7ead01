/**
 * The action's in-process EKS token against a real kube-apiserver that authenticates it as EKS
 * does: through a TokenReview webhook (support/eks-authenticator.mjs) that checks the presigned
 * STS URL, verifies its SigV4 signature over this cluster's name, asks the emulator who signed it
 * and maps that ARN through access entries. Users, keys and the assumed role live in the emulator.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks'
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { startKubePlane, type KubePlane } from '../../scripts/kube-plane.mjs'
import { writeKubeconfig } from '../../src/eks/access/kubeconfig.js'
import { createEksToken } from '../../src/eks/access/token.js'
import {
  startEksAuthenticator,
  type EksAuthenticator,
  type TrustedCredentials
} from '../support/eks-authenticator.mjs'
import { startEksEndpointProxy } from '../support/eks-endpoint-proxy.mjs'
import { createEksCluster } from '../support/eks-cluster.js'
import { motoUrl, resetMoto, REGION, useMotoEnvironment } from '../support/moto.js'

const run = promisify(execFile)
const CLUSTER = 'auth-cluster'
const ACCOUNT = '123456789012'
const DEPLOYER_ARN = `arn:aws:iam::${ACCOUNT}:user/eks-deployer`
const STRANGER_ARN = `arn:aws:iam::${ACCOUNT}:user/eks-stranger`
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/eks-deployer-role`
const FIFTEEN_MINUTES = 15 * 60_000

let work: string
let authenticator: EksAuthenticator | undefined
let plane: KubePlane | undefined
let deployer: TrustedCredentials
let stranger: TrustedCredentials
let roleSession: TrustedCredentials

async function createUserWithKey(iam: IAMClient, userName: string): Promise<TrustedCredentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }))
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }))
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }
}

async function assumeRole(): Promise<TrustedCredentials> {
  const iam = new IAMClient({ region: REGION })
  const sts = new STSClient({ region: REGION })
  try {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'eks-deployer-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: DEPLOYER_ARN }, Action: 'sts:AssumeRole' }
          ]
        })
      })
    )
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'ci-run-42' })
    )
    return {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!
    }
  } finally {
    iam.destroy()
    sts.destroy()
  }
}

/** Runs `action` without the workflow commands @actions/core prints (the token's mask among them). */
async function quietly<T>(action: () => Promise<T>): Promise<T> {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    return await action()
  } finally {
    write.mockRestore()
  }
}

/** A token as the action makes it. */
async function tokenFor(
  credentials: TrustedCredentials,
  clusterName = CLUSTER,
  now?: Date
): Promise<string> {
  const { token } = await quietly(() =>
    createEksToken({ clusterName, region: REGION, credentials: async () => credentials, now })
  )
  return token
}

/** A SelfSubjectReview at the plane: who the API server takes the bearer of `token` to be. */
function whoAmI(
  token: string,
  server = plane!.server,
  caData = plane!.caData
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
      {
        method: 'POST',
        ca: Buffer.from(caData, 'base64'),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
      },
      response => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', chunk => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      }
    )
    req.on('error', reject)
    req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }))
  })
}

async function expectRefused(token: string, reason: RegExp): Promise<void> {
  const answer = await whoAmI(token)
  expect(answer.status).toBe(401)
  expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' })
  expect(authenticator!.reviews).toEqual([
    expect.objectContaining({ authenticated: false, reason: expect.stringMatching(reason) })
  ])
}

/** The token with the last hex digit of its X-Amz-Signature changed. */
function tamperSignature(token: string): string {
  const prefix = 'k8s-aws-v1.'
  const url = new URL(Buffer.from(token.slice(prefix.length), 'base64url').toString('utf8'))
  const signature = url.searchParams.get('X-Amz-Signature')!
  const last = signature.at(-1) === '0' ? '1' : '0'
  url.searchParams.set('X-Amz-Signature', signature.slice(0, -1) + last)
  return prefix + Buffer.from(url.toString(), 'utf8').toString('base64url')
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'eks-authenticator-test-'))
  useMotoEnvironment()
  await resetMoto()
  const iam = new IAMClient({ region: REGION })
  try {
    deployer = await createUserWithKey(iam, 'eks-deployer')
    stranger = await createUserWithKey(iam, 'eks-stranger')
  } finally {
    iam.destroy()
  }
  roleSession = await assumeRole()
  authenticator = await startEksAuthenticator({
    clusterName: CLUSTER,
    region: REGION,
    stsTarget: motoUrl(),
    credentials: [deployer, stranger, roleSession],
    accessEntries: {
      [DEPLOYER_ARN]: { username: 'ci-deployer', groups: ['deployers', 'observers'] },
      [ROLE_ARN]: { groups: ['role-deployers'] }
    }
  })
  plane = await startKubePlane({ authenticationWebhook: authenticator.webhookKubeconfigPath })
}, 120_000)

afterAll(async () => {
  await plane?.stop()
  await authenticator?.stop()
  if (work) await rm(work, { recursive: true, force: true })
}, 60_000)

beforeEach(() => {
  authenticator!.reviews.length = 0
})

describe('a token from createEksToken at a plane that authenticates as EKS', () => {
  it('is the mapped user and groups for kubectl, through the kubeconfig the action writes', async () => {
    const token = await tokenFor(deployer)
    const kubeconfig = await quietly(() =>
      writeKubeconfig({
        clusterName: CLUSTER,
        endpoint: plane!.server,
        certificateAuthorityData: plane!.caData,
        user: { token },
        directory: work
      })
    )
    try {
      const { stdout } = await run('kubectl', ['auth', 'whoami', '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: kubeconfig.path, HOME: work },
        // kubectl asks for a username on stdin when the kubeconfig's user has no credential.
        timeout: 30_000
      })
      expect(JSON.parse(stdout).status.userInfo).toMatchObject({
        username: 'ci-deployer',
        uid: expect.stringMatching(new RegExp(`^aws-iam-authenticator:${ACCOUNT}:`)),
        groups: ['deployers', 'observers', 'system:authenticated']
      })
    } finally {
      await kubeconfig.remove()
    }
    expect(authenticator!.reviews.length).toBeGreaterThan(0)
    for (const review of authenticator!.reviews) {
      expect(review).toMatchObject({ authenticated: true, arn: DEPLOYER_ARN })
    }
    expect(JSON.stringify(authenticator!.reviews)).not.toContain(token.slice(11, 60))
  })

  it('maps an assumed role through its role ARN, with the session in the default username', async () => {
    const answer = await whoAmI(await tokenFor(roleSession))
    expect(answer.status).toBe(201)
    expect(JSON.parse(answer.body).status.userInfo).toMatchObject({
      username: `arn:aws:sts::${ACCOUNT}:assumed-role/eks-deployer-role/ci-run-42`,
      groups: ['role-deployers', 'system:authenticated']
    })
    expect(authenticator!.reviews).toEqual([
      expect.objectContaining({
        authenticated: true,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/eks-deployer-role/ci-run-42`
      })
    ])
  })

  it('is honoured 14 minutes after signing and refused as expired at 15 minutes and 1 second', async () => {
    // kube-apiserver keeps a successful authentication for 10 s whatever the webhook's cache TTL,
    // so this token is signed a minute back: no other test signs the same string. The refusal comes
    // first because refusals are not kept.
    const signedAgo = 60_000
    const token = await tokenFor(deployer, CLUSTER, new Date(Date.now() - signedAgo))
    let moved = 0
    const moveTo = (sinceSigning: number) => {
      authenticator!.moveClock(sinceSigning - signedAgo - moved)
      moved = sinceSigning - signedAgo
    }
    try {
      moveTo(FIFTEEN_MINUTES + 1000)
      await expectRefused(token, /^expired/)

      authenticator!.reviews.length = 0
      moveTo(14 * 60_000)
      expect((await whoAmI(token)).status).toBe(201)
      expect(authenticator!.reviews).toEqual([expect.objectContaining({ authenticated: true })])
    } finally {
      authenticator!.moveClock(-moved)
    }
  })

  it('is refused when it was signed for another cluster', async () => {
    await expectRefused(
      await tokenFor(deployer, 'another-cluster'),
      /^SignatureDoesNotMatch.*auth-cluster/
    )
  })

  it('is refused when its signature was tampered with', async () => {
    await expectRefused(tamperSignature(await tokenFor(deployer)), /^SignatureDoesNotMatch/)
  })

  it('is refused when signed with a secret STS does not hold for the key', async () => {
    const forged = { accessKeyId: deployer.accessKeyId, secretAccessKey: 'not-the-secret' }
    await expectRefused(await tokenFor(forged), /^SignatureDoesNotMatch/)
  })

  it('is refused when STS does not know the access key', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever' }
    await expectRefused(await tokenFor(unknown), /^InvalidClientTokenId/)
  })

  it('is refused when the caller has no access entry', async () => {
    await expectRefused(await tokenFor(stranger), new RegExp(`no access entry for ${STRANGER_ARN}`))
  })
})

describe('the EKS endpoint proxy', () => {
  it("makes DescribeCluster give the plane's server and CA, which the token then reaches", async () => {
    await createEksCluster(CLUSTER)
    const { endpoint: otherEndpoint } = await createEksCluster('untouched-cluster')
    const proxy = await startEksEndpointProxy({
      target: motoUrl(),
      clusterName: CLUSTER,
      endpoint: plane!.server,
      caData: plane!.caData
    })
    const eks = new EKSClient({ region: REGION, endpoint: proxy.url })
    try {
      const { cluster } = await eks.send(new DescribeClusterCommand({ name: CLUSTER }))
      expect(cluster).toMatchObject({
        name: CLUSTER,
        status: 'ACTIVE',
        endpoint: plane!.server,
        certificateAuthority: { data: plane!.caData }
      })
      const other = await eks.send(new DescribeClusterCommand({ name: 'untouched-cluster' }))
      expect(other.cluster?.endpoint).toBe(otherEndpoint)
      expect(proxy.rewritten()).toBe(1)

      const answer = await whoAmI(
        await tokenFor(deployer),
        cluster!.endpoint!,
        cluster!.certificateAuthority!.data!
      )
      expect(answer.status).toBe(201)
      expect(JSON.parse(answer.body).status.userInfo.username).toBe('ci-deployer')
    } finally {
      eks.destroy()
      await proxy.close()
    }
  })
})
