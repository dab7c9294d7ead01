/**
 * What IAM checks for each AWS call a run made: the action, the resource ARN it authorises
 * against, and the condition keys AWS puts in the request context. The emulator judges actions
 * only, so this is what lets a policy's resources and conditions be judged at all (by
 * policy-simulation.ts). It follows the Service Authorization Reference for each operation,
 * including the calls AWS authorises on the caller's behalf: tagging on create, passing a role.
 *
 * An operation without a rule here fails loudly: a new call must be modelled before it is trusted.
 */
import type { AwsExchange } from './aws-request-recorder.js'

/** The emulator's account. */
export const ACCOUNT = '123456789012'

export interface Authorisation {
  action: string
  /** An ARN, or `*` for an action that AWS authorises on no particular resource. */
  resource: string
  context: Record<string, string | string[]>
  /** The call that needs it: `ecs:RunTask`. */
  because: string
}

type Params = Record<string, unknown>
type Tags = Record<string, string>

const arn = (service: string, region: string, resource: string) =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`
const iamArn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`
const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** Query-protocol tags: `Tags.member.N.Key/Value`, or EC2's `...Tag.N.Key/Value`. */
function queryTags(params: Params, prefix: string): Tags {
  const tags: Tags = {}
  for (let n = 1; ; n++) {
    const key = params[`${prefix}.member.${n}.Key`] ?? params[`${prefix}.${n}.Key`]
    if (key === undefined) return tags
    tags[text(key)] =
      text(params[`${prefix}.member.${n}.Value`]) || text(params[`${prefix}.${n}.Value`])
  }
}

function ec2Tags(params: Params, resourceType: string): Tags {
  for (let n = 1; params[`TagSpecification.${n}.ResourceType`] !== undefined; n++) {
    if (params[`TagSpecification.${n}.ResourceType`] === resourceType) {
      return queryTags(params, `TagSpecification.${n}.Tag`)
    }
  }
  return {}
}

const ecsTags = (list: unknown): Tags =>
  Object.fromEntries(
    ((list as { key: string; value: string }[] | undefined) ?? []).map(tag => [tag.key, tag.value])
  )

/** The condition keys AWS sets from the tags a request puts on what it creates. */
function requestTags(tags: Tags): Record<string, string | string[]> {
  const keys = Object.keys(tags)
  if (keys.length === 0) return {}
  return {
    ...Object.fromEntries(keys.map(key => [`aws:RequestTag/${key}`, tags[key]])),
    'aws:TagKeys': keys
  }
}

const resourceTags = (tags: Tags | undefined) =>
  Object.fromEntries(
    Object.entries(tags ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value])
  )

const xmlValue = (xml: string, element: string) =>
  new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1]

/**
 * What AWS knows about existing resources and puts in the context of later calls: a task's tags
 * (for StopTask), the roles a task definition passes (for RunTask), a user's boundary (for
 * AttachUserPolicy). Learnt from the answers the recorder saw, across every run of the process,
 * so that one run's call on another run's resource is judged as AWS would judge it.
 */
class KnownResources {
  readonly taskTags = new Map<string, Tags>()
  readonly taskDefinitionRoles = new Map<string, string[]>()
  readonly userBoundaries = new Map<string, string | undefined>()
  readonly roleBoundaries = new Map<string, string | undefined>()
  /** ECS remove: the tags DeleteTaskDefinitions and DeleteSecurityGroup are judged by. */
  readonly taskDefinitionTags = new Map<string, Tags>()
  readonly securityGroupTags = new Map<string, Tags>()
  /** ECS service mode: a service's tags (UpdateService, DeleteService, TagResource), by ARN. */
  readonly serviceTags = new Map<string, Tags>()

  learn(exchange: AwsExchange): void {
    if (exchange.status !== 200) return
    const { service, operation, params } = exchange
    if (service === 'ecs') this.learnEcs(operation, params, parseJson(exchange.answer))
    if (service === 'iam') this.learnIam(operation, params, exchange.answer)
    if (service === 'ec2') this.learnEc2(operation, params, exchange.answer)
  }

