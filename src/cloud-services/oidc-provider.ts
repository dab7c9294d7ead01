/**
 * The IAM OIDC provider of an EKS cluster's issuer, which lets IAM trust the cluster's service
 * account tokens. It is one per issuer and account, and often exists already (eksctl, Terraform,
 * the console): it is found by the ARN the issuer gives it, and registered only when missing.
 */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  type IAMClient
} from '@aws-sdk/client-iam'
import { errorCode, explainAwsFailure } from '../aws/errors.js'
import { IRSA_AUDIENCE } from './names.js'

export interface SettledProvider {
  arn: string
  /** The issuer without its scheme: the prefix of the trust policy's condition keys. */
  issuerHost: string
  status: 'created' | 'updated' | 'reused'
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

/**
 * The provider for `issuer`, with the audience the agent's token carries. A provider someone else
 * registered without that audience gets it added, which only lets the tokens of this audience in.
 */
export async function ensureOidcProvider(
  iam: IAMClient,
  issuer: string,
  accountId: string,
  partition: string,
  tags: Record<string, string>
): Promise<SettledProvider> {
  const arn = providerArnFor(issuer, accountId, partition)
  const issuerHost = issuerHostOf(issuer)
  const what = `the IAM OIDC provider of issuer ${issuer}`
  try {
    const existing = await getProvider(iam, arn)
    if (!existing) {
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
        // A racing run, or another cluster sharing the issuer, registered it first.
        if (!alreadyExists(error)) throw error
      }
    }
    const audiences = existing?.ClientIDList ?? (await getProvider(iam, arn))?.ClientIDList ?? []
    if (audiences.includes(IRSA_AUDIENCE)) return { arn, issuerHost, status: 'reused' }
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: arn,
        ClientID: IRSA_AUDIENCE
      })
    )
    return { arn, issuerHost, status: 'updated' }
  } catch (error) {
    throw explainAwsFailure(error, what)
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
