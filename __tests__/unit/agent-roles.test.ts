/**
 * The roles a newcomer makes by hand from permissions/: the agent's own ECS roles and the trusts of
 * the workflow roles. The task role must be exactly the role the action makes itself (policy and
 * trust), so the two cannot drift. The execution role's policy and the agent trusts are judged by
 * the IAM policy simulator in every partition: what the agent needs is allowed, its neighbours are
 * denied. The simulator does not know GitHub's OIDC condition keys, so the workflow trusts are held
 * to their exact form instead, and a test notices when the simulator learns those keys.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { desiredPolicyDocument } from '../../src/cloud-services/policy-document.js'
import { ecsTaskTrust } from '../../src/cloud-services/trust-policies.js'
import { ACCOUNT, type Authorisation } from '../support/aws-authorisation.js'
import {
  PARTITIONS,
  grantsOffered,
  policyFile,
  simulate,
  type Partition,
  type PolicyFile
} from '../support/policy-simulation.js'

type Document = { Version: string; Statement: Record<string, unknown>[] }

const read = (file: string): Document =>
  JSON.parse(readFileSync(new URL(`../../permissions/${file}`, import.meta.url), 'utf8'))

const OTHER_ACCOUNT = '210987654321'
const LOG_GROUP = '/ecs/cloudaeye-metrics-agent'
const logs = (resource: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:${resource}`
const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}`
// What awslogs writes: a stream `<prefix>/<container>/<task id>` in the agent's group.
const STREAM = `log-group:${LOG_GROUP}:log-stream:agent/agent/0123456789abcdef0123456789abcdef`

describe("the agent's task role", () => {
  it('has exactly the policy the action gives the task role it makes', () => {
    expect(read('ecs-agent-task-role.json')).toEqual(desiredPolicyDocument())
  })

  it('has exactly the trust the action gives that role, with placeholders for the account and region', () => {
    expect(read('ecs-agent-task-trust.json')).toEqual(ecsTaskTrust('ACCOUNT_ID', 'aws', 'REGION'))
  })
})

describe("the agent's execution role policy", () => {
  const EXECUTION = policyFile('permissions/ecs-agent-execution-role.json')

  const NEEDED: Authorisation[] = [
    {
      action: 'logs:CreateLogGroup',
      resource: logs(`log-group:${LOG_GROUP}:*`),
      context: {},
      because: 'awslogs-create-group on the first start'
    },
    {
      action: 'logs:CreateLogStream',
      resource: logs(STREAM),
      context: {},
      because: "awslogs, the task's stream"
    },
    {
      action: 'logs:PutLogEvents',
      resource: logs(STREAM),
      context: {},
      because: "awslogs, the agent's output"
    },
    {
      action: 'secretsmanager:GetSecretValue',
      resource: secret('cloudaeye-api-key-AbCdEf'),
      context: {},
      because: 'the API key, as the container secret CLOUDAEYE_API_KEY'
    }
  ]

  const NEIGHBOURS: Authorisation[] = [
    {
      action: 'logs:CreateLogGroup',
      resource: logs('log-group:/ecs/payments:*'),
      context: {},
      because: 'another log group'
    },
    {
      action: 'logs:PutLogEvents',
      resource: logs('log-group:/ecs/payments:log-stream:app/app/0123'),
      context: {},
      because: "another group's stream"
    },
    {
      action: 'logs:PutLogEvents',
      resource: logs(`log-group:${LOG_GROUP}-old:log-stream:agent/agent/0123`),
      context: {},
      because: "a group whose name starts with the agent's"
    },
    {
      action: 'logs:DeleteLogGroup',
      resource: logs(`log-group:${LOG_GROUP}:*`),
      context: {},
      because: "deleting the agent's own history"
    },
    {
      action: 'secretsmanager:GetSecretValue',
      resource: secret('payments-db-AbCdEf'),
      context: {},
      because: 'another secret'
    },
    {
      action: 'secretsmanager:GetSecretValue',
      resource: secret('cloudaeye-api-key-old-AbCdEf'),
      context: {},
      because: "a secret whose name starts with the key's"
    },
    {
      action: 'secretsmanager:PutSecretValue',
      resource: secret('cloudaeye-api-key-AbCdEf'),
      context: {},
      because: 'changing the key'
    }
  ]

  /** `partition: because` of each request the policies allow. */
  async function allowed(requests: Authorisation[], policies: PolicyFile[]): Promise<string[]> {
    const result: string[] = []
    for (const partition of PARTITIONS) {
      for (const request of requests) {
        const verdict = await simulate(request, policies, partition)
        if (verdict.error) throw new Error(`${request.because}: ${verdict.error}`)
        if (verdict.allowed) result.push(`${partition.name}: ${request.because}`)
      }
    }
    return result
  }

  const everywhere = (requests: Authorisation[]) =>
    PARTITIONS.flatMap(partition => requests.map(r => `${partition.name}: ${r.because}`))

  it('allows what the agent needs to start, in every partition', async () => {
    expect(await allowed(NEEDED, [EXECUTION])).toEqual(everywhere(NEEDED))
  })

  it("denies another log group, another secret and changing the agent's own", async () => {
    expect(await allowed(NEIGHBOURS, [EXECUTION])).toEqual([])
  })

  it('grants nothing the agent does not use', async () => {
    const used = new Set<string>()
    for (const partition of PARTITIONS) {
      for (const request of NEEDED) {
        for (const grant of (await simulate(request, [EXECUTION], partition)).grants)
          used.add(grant)
      }
    }
    expect(grantsOffered([EXECUTION]).filter(grant => !used.has(grant))).toEqual([])
  })

  it('would catch a policy on every log group and secret (self-check)', async () => {
    const loose: PolicyFile = {
      file: 'loose.json',
      document: {
        Version: '2012-10-17',
        Statement: EXECUTION.document.Statement.map(statement => ({ ...statement, Resource: '*' }))
      }
    }
    expect(await allowed(NEIGHBOURS, [loose])).toEqual(
      everywhere(NEIGHBOURS.filter(r => !/DeleteLogGroup|PutSecretValue/.test(r.action)))
    )
  })
})

