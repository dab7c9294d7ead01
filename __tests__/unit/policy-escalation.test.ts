/**
 * No shipped policy lets its holder escalate. Each attempt below is what an attacker holding a
 * pipeline's deploy role would try; each is simulated with resources and conditions against each
 * policy file and against all of them together, in every partition, and must be denied. Where IAM
 * cannot judge a request's content (what a new version of the agent's policy says), the agent's
 * permissions boundary caps the result, and the attempts to escape the boundary are here too.
 */
import { describe, expect, it } from '@jest/globals'
import { ACCOUNT, type Authorisation } from '../support/aws-authorisation.js'
import { PARTITIONS, policyFile, simulate, type PolicyFile } from '../support/policy-simulation.js'

const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`
const ecs = (resource: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:${resource}`
const AGENT_USER = iam('user/CloudAEye@prod.us-east-1')
const SEED_USER = iam('user/CloudAEyeServiceAccount')
const AGENT_POLICY = iam('policy/CloudAEyeServiceAccountPolicy')
const BOUNDARY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess'
const STACK = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/CloudAEyeServiceAccountStack/1`
const bounded = { 'iam:PermissionsBoundary': BOUNDARY }
const AGENT_ROLE = iam('role/CloudAEye@prod.us-east-1')

type Attempt = Omit<Authorisation, 'because'> & { what: string }

const ATTEMPTS: Attempt[] = [
  // Attach any other managed policy.
  {
    what: 'attach AdministratorAccess to the agent user',
    action: 'iam:AttachUserPolicy',
    resource: AGENT_USER,
    context: { 'iam:PolicyARN': ADMIN, ...bounded }
  },
  {
    what: "attach the agent's policy to the deployer itself",
    action: 'iam:AttachUserPolicy',
    resource: iam('user/deployer'),
    context: { 'iam:PolicyARN': AGENT_POLICY, ...bounded }
  },
  {
    what: "attach the agent's policy to the agent user while it has no boundary",
    action: 'iam:AttachUserPolicy',
    resource: AGENT_USER,
    context: { 'iam:PolicyARN': AGENT_POLICY }
  },
  {
    what: 'attach a policy to a role',
    action: 'iam:AttachRolePolicy',
    resource: iam('role/CloudAEyeAgentTask'),
    context: { 'iam:PolicyARN': ADMIN }
  },
  {
    what: 'attach a policy to a group',
    action: 'iam:AttachGroupPolicy',
    resource: iam('group/admins'),
    context: { 'iam:PolicyARN': ADMIN }
  },
  {
    what: 'add the agent user to a group',
    action: 'iam:AddUserToGroup',
    resource: iam('group/admins'),
    context: {}
  },
  // Put an inline policy.
  {
    what: 'put an inline policy on the agent user while it has no boundary',
    action: 'iam:PutUserPolicy',
    resource: AGENT_USER,
    context: {}
  },
  {
    what: 'put an inline policy on the deployer',
    action: 'iam:PutUserPolicy',
    resource: iam('user/deployer'),
    context: {}
  },
  {
    what: 'put an inline policy on a role',
    action: 'iam:PutRolePolicy',
    resource: iam('role/CloudAEyeAgentTask'),
    context: {}
  },
  // Create a policy version on anything but the agent's policy.
  {
    what: "write a new version of the deployer's own policy",
    action: 'iam:CreatePolicyVersion',
    resource: iam('policy/deployer-policy'),
    context: {}
  },
  {
    what: 'write a new version of the boundary',
    action: 'iam:CreatePolicyVersion',
    resource: BOUNDARY,
    context: {}
  },
  {
    what: 'make an old version of another policy the default',
    action: 'iam:SetDefaultPolicyVersion',
    resource: iam('policy/deployer-policy'),
    context: {}
  },
  // Create a user or role without the agent's permissions boundary.
  {
    what: 'create the agent user without a boundary',
    action: 'iam:CreateUser',
    resource: AGENT_USER,
    context: {}
  },
  {
    what: 'create the agent user with AdministratorAccess as its boundary',
    action: 'iam:CreateUser',
    resource: AGENT_USER,
    context: { 'iam:PermissionsBoundary': ADMIN }
  },
  {
    what: 'create another user, even within the boundary',
    action: 'iam:CreateUser',
    resource: iam('user/backdoor'),
    context: bounded
  },
  {
    what: 'create a role',
    action: 'iam:CreateRole',
    resource: iam('role/backdoor'),
    context: bounded
  },
  // The agent users of access-key: only ever within the boundary.
  {
    what: "create a key for the seed's shared user",
    action: 'iam:CreateAccessKey',
    resource: SEED_USER,
    context: {}
  },
  // The agent roles of irsa: only ever within the boundary.
  {
    what: 'create an agent role without a boundary',
    action: 'iam:CreateRole',
    resource: AGENT_ROLE,
    context: {}
  },
  {
    what: 'create an agent role with AdministratorAccess as its boundary',
    action: 'iam:CreateRole',
    resource: AGENT_ROLE,
    context: { 'iam:PermissionsBoundary': ADMIN }
  },
  {
    what: 'put an inline policy on a CloudAEye role that has no boundary',
    action: 'iam:PutRolePolicy',
    resource: iam('role/CloudAEyeTaskRole'),
    context: {}
  },
  {
    what: 'let anyone assume a CloudAEye role that has no boundary',
    action: 'iam:UpdateAssumeRolePolicy',
    resource: iam('role/CloudAEyeTaskRole'),
    context: {}
  },
  {
    what: 'attach AdministratorAccess to an agent role',
    action: 'iam:AttachRolePolicy',
    resource: AGENT_ROLE,
    context: { 'iam:PolicyARN': ADMIN, ...bounded }
  },
  {
    what: "remove an agent role's boundary",
    action: 'iam:DeleteRolePermissionsBoundary',
    resource: AGENT_ROLE,
    context: bounded
  },
  {
    what: "pass an admin role to EKS Pod Identity, for a pod of one's own",
    action: 'iam:PassRole',
    resource: iam('role/admin'),
    context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' }
  },
  {
    what: 'pass an agent role to EC2',
    action: 'iam:PassRole',
    resource: AGENT_ROLE,
    context: { 'iam:PassedToService': 'ec2.amazonaws.com' }
  },
  {
    what: "register GitHub's OIDC issuer, to trust a workflow of one's own",
    action: 'iam:CreateOpenIDConnectProvider',
    resource: iam('oidc-provider/token.actions.githubusercontent.com'),
    context: {}
  },
  {
    what: "add an audience to another tool's OIDC provider",
    action: 'iam:AddClientIDToOpenIDConnectProvider',
    resource: iam('oidc-provider/accounts.google.com'),
    context: {}
  },
  {
    what: "delete another user's access key",
    action: 'iam:DeleteAccessKey',
    resource: iam('user/admin'),
    context: {}
  },
  // Remove or change that boundary.
  {
    what: "remove the agent user's boundary",
    action: 'iam:DeleteUserPermissionsBoundary',
    resource: AGENT_USER,
    context: bounded
  },
  {
    what: "change the agent user's boundary",
    action: 'iam:PutUserPermissionsBoundary',
    resource: AGENT_USER,
    context: { 'iam:PermissionsBoundary': ADMIN }
  },
  {
    what: "change a role's boundary",
    action: 'iam:PutRolePermissionsBoundary',
    resource: iam('role/CloudAEyeAgentTask'),
    context: { 'iam:PermissionsBoundary': ADMIN }
  },
  // Create keys or logins for any other user.
  {
    what: 'create a key for the deployer',
    action: 'iam:CreateAccessKey',
    resource: iam('user/deployer'),
    context: {}
  },
  {
    what: 'create a key for an admin',
    action: 'iam:CreateAccessKey',
    resource: iam('user/admin'),
    context: {}
  },
  {
    what: 'give the agent user a console password',
    action: 'iam:CreateLoginProfile',
    resource: AGENT_USER,
    context: {}
  },
  // Pass any role but the agent's, or to any service but ECS tasks.
  {
    what: 'pass an admin role to ECS tasks',
    action: 'iam:PassRole',
    resource: iam('role/Admin'),
    context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }
  },
  {
    what: "pass the agent's role to EC2",
    action: 'iam:PassRole',
    resource: iam('role/CloudAEyeAgentTask'),
    context: { 'iam:PassedToService': 'ec2.amazonaws.com' }
  },
  {
    what: "pass the agent's role to CloudFormation",
    action: 'iam:PassRole',
    resource: iam('role/CloudAEyeAgentTask'),
    context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' }
  },
  // Act on other clusters' tasks or other task families.
  {
    what: 'stop a task in another cluster that the action did not start',
    action: 'ecs:StopTask',
    resource: ecs('task/payments/0123456789abcdef'),
    context: { 'ecs:cluster': ecs('cluster/payments') }
  },
  {
    what: 'tag an existing task so that it can be stopped',
    action: 'ecs:TagResource',
    resource: ecs('task/payments/0123456789abcdef'),
    context: { 'aws:RequestTag/cloudaeye:managed-by': 'metrics-agent-action' }
  },
  {
    what: 'register another family',
    action: 'ecs:RegisterTaskDefinition',
    resource: ecs('task-definition/payments:7'),
    context: {}
  },
  {
    what: 'run another family',
    action: 'ecs:RunTask',
    resource: ecs('task-definition/payments:7'),
    context: {}
  },
  {
    what: 'create a security group the action would not own',
    action: 'ec2:CreateSecurityGroup',
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
    context: {}
  },
  {
    what: 'open a security group',
    action: 'ec2:AuthorizeSecurityGroupIngress',
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
    context: {}
  },
  // ECS service mode: only the agent's service, tagged as the action's, of the agent's family.
  {
    what: 'update another service',
    action: 'ecs:UpdateService',
    resource: ecs('service/payments/payments-api'),
    context: {
      'ecs:cluster': ecs('cluster/payments'),
      'aws:ResourceTag/cloudaeye:managed-by': 'metrics-agent-action'
    }
  },
  {
    what: 'delete another service',
    action: 'ecs:DeleteService',
    resource: ecs('service/payments/payments-api'),
    context: {
      'ecs:cluster': ecs('cluster/payments'),
      'aws:ResourceTag/cloudaeye:managed-by': 'metrics-agent-action'
    }
  },
  {
    what: "update an untagged service of the agent's name",
    action: 'ecs:UpdateService',
    resource: ecs('service/payments/cloudaeye-metrics-agent'),
    context: { 'ecs:cluster': ecs('cluster/payments') }
  },
  {
    what: "delete an untagged service of the agent's name, in another cluster",
    action: 'ecs:DeleteService',
    resource: ecs('service/payments/cloudaeye-metrics-agent'),
    context: { 'ecs:cluster': ecs('cluster/payments') }
  },
  {
    what: "point the agent's service at another family",
    action: 'ecs:UpdateService',
    resource: ecs('service/prod/cloudaeye-metrics-agent'),
    context: {
      'ecs:cluster': ecs('cluster/prod'),
      'ecs:task-definition': ecs('task-definition/payments:7'),
      'aws:ResourceTag/cloudaeye:managed-by': 'metrics-agent-action'
    }
  },
  {
    what: "create an untagged service of the agent's name",
    action: 'ecs:CreateService',
    resource: ecs('service/payments/cloudaeye-metrics-agent'),
    context: {
      'ecs:cluster': ecs('cluster/payments'),
      'ecs:task-definition': ecs('task-definition/cloudaeye-metrics-agent:3')
    }
  },
  {
    what: "create a service of the agent's name running another family",
    action: 'ecs:CreateService',
    resource: ecs('service/payments/cloudaeye-metrics-agent'),
    context: {
      'ecs:cluster': ecs('cluster/payments'),
      'ecs:task-definition': ecs('task-definition/payments:7'),
      'aws:RequestTag/cloudaeye:managed-by': 'metrics-agent-action',
      'aws:TagKeys': ['cloudaeye:managed-by']
    }
  },
  {
    what: 'create another service',
    action: 'ecs:CreateService',
    resource: ecs('service/payments/payments-api'),
    context: {
      'ecs:cluster': ecs('cluster/payments'),
      'ecs:task-definition': ecs('task-definition/cloudaeye-metrics-agent:3'),
      'aws:RequestTag/cloudaeye:managed-by': 'metrics-agent-action',
      'aws:TagKeys': ['cloudaeye:managed-by']
    }
  },
  {
    what: "tag an untagged service of the agent's name as the action's",
    action: 'ecs:TagResource',
    resource: ecs('service/payments/cloudaeye-metrics-agent'),
    context: {
      'aws:RequestTag/cloudaeye:managed-by': 'metrics-agent-action',
      'aws:TagKeys': ['cloudaeye:managed-by']
    }
  },
  {
    what: 'tag another service, even one tagged as the action’s',
    action: 'ecs:TagResource',
    resource: ecs('service/payments/payments-api'),
    context: { 'aws:ResourceTag/cloudaeye:managed-by': 'metrics-agent-action' }
  },
  // ECS remove: delete only what the action made.
  {
    what: 'delete a role of the agent name without the boundary',
    action: 'iam:DeleteRole',
    resource: iam('role/CloudAEye.ecs@prod.us-east-1'),
    context: {}
  },
  {
    what: "delete another role's inline policy",
    action: 'iam:DeleteRolePolicy',
    resource: iam('role/payments-task'),
    context: bounded
  },
  {
    what: 'delete a security group the action did not make',
    action: 'ec2:DeleteSecurityGroup',
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
    context: {}
  },
  {
    what: 'delete a revision of another family, even one tagged as the action’s',
    action: 'ecs:DeleteTaskDefinitions',
    resource: ecs('task-definition/payments:7'),
    context: { 'aws:ResourceTag/cloudaeye:managed-by': 'metrics-agent-action' }
  },
  {
    what: "delete an untagged revision of the agent's family",
    action: 'ecs:DeleteTaskDefinitions',
    resource: ecs('task-definition/cloudaeye-metrics-agent:3'),
    context: {}
  },
  {
    what: 'delete another log group',
    action: 'logs:DeleteLogGroup',
    resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/payments`,
    context: {}
  },
  // What the agent's execution role reads and writes: only its own secret and log group.
  {
    what: 'read a secret other than the agent key',
    action: 'secretsmanager:GetSecretValue',
    resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:payments-db-AbCdEf`,
    context: {}
  },
  {
    what: 'write logs into another log group',
    action: 'logs:PutLogEvents',
    resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/payments:log-stream:app/app/0123`,
    context: {}
  },
  // Update the stack with another template, or write another stack.
  {
    what: 'update the stack with a template that makes a role',
    action: 'cloudformation:UpdateStack',
    resource: STACK,
    context: { 'cloudformation:ResourceTypes': ['AWS::IAM::User', 'AWS::IAM::Role'] }
  },
  {
    what: 'update the stack without declaring its resource types',
    action: 'cloudformation:UpdateStack',
    resource: STACK,
    context: {}
  },
  {
    what: 'update the stack through a service role',
    action: 'cloudformation:UpdateStack',
    resource: STACK,
    context: {
      'cloudformation:ResourceTypes': ['AWS::IAM::User'],
      'cloudformation:RoleArn': iam('role/cfn-admin')
    }
  },
  {
    what: 'create another stack',
    action: 'cloudformation:CreateStack',
    resource: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/backdoor/1`,
    context: { 'cloudformation:ResourceTypes': ['AWS::IAM::User'] }
  }
]

const SHIPPED = [
  'permissions/ecs.json',
  'permissions/ecs-cloud-services.json',
  'permissions/ecs-plan.json',
  'permissions/ecs-remove.json',
  'permissions/eks.json',
  'permissions/eks-cloud-services-irsa.json',
  'permissions/eks-cloud-services-pod-identity.json',
  'permissions/eks-cloud-services-access-key.json',
  'permissions/eks-cloud-services-irsa-plan.json',
  'permissions/eks-cloud-services-pod-identity-plan.json',
  'permissions/eks-cloud-services-access-key-plan.json',
  'permissions/eks-cloud-services-irsa-remove.json',
  'permissions/eks-cloud-services-pod-identity-remove.json',
  'permissions/eks-cloud-services-access-key-remove.json',
  // The agent's own ECS roles: a holder of the agent's credentials must not escalate either.
  'permissions/ecs-agent-execution-role.json',
  'permissions/ecs-agent-task-role.json'
]
const POLICY_SETS: [string, PolicyFile[]][] = [
  ...SHIPPED.map(file => [file, [policyFile(file)]] as [string, PolicyFile[]]),
  ['all of them together', SHIPPED.map(policyFile)]
]

async function allowedAttempts(policies: PolicyFile[]): Promise<string[]> {
  const allowed: string[] = []
  for (const partition of PARTITIONS) {
    for (const { what, ...attempt } of ATTEMPTS) {
      const verdict = await simulate({ ...attempt, because: what }, policies, partition)
      if (verdict.error) throw new Error(`${what}: the simulator refused it: ${verdict.error}`)
      if (verdict.allowed) allowed.push(`${partition.name}: ${what}`)
    }
  }
  return allowed
}

describe('no shipped policy lets its holder escalate', () => {
  it.each(POLICY_SETS)('%s denies every attempt, in every partition', async (_, policies) => {
    expect(await allowedAttempts(policies)).toEqual([])
  })

  it('would catch the grants these policies used to have', async () => {
    // What the policies granted before boundaries and scoping: each is an escalation.
    const loose: PolicyFile = {
      file: 'loose.json',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UserWithoutConditions',
            Effect: 'Allow',
            Action: ['iam:AttachUserPolicy', 'iam:CreateUser', 'iam:PutUserPolicy'],
            Resource: 'arn:aws:iam::*:user/CloudAEye*'
          },
          {
            Sid: 'PassAnyRoleToEcsTasks',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: '*',
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }
          },
          {
            Sid: 'AgentRolesWithoutTheBoundaryCondition',
            Effect: 'Allow',
            Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
            Resource: 'arn:aws:iam::*:role/CloudAEye*'
          },
          {
            Sid: 'StopAnyTask',
            Effect: 'Allow',
            Action: 'ecs:StopTask',
            Resource: 'arn:aws:ecs:*:*:task/*'
          }
        ]
      }
    }
    expect(await allowedAttempts([loose])).toEqual([
      'aws: attach AdministratorAccess to the agent user',
      "aws: attach the agent's policy to the agent user while it has no boundary",
      'aws: put an inline policy on the agent user while it has no boundary',
      'aws: put an inline policy on a role',
      'aws: create the agent user without a boundary',
      'aws: create the agent user with AdministratorAccess as its boundary',
      'aws: create an agent role without a boundary',
      'aws: create an agent role with AdministratorAccess as its boundary',
      'aws: put an inline policy on a CloudAEye role that has no boundary',
      'aws: let anyone assume a CloudAEye role that has no boundary',
      'aws: pass an admin role to ECS tasks',
      'aws: stop a task in another cluster that the action did not start',
      // Its ARNs name the commercial partition; only the unscoped PassRole works elsewhere.
      'aws-cn: pass an admin role to ECS tasks',
      'aws-us-gov: pass an admin role to ECS tasks'
    ])
  })
})

describe('rules AWS applies that the simulator does not know', () => {
  // AWS documents that iam:PassRole cannot be limited by the role's tags: a tag condition on it
  // would look safe in simulation and deny every real call, or be ignored.
  it('no PassRole grant rests on the tags of the role', () => {
    const tagConditioned = SHIPPED.flatMap(file =>
      policyFile(file)
        .document.Statement.filter(statement =>
          ([] as string[]).concat(statement.Action).includes('iam:PassRole')
        )
        .filter(statement => /ResourceTag\//.test(JSON.stringify(statement.Condition ?? {})))
        .map(statement => `${file} ${statement.Sid}`)
    )
    expect(tagConditioned).toEqual([])
  })

  it('every ARN in a policy matches every partition', () => {
    const commercialOnly = SHIPPED.flatMap(file =>
      [...JSON.stringify(policyFile(file).document).matchAll(/"(arn:aws:[^"]*)"/g)].map(
        match => `${file}: ${match[1]}`
      )
    )
    expect(commercialOnly).toEqual([])
  })
})
