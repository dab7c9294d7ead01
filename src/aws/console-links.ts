/** Links into the AWS console for the job summary. */

const consoleHost = (region: string) => `https://${region}.console.aws.amazon.com`

export const consoleLinks = {
  securityGroup: (region: string, id: string) =>
    `${consoleHost(region)}/ec2/home?region=${region}#SecurityGroup:groupId=${id}`,
  subnets: (region: string, vpcId: string) =>
    `${consoleHost(region)}/vpcconsole/home?region=${region}#subnets:vpcId=${vpcId}`,
  taskDefinition: (region: string, family: string, revision: number) =>
    `${consoleHost(region)}/ecs/v2/task-definitions/${family}/${revision}?region=${region}`,
  task: (region: string, cluster: string, taskId: string) =>
    `${consoleHost(region)}/ecs/v2/clusters/${cluster}/tasks/${taskId}?region=${region}`
}
