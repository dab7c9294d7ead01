export interface EksEndpointProxy {
  url: string
  /** How many DescribeCluster answers were rewritten. */
  rewritten(): number
  close(): Promise<void>
}

/** Forwards EKS calls to `target`; DescribeCluster of `clusterName` answers `endpoint` and `caData`. */
export function startEksEndpointProxy(options: {
  target: string
  clusterName: string
  endpoint: string
  caData: string
}): Promise<EksEndpointProxy>
