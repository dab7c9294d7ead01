/**
 * Links into the AWS console for the job summary. Only the partitions below have a console reachable
 * from the public internet; for the others (the isolated aws-iso* partitions and any the SDK adds
 * later) there is no link rather than one that cannot open.
 */
import { partitionOf } from './partition.js'

const CONSOLE_DOMAINS: Readonly<Record<string, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com'
}

function consoleLink(region: string, path: string): string | undefined {
  const domain = CONSOLE_DOMAINS[partitionOf(region).name]
  return domain ? `https://${region}.${domain}${path}` : undefined
}

export const consoleLinks = {
  securityGroup: (region: string, id: string) =>
    consoleLink(region, `/ec2/home?region=${region}#SecurityGroup:groupId=${id}`),
  subnets: (region: string, vpcId: string) =>
    consoleLink(region, `/vpcconsole/home?region=${region}#subnets:vpcId=${vpcId}`),
  taskDefinition: (region: string, family: string, revision: number) =>
    consoleLink(region, `/ecs/v2/task-definitions/${family}/${revision}?region=${region}`),
  service: (region: string, cluster: string, name: string) =>
    consoleLink(region, `/ecs/v2/clusters/${cluster}/services/${name}?region=${region}`),
  task: (region: string, cluster: string, taskId: string) =>
    consoleLink(region, `/ecs/v2/clusters/${cluster}/tasks/${taskId}?region=${region}`),
  // IAM is global; any regional console host of the partition opens it.
  iamUser: (region: string, name: string) =>
    consoleLink(region, `/iam/home#/users/details/${encodeURIComponent(name)}`),
  iamRole: (region: string, name: string) =>
    consoleLink(region, `/iam/home#/roles/details/${encodeURIComponent(name)}`)
}
