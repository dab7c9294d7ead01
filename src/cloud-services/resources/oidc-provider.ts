/**
 * The IAM OIDC provider of an EKS cluster's issuer, which lets IAM trust the cluster's service
 * account tokens. It is one per issuer and account, and often exists already (eksctl, Terraform,
 * the console): it is found by the ARN the issuer gives it, and registered only when missing.
 * Remove never deletes it: other tools and roles of the account may trust it.
 */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  type IAMClient
} from '@aws-sdk/client-iam'
import { errorCode, explainAwsFailure } from '../../aws/errors.js'
import { IRSA_AUDIENCE } from '../names.js'

export interface SettledProvider {
  arn: string
  /** The issuer without its scheme: the prefix of the trust policy's condition keys. */
  issuerHost: string
  status: 'created' | 'updated' | 'reused'
}

/** The provider as observed: its audiences, or undefined when none is registered. */
export interface ObservedProvider {
  arn: string
  issuer: string
  issuerHost: string
  audiences?: string[]
}

const isMissing = (error: unknown) => /^NoSuchEntity(Exception)?$/.test(errorCode(error) ?? '')
const alreadyExists = (error: unknown) =>
  /^EntityAlreadyExists(Exception)?$/.test(errorCode(error) ?? '')

export function providerArnFor(issuer: string, accountId: string, partition: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHostOf(issuer)}`
}

export function issuerHostOf(issuer: string): string {
  return issuer.replace(/^https:\/\//, '').replace(/\/+$/, '')
}

export async function findOidcProvider(
  iam: IAMClient,
  issuer: string,
  accountId: string,
  partition: string
): Promise<ObservedProvider> {
  const arn = providerArnFor(issuer, accountId, partition)
  try {
    const found = await getProvider(iam, arn)
    return { arn, issuer, issuerHost: issuerHostOf(issuer), audiences: found?.ClientIDList }
  } catch (error) {
    throw explainAwsFailure(error, `the IAM OIDC provider of issuer ${issuer}`)
  }
}

/** `keep` when it trusts the agent's audience; `update` adds that audience to someone else's. */
export function providerAction(provider: ObservedProvider): 'create' | 'update' | 'keep' {
  if (!provider.audiences) return 'create'
  return provider.audiences.includes(IRSA_AUDIENCE) ? 'keep' : 'update'
}

/**
 * Carries out the planned action. A provider someone else registered without the agent's
 * audience gets it added, which only lets the tokens of this audience in; one a racing run (or
 * another cluster sharing the issuer) registered after the observation is read again.
 */
export async function applyOidcProvider(
  iam: IAMClient,
  provider: ObservedProvider,
  tags: Record<string, string>
): Promise<SettledProvider> {
  const { arn, issuer, issuerHost } = provider
  try {
    let audiences = provider.audiences
    if (!audiences) {
      try {
        await iam.send(
          new CreateOpenIDConnectProviderCommand({
            Url: issuer,
            ClientIDList: [IRSA_AUDIENCE],
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
          })
        )
        return { arn, issuerHost, status: 'created' }
      } catch (error) {
        if (!alreadyExists(error)) throw error
      }
      audiences = (await getProvider(iam, arn))?.ClientIDList ?? []
    }
    if (audiences.includes(IRSA_AUDIENCE)) return { arn, issuerHost, status: 'reused' }
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: arn,
        ClientID: IRSA_AUDIENCE
      })
    )
    return { arn, issuerHost, status: 'updated' }
  } catch (error) {
    throw explainAwsFailure(error, `the IAM OIDC provider of issuer ${issuer}`)
  }
}

async function getProvider(iam: IAMClient, arn: string) {
  try {
    return await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}