/** A trust policy with the placeholders filled in, as the README says, for the partition. */
function filledIn(file: string, partition: Partition): Document {
  return JSON.parse(
    JSON.stringify(read(file))
      .replaceAll('ACCOUNT_ID', ACCOUNT)
      .replaceAll('REGION', partition.region)
      .replaceAll('arn:aws:', `arn:${partition.name}:`)
  )
}

interface Assumption {
  what: string
  principal: string
  action: string
  context: Record<string, string>
}

/** Whether the trust lets the principal assume the role; throws on anything it cannot judge. */
async function trusts(
  trust: Document,
  { principal, action, context }: Assumption,
  partition: Partition
): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: {
          resource: `arn:${partition.name}:iam::${ACCOUNT}:role/CloudAEyeAgent`,
          accountId: ACCOUNT
        },
        contextVariables: context
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust
    },
    {}
  )
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors))
  if (result.resultType !== 'single') throw new Error(`unexpected ${result.resultType} result`)
  // A context key the simulator drops would make a condition fail for the wrong reason.
  expect(result.result.ignoredContextKeys ?? []).toEqual([])
  return result.overallResult === 'Allowed'
}

describe('the agent trusts', () => {
  const taskArn = (partition: Partition, region: string, account: string) =>
    `arn:${partition.name}:ecs:${region}:${account}:task/prod/0123456789abcdef0123456789abcdef`

  const assumptions = (partition: Partition): Assumption[] => [
    {
      what: 'an ECS task of the account in the region',
      principal: 'ecs-tasks.amazonaws.com',
      action: 'sts:AssumeRole',
      context: {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': taskArn(partition, partition.region, ACCOUNT)
      }
    },
    {
      what: 'an ECS task of the account in another region',
      principal: 'ecs-tasks.amazonaws.com',
      action: 'sts:AssumeRole',
      context: {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': taskArn(partition, 'eu-central-1', ACCOUNT)
      }
    },
    {
      what: 'an ECS task of another account',
      principal: 'ecs-tasks.amazonaws.com',
      action: 'sts:AssumeRole',
      context: {
        'aws:SourceAccount': OTHER_ACCOUNT,
        'aws:SourceArn': taskArn(partition, partition.region, OTHER_ACCOUNT)
      }
    },
    {
      what: 'ECS tasks, saying for no one',
      principal: 'ecs-tasks.amazonaws.com',
      action: 'sts:AssumeRole',
      context: {}
    },
    {
      what: 'EC2, for the account',
      principal: 'ec2.amazonaws.com',
      action: 'sts:AssumeRole',
      context: {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': taskArn(partition, partition.region, ACCOUNT)
      }
    }
  ]

  async function admitted(file: string): Promise<string[]> {
    const result: string[] = []
    for (const partition of PARTITIONS) {
      const trust = filledIn(file, partition)
      for (const assumption of assumptions(partition)) {
        if (await trusts(trust, assumption, partition))
          result.push(`${partition.name}: ${assumption.what}`)
      }
    }
    return result
  }

  const inEveryPartition = (...what: string[]) =>
    PARTITIONS.flatMap(partition => what.map(w => `${partition.name}: ${w}`))

  it("the task role's admits ECS tasks of the account in the region only", async () => {
    expect(await admitted('ecs-agent-task-trust.json')).toEqual(
      inEveryPartition('an ECS task of the account in the region')
    )
  })

  // AWS documents the execution role's trust without conditions; one that ECS does not satisfy
  // when it starts the task would keep the agent from starting. It admits ECS tasks, nothing else.
  it("the execution role's admits ECS tasks only, as AWS documents it", async () => {
    expect(await admitted('ecs-agent-execution-trust.json')).toEqual(
      inEveryPartition(
        'an ECS task of the account in the region',
        'an ECS task of the account in another region',
        'an ECS task of another account',
        'ECS tasks, saying for no one'
      )
    )
  })

  it('would catch a task role trust without conditions (self-check)', async () => {
    const open: Document = read('ecs-agent-task-trust.json')
    const bare = {
      ...open,
      Statement: open.Statement.map(({ Condition: _condition, ...rest }) => rest)
    }
    const partition = PARTITIONS[0]
    const results = await Promise.all(
      assumptions(partition).map(async a => [a.what, await trusts(bare, a, partition)] as const)
    )
    expect(results.filter(([, allowed]) => allowed).map(([what]) => what)).toEqual([
      'an ECS task of the account in the region',
      'an ECS task of the account in another region',
      'an ECS task of another account',
      'ECS tasks, saying for no one'
    ])
  })
})

