/**
 * The real helm, first on PATH behind a shell wrapper that records each call before it `exec`s
 * helm: the argv, and a copy and the mode of every values file and of the kubeconfig while helm
 * ran (the action removes them afterwards). helm then does the work against the real control
 * plane, and gets the signals the action sends as it would unwrapped.
 */
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface ReceivedFile {
  /** Where the action put it. */
  path: string
  /** Its permission bits while helm ran. */
  mode: number
  /** A copy taken while helm ran. */
  copy: string
}

export interface HelmCall {
  argv: string[]
  /** The subcommand, e.g. `upgrade` or `get values`. */
  command: string
  valuesFiles: ReceivedFile[]
  kubeconfig?: ReceivedFile
}

const WRAPPER = `#!/bin/sh
# Records this call under $calls, then becomes the real helm.
calls=__CALLS__
id=$(date +%s%N)-$$
mkdir -p "$calls/$id"
printf '%s\\n' "$@" > "$calls/$id/argv"
i=0
previous=
for argument in "$@"; do
  case "$previous" in
    --values|--kubeconfig)
      name=$(basename -- "$previous" | tr -d -)-$i
      stat -c '%a' "$argument" > "$calls/$id/$name.mode" 2>/dev/null
      cp "$argument" "$calls/$id/$name" 2>/dev/null
      printf '%s' "$argument" > "$calls/$id/$name.path"
      i=$((i + 1))
      ;;
  esac
  previous=$argument
done
exec __REAL__ "$@"
`

export class RecordingHelm {
  private constructor(
    readonly directory: string,
    readonly real: string
  ) {}

  static async create(real: string): Promise<RecordingHelm> {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'recording-helm-'))
    const helm = new RecordingHelm(directory, real)
    await mkdir(helm.callsDirectory)
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
    const script = WRAPPER.replace('__CALLS__', quote(helm.callsDirectory)).replace(
      '__REAL__',
      quote(real)
    )
    await writeFile(path.join(directory, 'helm'), script)
    await chmod(path.join(directory, 'helm'), 0o755)
    return helm
  }

  /**
   * What a run needs to use this helm: first on PATH, with helm's configuration, cache and data
   * under `home`, so that runs neither read nor leave anything in the real HOME.
   */
  environment(home: string): Record<string, string> {
    return {
      PATH: `${this.directory}${path.delimiter}${process.env.PATH ?? ''}`,
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_DATA_HOME: path.join(home, 'data')
    }
  }

  private get callsDirectory(): string {
    return path.join(this.directory, 'calls')
  }

  /** Every call so far, oldest first. */
  async calls(): Promise<HelmCall[]> {
    const ids = (await readdir(this.callsDirectory)).sort(
      (a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0])
    )
    return Promise.all(ids.map(id => this.readCall(path.join(this.callsDirectory, id))))
  }

  private async readCall(directory: string): Promise<HelmCall> {
    const argv = (await readFile(path.join(directory, 'argv'), 'utf8')).split('\n').slice(0, -1)
    const files = await readdir(directory)
    const received = async (name: string): Promise<ReceivedFile> => ({
      path: await readFile(path.join(directory, `${name}.path`), 'utf8'),
      mode: parseInt(await readFile(path.join(directory, `${name}.mode`), 'utf8'), 8),
      copy: path.join(directory, name)
    })
    const named = (prefix: string) =>
      files.filter(file => file.startsWith(prefix) && !file.includes('.')).sort()
    const valuesFiles = await Promise.all(named('values-').map(received))
    const [kubeconfigName] = named('kubeconfig-')
    const words = argv.filter(word => !word.startsWith('-'))
    const command = words[0] === 'get' ? `get ${words[1]}` : (words[0] ?? '')
    return {
      argv,
      command,
      valuesFiles,
      kubeconfig: kubeconfigName ? await received(kubeconfigName) : undefined
    }
  }

  /** Forgets the calls so far, so a test can look at one run's. */
  async clearCalls(): Promise<void> {
    await rm(this.callsDirectory, { recursive: true, force: true })
    await mkdir(this.callsDirectory)
  }

  async received(file: ReceivedFile): Promise<Record<string, unknown>> {
    return JSON.parse(await readFile(file.copy, 'utf8'))
  }

  async remove(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true })
  }
}