  private learnEc2(operation: string, params: Params, answer: string): void {
    if (operation === 'CreateSecurityGroup') {
      const id = xmlValue(answer, 'groupId')
      if (id) this.securityGroupTags.set(id, ec2Tags(params, 'security-group'))
    }
    if (operation === 'DescribeSecurityGroups') {
      for (const group of topLevelItems(answer, 'securityGroupInfo')) {
        // Rules name other groups too; only the group's own fields are read.
        const own = group.replace(/<ipPermissions(Egress)?>[\s\S]*?<\/ipPermissions(Egress)?>/g, '')
        const id = xmlValue(own, 'groupId')
        if (id) this.securityGroupTags.set(id, xmlTags(own))
      }
    }
  }

  private learnEcs(operation: string, params: Params, answer: Params): void {
    const remember = (definition: Params | undefined) => {
      if (!definition?.taskDefinitionArn) return
      this.taskDefinitionRoles.set(
        text(definition.taskDefinitionArn),
        [definition.taskRoleArn, definition.executionRoleArn].map(text).filter(Boolean)
      )
    }
    if (operation === 'CreateService' || operation === 'DescribeServices') {
      const services =
        operation === 'CreateService'
          ? [{ ...(answer.service as Params | undefined), tags: params.tags }]
          : ((answer.services as Params[] | undefined) ?? [])
      for (const service of services) {
        if (!service.serviceName || !service.clusterArn) continue
        const serviceArn = ecsServiceArn(text(service.clusterArn), text(service.serviceName))
        this.serviceTags.set(serviceArn, ecsTags(service.tags))
      }
    }
    if (operation === 'TagResource' && text(params.resourceArn).includes(':service/')) {
      const serviceArn = text(params.resourceArn)
      this.serviceTags.set(serviceArn, {
        ...this.serviceTags.get(serviceArn),
        ...ecsTags(params.tags)
      })
    }
    if (operation === 'RunTask') {
      for (const task of (answer.tasks as Params[] | undefined) ?? []) {
        this.taskTags.set(text(task.taskArn), ecsTags(params.tags))
      }
    }
    if (operation === 'DescribeTasks') {
      for (const task of (answer.tasks as Params[] | undefined) ?? []) {
        if (task.tags) this.taskTags.set(text(task.taskArn), ecsTags(task.tags))
      }
    }
    if (operation === 'RegisterTaskDefinition' || operation === 'DescribeTaskDefinition') {
      remember(answer.taskDefinition as Params | undefined)
      const definition = text((answer.taskDefinition as Params | undefined)?.taskDefinitionArn)
      const tags = operation === 'RegisterTaskDefinition' ? params.tags : answer.tags
      if (definition && tags) this.taskDefinitionTags.set(definition, ecsTags(tags))
    }
  }

  private learnIam(operation: string, params: Params, answer: string): void {
    if (operation === 'CreateUser' || operation === 'PutUserPermissionsBoundary') {
      this.userBoundaries.set(text(params.UserName), text(params.PermissionsBoundary) || undefined)
    }
    if (operation === 'GetUser') {
      const name = xmlValue(answer, 'UserName')
      if (name) this.userBoundaries.set(name, xmlValue(answer, 'PermissionsBoundaryArn'))
    }
    if (operation === 'CreateRole') {
      this.roleBoundaries.set(text(params.RoleName), text(params.PermissionsBoundary) || undefined)
    }
    if (operation === 'GetRole') {
      const name = xmlValue(answer, 'RoleName')
      if (name) this.roleBoundaries.set(name, xmlValue(answer, 'PermissionsBoundaryArn'))
    }
  }
}

