/**
 * A fake helm for the EKS release tests: a temporary directory holding an executable `helm` (a
 * wrapper around fake-helm-script.mjs), its release store and the log of every call. Put
 * `directory` first on PATH and the action finds it as it finds a real helm.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-helm-script.mjs')

export interface FakeRelease {
  name: string
  namespace: string
  revision: number
  status: string
  /** `<chart name>-<version>`, as helm lists it. */
  chart: string
  appVersion?: string
  /** The user-supplied values, as `helm get values` prints them. */
  values: Record<string, unknown>
}

export type FakeCommand = 'version' | 'list' | 'get values' | 'upgrade'

export interface FakeFailure {
  exitCode: number
  /** `{{kubeconfig-token}}` is replaced with the bearer token of the kubeconfig helm was given. */
  stderr: string
}

export interface FakeHelmState {
  /** What `helm version --template {{.Version}}` prints, e.g. `v3.17.2`. */
  version: string
  releases: FakeRelease[]
  failures?: Partial<Record<FakeCommand, FakeFailure>>
  /** How long `upgrade` keeps the release pending, as helm --wait does for a slow rollout. */
  upgradeWaitMs?: number
  /** Deployed by "another run" just before the next upgrade: the race between read and upgrade. */
  racingUpgrade?: { values: Record<string, unknown> }
  /** The values of every revision deployed, for `get values --revision`. */
  history?: { name: string; namespace: string; revision: number; values: Record<string, unknown> }[]
}

export interface ReceivedFile {
  /** Where the action put it. */
  path: string
  /** Its permission bits while helm ran. */
  mode: number
  /** A copy taken while helm ran, since the action removes the original. */
  copy: string
}

export interface HelmCall {
  argv: string[]
  command: string
  valuesFiles: ReceivedFile[]
  kubeconfig?: { path: string; mode: number; server?: string; token?: string }
}

export class FakeHelm {
  private constructor(readonly directory: string) {}

  static async create(state: Partial<FakeHelmState> & { version: string }): Promise<FakeHelm> {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'fake-helm-'))
    const helm = new FakeHelm(directory)
    helm.setState({ releases: [], ...state })
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
    // A shell wrapper, so the node that runs the script is the one running the tests.
    await writeFile(
      helm.binary,
      `#!/bin/sh\nFAKE_HELM_HOME=${quote(directory)} exec ${quote(process.execPath)} ${quote(SCRIPT)} "$@"\n`
    )
    await chmod(helm.binary, 0o755)
    return helm
  }

  get binary(): string {
    return path.join(this.directory, 'helm')
  }

  state(): FakeHelmState {
    return JSON.parse(readFileSync(path.join(this.directory, 'state.json'), 'utf8'))
  }

  setState(state: FakeHelmState): void {
    writeFileSync(path.join(this.directory, 'state.json'), JSON.stringify(state, null, 2))
  }

  update(change: (state: FakeHelmState) => void): void {
    const state = this.state()
    change(state)
    this.setState(state)
  }

  calls(): HelmCall[] {
    const file = path.join(this.directory, 'calls.jsonl')
    if (!existsSync(file)) return []
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line) as HelmCall)
  }

  /** Forgets the calls so far, so a test can look at one run's. */
  async clearCalls(): Promise<void> {
    await rm(path.join(this.directory, 'calls.jsonl'), { force: true })
  }

  async received(file: ReceivedFile): Promise<Record<string, unknown>> {
    return JSON.parse(await readFile(file.copy, 'utf8'))
  }

  async remove(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true })
  }
}
