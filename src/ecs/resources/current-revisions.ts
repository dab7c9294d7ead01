/**
 * Which agent tasks already run what this run wants. Usually that is the one revision this run
 * settled on; but two first runs racing each register a revision with the same content, and a
 * task of either counts as current. Runs that disagreed on this would each stop the other's task.
 */
import type { ECSClient, RegisterTaskDefinitionCommandInput, Task } from '@aws-sdk/client-ecs'
import { describeTaskDefinition, taskDefinitionChanges } from './task-definition.js'

export class CurrentRevisions {
  private readonly verdicts = new Map<string, Promise<boolean>>()

  constructor(
    private readonly ecs: ECSClient,
    private readonly desired: RegisterTaskDefinitionCommandInput,
    readonly arn: string,
    /** Verdicts the plan already reached on the revisions it observed. */
    known: ReadonlyMap<string, boolean> = new Map()
  ) {
    for (const [revision, current] of known) this.verdicts.set(revision, Promise.resolve(current))
    this.verdicts.set(arn, Promise.resolve(true))
  }

  /** Whether a revision has the desired content; each other revision is described once. */
  isCurrent(taskDefinitionArn: string): Promise<boolean> {
    let verdict = this.verdicts.get(taskDefinitionArn)
    if (!verdict) {
      verdict = describeTaskDefinition(this.ecs, taskDefinitionArn).then(
        existing => taskDefinitionChanges(existing, this.desired).length === 0
      )
      this.verdicts.set(taskDefinitionArn, verdict)
    }
    return verdict
  }

  /** The tasks running a current revision, in the order given. */
  async of(tasks: Task[]): Promise<Task[]> {
    const current = await Promise.all(
      tasks.map(task => this.isCurrent(task.taskDefinitionArn ?? ''))
    )
    return tasks.filter((_task, index) => current[index])
  }
}
