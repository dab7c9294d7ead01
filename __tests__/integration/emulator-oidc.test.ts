/**
 * What scripts/moto-atomic-server.py adds to the emulator for irsa, checked against the emulator:
 * each EKS cluster has an OIDC issuer of its own (moto shares one per region), and an IAM OIDC
 * provider's audiences can be added and removed (moto has neither call).
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks'
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  RemoveClientIDFromOpenIDConnectProviderCommand
} from '@aws-sdk/client-iam'
import { createEksCluster } from '../support/eks-cluster.js'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
})

describe("the emulator's EKS issuers and OIDC provider audiences", () => {
  it('gives each cluster its own issuer, in its region', async () => {
    await createEksCluster('one')
    await createEksCluster('two')
    await createEksCluster('three', 'eu-west-1')
    const issuer = async (name: string, region = REGION) =>
      (await new EKSClient({ region }).send(new DescribeClusterCommand({ name }))).cluster?.identity
        ?.oidc?.issuer
    const issuers = [await issuer('one'), await issuer('two'), await issuer('three', 'eu-west-1')]
    expect(new Set(issuers).size).toBe(3)
    expect(issuers[0]).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/)
    expect(issuers[2]).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//)
  })

  it('adds and removes a provider audience, each once', async () => {
    const iam = new IAMClient({ region: REGION })
    const { OpenIDConnectProviderArn: arn } = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
        ClientIDList: ['other']
      })
    )
    const audiences = async () =>
      (await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })))
        .ClientIDList
    for (let i = 0; i < 2; i++) {
      await iam.send(
        new AddClientIDToOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: arn,
          ClientID: 'sts.amazonaws.com'
        })
      )
    }
    expect(await audiences()).toEqual(['other', 'sts.amazonaws.com'])
    for (let i = 0; i < 2; i++) {
      await iam.send(
        new RemoveClientIDFromOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: arn,
          ClientID: 'other'
        })
      )
    }
    expect(await audiences()).toEqual(['sts.amazonaws.com'])
  })
})