describe('the OIDC trusts of the workflow roles', () => {
  const PROVIDER = 'arn:aws:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com'
  const HOST = 'token.actions.githubusercontent.com'

  /** The one form a workflow trust may take: GitHub's provider, for STS, one exact subject. */
  const exactly = (sid: string, sub: string): Document => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: sub } }
      }
    ]
  })

  it('the deploy role admits workflows on the main branch of the repository only', () => {
    expect(read('github-oidc-trust-deploy.json')).toEqual(
      exactly('WorkflowsOfTheMainBranch', 'repo:OWNER/REPO:ref:refs/heads/main')
    )
  })

  it("the plan role admits the repository's pull requests only", () => {
    expect(read('github-oidc-trust-plan.json')).toEqual(
      exactly('PullRequestWorkflows', 'repo:OWNER/REPO:pull_request')
    )
  })

  it('no subject of one role is a subject of the other', () => {
    const subject = (file: string) =>
      (read(file).Statement[0].Condition as Record<string, Record<string, string>>).StringEquals[
        `${HOST}:sub`
      ]
    expect(subject('github-oidc-trust-deploy.json')).not.toEqual(
      subject('github-oidc-trust-plan.json')
    )
  })

  // Why they are not simulated: the simulator drops GitHub's keys for this action, so every
  // condition would fail and every request be denied, whatever the trust says. When it learns
  // them, this fails: then simulate the trusts as the agent trusts are simulated above.
  it('cannot be simulated yet: the simulator ignores GitHub condition keys', async () => {
    const result = await runSimulation(
      {
        request: {
          principal: PROVIDER.replace('ACCOUNT_ID', ACCOUNT),
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: { resource: `arn:aws:iam::${ACCOUNT}:role/deploy`, accountId: ACCOUNT },
          contextVariables: {
            [`${HOST}:aud`]: 'sts.amazonaws.com',
            [`${HOST}:sub`]: 'repo:OWNER/REPO:ref:refs/heads/main'
          }
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: filledIn('github-oidc-trust-deploy.json', PARTITIONS[0])
      },
      {}
    )
    expect(result.resultType === 'single' && result.result.ignoredContextKeys).toEqual([
      `${HOST}:aud`,
      `${HOST}:sub`
    ])
  })
})
