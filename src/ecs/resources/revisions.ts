/**
 * Every revision of the agent's family, for remove: ECS keeps a deregistered (INACTIVE) revision
 * until it is deleted, so both kinds are listed, each described for the tag that says the action
 * registered it.
 */
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  paginateListTaskDefinitions,
  type ECSClient
} from '@aws-sdk/client-ecs'
import { MANAGED_BY, MANAGED_BY_TAG } from '../../inputs.js'
import { describeTaskDefinition } from './task-definition.js'

export interface FamilyRevision {
  arn: string
  /** `family:revision`, as the console and the summary name it. */
  id: string
  status: 'ACTIVE' | 'INACTIVE'
  /** Registered by the action: only such a revision may be deleted. */
  owned: boolean
}

/** DeleteTaskDefinitions takes at most 10 revisions a call. */
export const MAX_DELETED_PER_CALL = 10
/** Revisions described at once: a family of many revisions must not set off throttling. */
const DESCRIBED_AT_ONCE = 5

export async function listFamilyRevisions(
  ecs: ECSClient,
  family: string
): Promise<FamilyRevision[]> {
  const listed: { arn: string; status: FamilyRevision['status'] }[] = []
  for (const status of ['ACTIVE', 'INACTIVE'] as const) {
    const pages = paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status })
    for await (const page of pages) {
      for (const arn of page.taskDefinitionArns ?? []) {
        // The filter is the whole family name; a longer family is not the agent's.
        if (arn.split('/').pop()?.replace(/:\d+$/, '') === family) listed.push({ arn, status })
      }
    }
  }
  const revisions: FamilyRevision[] = []
  for (let start = 0; start < listed.length; start += DESCRIBED_AT_ONCE) {
    const batch = listed.slice(start, start + DESCRIBED_AT_ONCE)
    const described = await Promise.all(batch.map(({ arn }) => describeTaskDefinition(ecs, arn)))
    batch.forEach(({ arn, status }, index) =>
      revisions.push({
        arn,
        id: arn.split('/').pop() ?? arn,
        status,
        owned: described[index].tags.some(
          tag => tag.key === MANAGED_BY_TAG && tag.value === MANAGED_BY
        )
      })
    )
  }
  return revisions.sort((a, b) => revisionNumber(a) - revisionNumber(b))
}

const revisionNumber = (revision: FamilyRevision) => Number(revision.id.split(':').pop())

export async function deregisterRevision(ecs: ECSClient, arn: string): Promise<void> {
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }))
}

/**
 * Deletes deregistered revisions, ten a call; ECS answers a revision it could not delete in
 * `failures` with HTTP 200, so those are returned with the reason.
 */
export async function deleteRevisions(
  ecs: ECSClient,
  arns: string[]
): Promise<{ arn: string; reason: string }[]> {
  const failures: { arn: string; reason: string }[] = []
  for (let start = 0; start < arns.length; start += MAX_DELETED_PER_CALL) {
    const answer = await ecs.send(
      new DeleteTaskDefinitionsCommand({
        taskDefinitions: arns.slice(start, start + MAX_DELETED_PER_CALL)
      })
    )
    for (const failure of answer.failures ?? []) {
      failures.push({
        arn: failure.arn ?? '',
        reason: [failure.reason, failure.detail].filter(Boolean).join(': ')
      })
    }
  }
  return failures
}
