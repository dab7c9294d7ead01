export interface TrustedCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** What an EKS access entry gives a principal: a Kubernetes username and groups. */
export interface AccessEntry {
  /** EKS's default: the user's ARN, or `arn:…:sts::ACCOUNT:assumed-role/ROLE/{{SessionName}}`. */
  username?: string
  groups?: string[]
}

/** The outcome of one TokenReview; never the token. */
export interface Review {
  apiVersion: string
  authenticated: boolean
  username?: string
  uid?: string
  groups?: string[]
  /** The caller's ARN as STS (the emulator) named it. */
  arn?: string
  /** Why the token was refused, as sent back in `status.error`. */
  reason?: string
}

export interface EksAuthenticator {
  /** The TokenReview endpoint (plain http on loopback). */
  url: string
  /** A kubeconfig for kube-apiserver's --authentication-token-webhook-config-file. */
  webhookKubeconfigPath: string
  /** Every review answered so far, oldest first; tests may empty it. */
  reviews: Review[]
  /** One more key STS knows (a user created after start). */
  trust(key: TrustedCredentials): void
  /** Refuses every token seen so far (and older) as expired, as 15 minutes after its signing. */
  expireTokensSeenSoFar(): void
  /** Moves the authenticator's clock (an offset on Date.now()) by `ms`, back when negative. */
  moveClock(ms: number): void
  stop(): Promise<void>
}

export function startEksAuthenticator(options: {
  clusterName: string
  region: string
  /** Where GetCallerIdentity is replayed: the emulator's URL. */
  stsTarget: string
  /** The keys STS would know; a token signed with any other is refused. */
  credentials: TrustedCredentials | TrustedCredentials[]
  /** Principal ARN (an IAM user or role) to its Kubernetes user. */
  accessEntries: Record<string, AccessEntry>
}): Promise<EksAuthenticator>