/** The `<item>`s directly inside an EC2 answer's list element, each as its own XML. */
function topLevelItems(xml: string, list: string): string[] {
  const start = xml.indexOf(`<${list}>`)
  if (start < 0) return []
  const items: string[] = []
  let depth = 0
  let itemStart = 0
  const tags = /<(\/?)item>|<\/([A-Za-z]+)>/g
  tags.lastIndex = start + list.length + 2
  for (let match = tags.exec(xml); match; match = tags.exec(xml)) {
    if (match[2] === list && depth === 0) break
    if (match[2] !== undefined) continue
    if (match[1] === '') {
      if (depth === 0) itemStart = match.index
      depth++
    } else if (--depth === 0) items.push(xml.slice(itemStart, match.index + '</item>'.length))
  }
  return items
}

/** An EC2 resource's `<tagSet>` as tags. */
function xmlTags(xml: string): Tags {
  const set = /<tagSet>([\s\S]*?)<\/tagSet>/.exec(xml)?.[1] ?? ''
  return Object.fromEntries(
    [...set.matchAll(/<key>([^<]*)<\/key>\s*<value>([^<]*)<\/value>/g)].map(m => [m[1], m[2]])
  )
}

function parseJson(body: string): Params {
  try {
    return JSON.parse(body) as Params
  } catch {
    return {}
  }
}

type Rule = (exchange: AwsExchange, known: KnownResources) => Omit<Authorisation, 'because'>[]

const anyResource =
  (action: string): Rule =>
  () => [{ action, resource: '*', context: {} }]

const ecsCluster = (region: string, cluster: unknown) => {
  const name = text(cluster) || 'default'
  return name.startsWith('arn:') ? name : arn('ecs', region, `cluster/${name}`)
}
const clusterName = (clusterArn: string) => clusterArn.split('/').pop() ?? ''
/** A service's ARN: `service/<cluster>/<name>` in the cluster's region and account. */
function ecsServiceArn(clusterArn: string, service: string): string {
  if (service.startsWith('arn:')) return service
  const [, , , region, account] = clusterArn.split(':')
  return `arn:aws:ecs:${region}:${account}:service/${clusterName(clusterArn)}/${service}`
}

const onUser: (action: string) => Rule =
  action =>
  ({ params }) => [{ action, resource: iamArn(`user/${text(params.UserName)}`), context: {} }]
const onPolicy: (action: string) => Rule =
  action =>
  ({ params }) => [{ action, resource: text(params.PolicyArn), context: {} }]

/**
 * A call on a role by name. Roles the action makes have the default path, so the ARN is the
 * name's; IAM adds the role's boundary to the context of the actions that support the key.
 */
const onRole: (action: string, withBoundary?: boolean) => Rule =
  (action, withBoundary = false) =>
  ({ params }, known) => {
    const boundary = withBoundary ? known.roleBoundaries.get(text(params.RoleName)) : undefined
    return [
      {
        action,
        resource: iamArn(`role/${text(params.RoleName)}`),
        context: (boundary ? { 'iam:PermissionsBoundary': boundary } : {}) as Record<string, string>
      }
    ]
  }
const onProvider: (action: string) => Rule =
  action =>
  ({ params }) => [{ action, resource: text(params.OpenIDConnectProviderArn), context: {} }]

const onEksCluster: (action: string) => Rule =
  action =>
  ({ params, region }) => [
    { action, resource: arn('eks', region, `cluster/${text(params.clusterName)}`), context: {} }
  ]
const onAssociation: (action: string) => Rule =
  action =>
  ({ params, region }) => [
    {
      action,
      resource: arn(
        'eks',
        region,
        `podidentityassociation/${text(params.clusterName)}/${text(params.associationId)}`
      ),
      context: {}
    }
  ]
/** EKS passes the role to its Pod Identity service when an association names it. */
const passToPodIdentity = (role: unknown) => ({
  action: 'iam:PassRole',
  resource: text(role),
  context: { 'iam:PassedToService': 'pods.eks.amazonaws.com' }
})

const passRoles = (roles: string[]) =>
  roles.map(role => ({
    action: 'iam:PassRole',
    resource: role,
    context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }
  }))

