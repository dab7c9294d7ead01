/**
 * The access keys a release stops holding: after an upgrade, a key a racing run delivered (which
 * this run's upgrade replaced) and a key the agent moved off are deleted, so no key nothing holds
 * is left towards IAM's limit of two per user.
 */
import * as core from '@actions/core'
import type { CloudServices } from '../cloud-services/apply.js'
import { heldKey } from '../cloud-services/resources/held-key.js'
import type { EksConfig } from '../inputs.js'
import type { HelmRunner } from './helm/helm-runner.js'
import { releaseValues } from './helm/release.js'

/**
 * When a racing run upgraded the release after this run read it, this run's upgrade replaced that
 * run's revision, and with it the key that run delivered. Nothing holds that key now; it is
 * deleted, or each race would leave one more key towards IAM's limit of two. The key this run
 * delivered and the one it read are never deleted here.
 */
export async function retireKeyOfRacingRun(
  helm: HelmRunner,
  config: EksConfig,
  cloud: CloudServices,
  revisions: { replacedRevision: number; readRevision: number; keptKeys: (string | undefined)[] }
): Promise<void> {
  if (revisions.replacedRevision <= revisions.readRevision) return
  let replaced
  try {
    replaced = heldKey(
      await releaseValues(helm, config.agentName, config.namespace, revisions.replacedRevision)
    )
  } catch (error) {
    core.warning(
      `Could not read revision ${revisions.replacedRevision} of release ${config.agentName}, ` +
        `which a racing run installed: ${(error as Error).message} Its access key, if any, is ` +
        'left for you to delete.'
    )
    return
  }
  if (replaced && !revisions.keptKeys.includes(replaced.accessKeyId)) {
    await cloud.deleteKey(
      replaced.accessKeyId,
      `a racing run delivered it in revision ${revisions.replacedRevision}, which this run's ` +
        'upgrade replaced'
    )
  }
}

/**
 * After the agent moved off the key its release held (to a role, or to its cluster's own user):
 * once the agent is seen running without it the key is deleted, so no long-lived key is left
 * behind; without `wait` that is not known, and the key is left with the command to delete it.
 */
export async function retireMovedKey(
  cloud: CloudServices,
  config: EksConfig,
  accessKeyId: string
): Promise<void> {
  if (config.wait) {
    await cloud.retireHeldKey(accessKeyId, 'the agent now runs with its new identity instead')
    return
  }
  core.warning(
    `The agent no longer gets access key ${accessKeyId}, but with wait: false this run did not ` +
      'see it run with its new identity, so the key is kept. Delete it once the agent runs: ' +
      `aws iam get-access-key-last-used --access-key-id ${accessKeyId} names its user, then ` +
      `aws iam delete-access-key --user-name <that user> --access-key-id ${accessKeyId}`
  )
}
