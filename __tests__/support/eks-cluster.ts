/** EKS fixtures in the emulator, and what the EKS tests read back from a run. */
import { CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks'
import { REGION } from './moto.js'

/**
 * An ACTIVE cluster in the emulator. It checks neither the role nor the subnets, and answers
 * DescribeCluster with an endpoint that does not resolve and CA data that is not a certificate.
 */
export async function createEksCluster(
  name: string,
  region = REGION
): Promise<{ endpoint: string }> {
  const eks = new EKSClient({ region })
  try {
    await eks.send(
      new CreateClusterCommand({
        name,
        roleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
        resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'] }
      })
    )
    const described = await eks.send(new DescribeClusterCommand({ name }))
    return { endpoint: described.cluster!.endpoint! }
  } finally {
    eks.destroy()
  }
}

/** The cells of the summary row of one resource: its ID (the text of any link) and status. */
export function summaryRow(
  summary: string,
  kind: string
): { id: string; status: string } | undefined {
  const match = new RegExp(
    `<td>${kind}</td><td>(?:<a [^>]*>)?([^<]*)(?:</a>)?</td><td>([^<]*)</td>`
  ).exec(summary)
  return match ? { id: match[1], status: match[2] } : undefined
}

/** The values following each occurrence of a flag in an argv (`--values a --values b`). */
export function flagValues(argv: string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag ? [argv[i + 1]] : []))
}
