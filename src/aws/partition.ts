/**
 * The AWS partition of a region, read from the partition table the installed AWS SDK resolves its own
 * endpoints with, so hosts built here agree with the SDK's for every partition it knows (an unknown
 * region falls back to `aws`, as in the SDK).
 */
import { partition } from '@aws-sdk/core/client'

export interface AwsPartition {
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, ... as in ARNs. */
  name: string
  /** The domain regional service endpoints live under, e.g. `amazonaws.com.cn`. */
  dnsSuffix: string
}

export function partitionOf(region: string): AwsPartition {
  const { name, dnsSuffix } = partition(region)
  return { name, dnsSuffix }
}