const RULES: Record<string, Rule> = {
  'ec2:DescribeSubnets': anyResource('ec2:DescribeSubnets'),
  'ec2:DescribeSecurityGroups': anyResource('ec2:DescribeSecurityGroups'),
  'ec2:DescribeVpcs': anyResource('ec2:DescribeVpcs'),
  'ec2:CreateSecurityGroup': ({ params, region, answer }) => {
    const group = arn(
      'ec2',
      region,
      `security-group/${xmlValue(answer, 'groupId') ?? 'sg-00000000'}`
    )
    const tags = ec2Tags(params, 'security-group')
    return [
      { action: 'ec2:CreateSecurityGroup', resource: group, context: requestTags(tags) },
      {
        action: 'ec2:CreateSecurityGroup',
        resource: arn('ec2', region, `vpc/${text(params.VpcId)}`),
        context: {}
      },
      ...(Object.keys(tags).length
        ? [
            {
              action: 'ec2:CreateTags',
              resource: group,
              context: { 'ec2:CreateAction': 'CreateSecurityGroup', ...requestTags(tags) }
            }
          ]
        : [])
    ]
  },
  'ecs:ListTaskDefinitionFamilies': anyResource('ecs:ListTaskDefinitionFamilies'),
  'ecs:DescribeTaskDefinition': anyResource('ecs:DescribeTaskDefinition'),
  'ecs:ListTasks': ({ params, region }) => {
    const cluster = ecsCluster(region, params.cluster)
    return [
      {
        action: 'ecs:ListTasks',
        resource: arn('ecs', region, `container-instance/${clusterName(cluster)}/*`),
        context: { 'ecs:cluster': cluster }
      }
    ]
  },
  // ECS service mode (ecs-run-as): the agent's service. DescribeServices names a service resource
  // (`service/<cluster>/<name>`) and takes the ecs:cluster condition key, per the service
  // authorization reference for Amazon ECS.
  'ecs:DescribeServices': ({ params, region }) => {
    const cluster = ecsCluster(region, params.cluster)
    return ((params.services as string[]) ?? []).map(service => ({
      action: 'ecs:DescribeServices',
      resource: service.startsWith('arn:')
        ? service
        : arn('ecs', region, `service/${clusterName(cluster)}/${service}`),
      context: { 'ecs:cluster': cluster }
    }))
  },
  // ECS service mode, continued: the changes to the agent's service. Service Authorization
  // Reference for Amazon ECS: CreateService, UpdateService and DeleteService are on the service
  // resource (`service/<cluster>/<name>`) with ecs:cluster; CreateService takes the request's tags
  // (aws:RequestTag, aws:TagKeys) and ecs:task-definition, UpdateService ecs:task-definition when
  // it names one, UpdateService and DeleteService the service's tags (aws:ResourceTag). Tags given
  // to CreateService are authorised as ecs:TagResource with ecs:CreateAction (the ECS developer
  // guide, "Grant permission to tag resources on creation"); a TagResource call on its own is
  // judged on the resource with its tags. A service that names a task definition with roles passes
  // them, as RunTask does (iam:PassRole to ecs-tasks.amazonaws.com).
  'ecs:CreateService': ({ params, region, answer }, known) => {
    const cluster = ecsCluster(region, params.cluster)
    const serviceArn = ecsServiceArn(cluster, text(params.serviceName))
    const definition = text(params.taskDefinition)
    const tags = ecsTags(params.tags)
    const roles = known.taskDefinitionRoles.get(definition)
    if (roles === undefined) {
      throw new Error(
        `CreateService of ${definition}: its roles are unknown (neither registered nor described in a recorded run)`
      )
    }
    const created = text((parseJson(answer).service as Params | undefined)?.serviceArn)
    return [
      {
        action: 'ecs:CreateService',
        resource: serviceArn,
        context: {
          'ecs:cluster': cluster,
          'ecs:task-definition': definition,
          ...requestTags(tags)
        }
      },
      ...(Object.keys(tags).length
        ? [
            {
              action: 'ecs:TagResource',
              resource: created || serviceArn,
              context: { 'ecs:CreateAction': 'CreateService', ...requestTags(tags) }
            }
          ]
        : []),
      ...passRoles(roles)
    ]
  },
  'ecs:UpdateService': ({ params, region }, known) => {
    const cluster = ecsCluster(region, params.cluster)
    const serviceArn = ecsServiceArn(cluster, text(params.service))
    const definition = text(params.taskDefinition)
    const roles = definition ? known.taskDefinitionRoles.get(definition) : []
    if (roles === undefined) {
      throw new Error(`UpdateService to ${definition}: its roles are unknown`)
    }
    return [
      {
        action: 'ecs:UpdateService',
        resource: serviceArn,
        context: {
          'ecs:cluster': cluster,
          ...(definition ? { 'ecs:task-definition': definition } : {}),
          ...resourceTags(known.serviceTags.get(serviceArn))
        }
      },
      ...passRoles(roles)
    ]
  },
  'ecs:DeleteService': ({ params, region }, known) => {
    const cluster = ecsCluster(region, params.cluster)
    const serviceArn = ecsServiceArn(cluster, text(params.service))
    return [
      {
        action: 'ecs:DeleteService',
        resource: serviceArn,
        context: { 'ecs:cluster': cluster, ...resourceTags(known.serviceTags.get(serviceArn)) }
      }
    ]
  },
  'ecs:TagResource': ({ params }, known) => {
    const resource = text(params.resourceArn)
    return [
      {
        action: 'ecs:TagResource',
        resource,
        context: {
          ...requestTags(ecsTags(params.tags)),
          ...resourceTags(known.serviceTags.get(resource))
        }
      }
    ]
  },
  'ecs:DescribeTasks': ({ params, region }) => {
    const cluster = ecsCluster(region, params.cluster)
    return ((params.tasks as string[]) ?? []).map(task => ({
      action: 'ecs:DescribeTasks',
      resource: task.startsWith('arn:')
        ? task
        : arn('ecs', region, `task/${clusterName(cluster)}/${task}`),
      context: { 'ecs:cluster': cluster }
    }))
  },
  'ecs:RegisterTaskDefinition': ({ params, region, answer }) => {
    const registered = text(
      (parseJson(answer).taskDefinition as Params | undefined)?.taskDefinitionArn
    )
    const definition = registered || arn('ecs', region, `task-definition/${text(params.family)}:*`)
    const tags = ecsTags(params.tags)
    return [
      {
        action: 'ecs:RegisterTaskDefinition',
        resource: definition,
        context: {
          ...requestTags(tags),
          ...(params.cpu ? { 'ecs:task-cpu': text(params.cpu) } : {}),
          ...(params.memory ? { 'ecs:task-memory': text(params.memory) } : {})
        }
      },
      ...(Object.keys(tags).length
        ? [
            {
              action: 'ecs:TagResource',
              resource: definition,
              context: { 'ecs:CreateAction': 'RegisterTaskDefinition', ...requestTags(tags) }
            }
          ]
        : []),
      ...passRoles([params.taskRoleArn, params.executionRoleArn].map(text).filter(Boolean))
    ]
  },
  'ecs:RunTask': ({ params, region, answer }, known) => {
    const cluster = ecsCluster(region, params.cluster)
    const requested = text(params.taskDefinition)
    const definition = requested.startsWith('arn:')
      ? requested
      : arn(
          'ecs',
          region,
          `task-definition/${requested.includes(':') ? requested : `${requested}:*`}`
        )
    const tags = ecsTags(params.tags)
    const started = ((parseJson(answer).tasks as Params[] | undefined) ?? []).map(task =>
      text(task.taskArn)
    )
    const roles = known.taskDefinitionRoles.get(definition)
    if (roles === undefined) {
      throw new Error(
        `RunTask of ${definition}: its roles are unknown (neither registered nor described in a recorded run)`
      )
    }
    return [
      {
        action: 'ecs:RunTask',
        resource: definition,
        context: { 'ecs:cluster': cluster, ...requestTags(tags) }
      },
      ...(Object.keys(tags).length
        ? (started.length ? started : [arn('ecs', region, `task/${clusterName(cluster)}/*`)]).map(
            task => ({
              action: 'ecs:TagResource',
              resource: task,
              context: { 'ecs:CreateAction': 'RunTask', ...requestTags(tags) }
            })
          )
        : []),
      ...passRoles(roles)
    ]
  },
  'ecs:StopTask': ({ params, region }, known) => {
    const cluster = ecsCluster(region, params.cluster)
    const task = text(params.task)
    const taskArn = task.startsWith('arn:')
      ? task
      : arn('ecs', region, `task/${clusterName(cluster)}/${task}`)
    return [
      {
        action: 'ecs:StopTask',
        resource: taskArn,
        context: { 'ecs:cluster': cluster, ...resourceTags(known.taskTags.get(taskArn)) }
      }
    ]
  },
  'eks:DescribeCluster': ({ params, region }) => [
    {
      action: 'eks:DescribeCluster',
      resource: arn('eks', region, `cluster/${text(params.name)}`),
      context: {}
    }
  ],
  // EKS Pod Identity, whose calls the tests answer with mocks: params are the SDK's input.
  'eks:DescribeAddon': ({ params, region }) => [
    {
      action: 'eks:DescribeAddon',
      resource: arn(
        'eks',
        region,
        `addon/${text(params.clusterName)}/${text(params.addonName)}/00000000-0000-0000-0000-000000000000`
      ),
      context: {}
    }
  ],
  'eks:ListPodIdentityAssociations': onEksCluster('eks:ListPodIdentityAssociations'),
  'eks:CreatePodIdentityAssociation': ({ params, region }) => [
    {
      action: 'eks:CreatePodIdentityAssociation',
      resource: arn('eks', region, `cluster/${text(params.clusterName)}`),
      context: {}
    },
    passToPodIdentity(params.roleArn)
  ],
  'eks:DescribePodIdentityAssociation': onAssociation('eks:DescribePodIdentityAssociation'),
  'eks:UpdatePodIdentityAssociation': (exchange, known) => [
    ...onAssociation('eks:UpdatePodIdentityAssociation')(exchange, known),
    ...(exchange.params.roleArn ? [passToPodIdentity(exchange.params.roleArn)] : [])
  ],
  'logs:DescribeLogGroups': anyResource('logs:DescribeLogGroups'),
  // AWS answers GetCallerIdentity for any caller; no policy can deny it.
  'sts:GetCallerIdentity': () => [],
  'iam:GetUser': onUser('iam:GetUser'),
  'iam:ListAttachedUserPolicies': onUser('iam:ListAttachedUserPolicies'),
  'iam:ListAccessKeys': onUser('iam:ListAccessKeys'),
  'iam:CreateAccessKey': onUser('iam:CreateAccessKey'),
  'iam:GetUserPolicy': onUser('iam:GetUserPolicy'),
  'iam:PutUserPolicy': ({ params }, known) => {
    const boundary = known.userBoundaries.get(text(params.UserName))
    return [
      {
        action: 'iam:PutUserPolicy',
        resource: iamArn(`user/${text(params.UserName)}`),
        context: (boundary ? { 'iam:PermissionsBoundary': boundary } : {}) as Record<string, string>
      }
    ]
  },
  'iam:TagUser': ({ params }) => [
    {
      action: 'iam:TagUser',
      resource: iamArn(`user/${text(params.UserName)}`),
      context: requestTags(queryTags(params, 'Tags'))
    }
  ],
  'iam:DeleteAccessKey': onUser('iam:DeleteAccessKey'),
  'iam:CreateUser': ({ params }) => {
    const user = iamArn(`user/${text(params.UserName)}`)
    const tags = queryTags(params, 'Tags')
    const boundary = text(params.PermissionsBoundary)
    return [
      {
        action: 'iam:CreateUser',
        resource: user,
        context: {
          ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}),
          ...requestTags(tags)
        }
      },
      // IAM authorises the tags of a create as a TagUser on the new user.
      ...(Object.keys(tags).length
        ? [{ action: 'iam:TagUser', resource: user, context: requestTags(tags) }]
        : [])
    ]
  },
  'iam:PutUserPermissionsBoundary': ({ params }) => [
    {
      action: 'iam:PutUserPermissionsBoundary',
      resource: iamArn(`user/${text(params.UserName)}`),
      context: { 'iam:PermissionsBoundary': text(params.PermissionsBoundary) }
    }
  ],
  'iam:AttachUserPolicy': ({ params }, known) => {
    const boundary = known.userBoundaries.get(text(params.UserName))
    return [
      {
        action: 'iam:AttachUserPolicy',
        resource: iamArn(`user/${text(params.UserName)}`),
        context: {
          'iam:PolicyARN': text(params.PolicyArn),
          ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {})
        }
      }
    ]
  },
  'iam:CreatePolicy': ({ params }) => {
    const policy = iamArn(
      `policy/${text(params.Path).replace(/^\/$/, '')}${text(params.PolicyName)}`
    )
    const tags = queryTags(params, 'Tags')
    return [
      { action: 'iam:CreatePolicy', resource: policy, context: requestTags(tags) },
      ...(Object.keys(tags).length
        ? [{ action: 'iam:TagPolicy', resource: policy, context: requestTags(tags) }]
        : [])
    ]
  },
  'iam:GetOpenIDConnectProvider': onProvider('iam:GetOpenIDConnectProvider'),
  'iam:AddClientIDToOpenIDConnectProvider': onProvider('iam:AddClientIDToOpenIDConnectProvider'),
  'iam:CreateOpenIDConnectProvider': ({ params }) => {
    const provider = iamArn(`oidc-provider/${text(params.Url).replace(/^https:\/\//, '')}`)
    const tags = queryTags(params, 'Tags')
    return [
      { action: 'iam:CreateOpenIDConnectProvider', resource: provider, context: requestTags(tags) },
      ...(Object.keys(tags).length
        ? [
            {
              action: 'iam:TagOpenIDConnectProvider',
              resource: provider,
              context: requestTags(tags)
            }
          ]
        : [])
    ]
  },
  'iam:GetRole': onRole('iam:GetRole', true),
  'iam:GetRolePolicy': onRole('iam:GetRolePolicy'),
  'iam:PutRolePolicy': onRole('iam:PutRolePolicy', true),
  'iam:UpdateAssumeRolePolicy': onRole('iam:UpdateAssumeRolePolicy', true),
  'iam:TagRole': ({ params }) => {
    const tags = queryTags(params, 'Tags')
    return [
      {
        action: 'iam:TagRole',
        resource: iamArn(`role/${text(params.RoleName)}`),
        context: requestTags(tags)
      }
    ]
  },
  'iam:CreateRole': ({ params }) => {
    const role = iamArn(`role/${text(params.Path).replace(/^\/+/, '')}${text(params.RoleName)}`)
    const tags = queryTags(params, 'Tags')
    const boundary = text(params.PermissionsBoundary)
    return [
      {
        action: 'iam:CreateRole',
        resource: role,
        context: {
          ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}),
          ...requestTags(tags)
        }
      },
      // As with users, IAM authorises the tags of a create as a TagRole on the new role.
      ...(Object.keys(tags).length
        ? [{ action: 'iam:TagRole', resource: role, context: requestTags(tags) }]
        : [])
    ]
  },
  // ECS plan and remove (src/ecs): the reads of remove, and its deletes of what the action made.
  'ec2:DescribeNetworkInterfaces': anyResource('ec2:DescribeNetworkInterfaces'),
  // On the group, with its tags (AWS's aws:ResourceTag for an existing group).
  'ec2:DeleteSecurityGroup': ({ params, region }, known) => [
    {
      action: 'ec2:DeleteSecurityGroup',
      resource: arn('ec2', region, `security-group/${text(params.GroupId)}`),
      context: resourceTags(known.securityGroupTags.get(text(params.GroupId)))
    }
  ],
  'ecs:ListTaskDefinitions': anyResource('ecs:ListTaskDefinitions'),
  // The Service Authorization Reference gives DeregisterTaskDefinition no resource type.
  'ecs:DeregisterTaskDefinition': anyResource('ecs:DeregisterTaskDefinition'),
  // One authorisation per revision, on the task-definition resource, with its tags.
  'ecs:DeleteTaskDefinitions': ({ params, region }, known) =>
    ((params.taskDefinitions as string[] | undefined) ?? []).map(revision => {
      const definition = revision.startsWith('arn:')
        ? revision
        : arn('ecs', region, `task-definition/${revision}`)
      return {
        action: 'ecs:DeleteTaskDefinitions',
        resource: definition,
        context: resourceTags(known.taskDefinitionTags.get(definition))
      }
    }),
  // CloudWatch Logs authorises every action but the tagging ones on the log group's ARN with a
  // trailing `:*` (CloudWatch Logs user guide, "Overview of managing access permissions").
  'logs:DeleteLogGroup': ({ params, region }) => [
    {
      action: 'logs:DeleteLogGroup',
      resource: arn('logs', region, `log-group:${text(params.logGroupName)}:*`),
      context: {}
    }
  ],
  // IAM adds the role's boundary to the context of both (iam:PermissionsBoundary).
  'iam:DeleteRolePolicy': onRole('iam:DeleteRolePolicy', true),
  'iam:DeleteRole': onRole('iam:DeleteRole', true),
  'iam:GetPolicy': onPolicy('iam:GetPolicy'),
  'iam:GetPolicyVersion': onPolicy('iam:GetPolicyVersion'),
  'iam:ListPolicyVersions': onPolicy('iam:ListPolicyVersions'),
  'iam:CreatePolicyVersion': onPolicy('iam:CreatePolicyVersion'),
  'iam:DeletePolicyVersion': onPolicy('iam:DeletePolicyVersion'),
  // EKS plan and remove (src/eks, src/cloud-services): the deletes of this cluster's agent
  // identity. Service Authorization Reference, IAM: DeleteUserPolicy is on user* with the
  // condition key iam:PermissionsBoundary; DeleteUser on user* with none. EKS:
  // DeletePodIdentityAssociation is on podidentityassociation*, like Describe and Update.
  'iam:DeleteUserPolicy': ({ params }, known) => {
    const boundary = known.userBoundaries.get(text(params.UserName))
    return [
      {
        action: 'iam:DeleteUserPolicy',
        resource: iamArn(`user/${text(params.UserName)}`),
        context: (boundary ? { 'iam:PermissionsBoundary': boundary } : {}) as Record<string, string>
      }
    ]
  },
  'iam:DeleteUser': onUser('iam:DeleteUser'),
  'eks:DeletePodIdentityAssociation': onAssociation('eks:DeletePodIdentityAssociation')
}

const known = new KnownResources()

/**
 * The authorisations behind one recorded call, judged with what was known when it was answered;
 * then learns from its answer for the calls after it.
 */
export function authorisationsOf(exchange: AwsExchange): Authorisation[] {
  const call = `${exchange.service}:${exchange.operation}`
  const rule = RULES[call]
  if (!rule) throw new Error(`no authorisation model for ${call}: add one to aws-authorisation.ts`)
  const authorisations = rule(exchange, known).map(authorisation => ({
    because: call,
    ...authorisation
  }))
  known.learn(exchange)
  return authorisations
}
