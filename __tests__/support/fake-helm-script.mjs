/**
 * A stand-in for the helm binary, started through the wrapper that fake-helm.ts writes. The action's
 * release logic needs a Kubernetes cluster behind helm, and no emulator here provides one; this
 * double keeps just enough of helm's release store, one JSON file, to answer the commands the action
 * runs: `version`, `list`, `get values` and `upgrade --install`. Flag syntax is left to the real helm
 * binaries (the tests replay the recorded argv against them with --help).
 *
 * Every call is appended to calls.jsonl with what helm was handed: the argv, and the mode and a copy
 * of each --values file and of the kubeconfig, read while "helm" runs, before the action removes
 * them.
 */
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'

const home = process.env.FAKE_HELM_HOME
const statePath = path.join(home, 'state.json')
const callsPath = path.join(home, 'calls.jsonl')
const state = JSON.parse(readFileSync(statePath, 'utf8'))
const argv = process.argv.slice(2)

const VALUE_FLAGS = new Set([
  '--namespace',
  '--values',
  '--kubeconfig',
  '--filter',
  '--output',
  '--timeout',
  '--template',
  '--revision',
  '--version',
  '--repo'
])
const ALIASES = { '-n': '--namespace', '-f': '--values', '-o': '--output' }

function parseArgs(args) {
  const positional = []
  const flags = new Map()
  const add = (name, value) => {
    const flag = ALIASES[name] ?? name
    flags.set(flag, [...(flags.get(flag) ?? []), value])
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const equals = arg.indexOf('=')
    if (!arg.startsWith('-')) positional.push(arg)
    else if (equals > 0) add(arg.slice(0, equals), arg.slice(equals + 1))
    else if (VALUE_FLAGS.has(ALIASES[arg] ?? arg)) add(arg, args[++i])
    else add(arg, 'true')
  }
  return { positional, flags }
}

const { positional, flags } = parseArgs(argv)
const flag = name => flags.get(name)?.at(-1)
const command = positional[0] === 'get' ? `get ${positional[1]}` : positional[0]

function record() {
  const index = existsSync(callsPath)
    ? readFileSync(callsPath, 'utf8').split('\n').filter(Boolean).length
    : 0
  const valuesFiles = (flags.get('--values') ?? []).map((file, i) => {
    // The process ID keeps two helm calls running at once (racing runs) from sharing a copy.
    const copy = path.join(home, `received-${index}-${process.pid}-${i}`)
    copyFileSync(file, copy)
    return { path: file, mode: statSync(file).mode & 0o777, copy }
  })
  let kubeconfig
  const kubeconfigPath = flag('--kubeconfig')
  if (kubeconfigPath) {
    kubeconfig = { path: kubeconfigPath, mode: statSync(kubeconfigPath).mode & 0o777 }
    try {
      // The action writes JSON kubeconfigs, and the tests hand it JSON ones.
      const config = JSON.parse(readFileSync(kubeconfigPath, 'utf8'))
      kubeconfig.server = config.clusters?.[0]?.cluster?.server
      kubeconfig.token = config.users?.[0]?.user?.token
    } catch {
      kubeconfig.unreadable = true
    }
  }
  appendFileSync(callsPath, `${JSON.stringify({ argv, command, valuesFiles, kubeconfig })}\n`)
  return { valuesFiles, kubeconfig }
}

function fail(stderr, exitCode = 1) {
  process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`)
  process.exit(exitCode)
}

/**
 * Writes one release (or removes it, given undefined) into the store as it is now on disk, and
 * keeps each deployed revision's values for `get values --revision`; `alsoChange` may change more
 * of the store in the same write. Written whole and renamed
 * into place, so a racing helm never reads half a store.
 */
function saveRelease(name, namespace, release, alsoChange = () => {}) {
  const current = JSON.parse(readFileSync(statePath, 'utf8'))
  alsoChange(current)
  const others = current.releases.filter(r => !(r.name === name && r.namespace === namespace))
  current.releases = release ? [...others, release] : others
  if (release?.status === 'deployed') {
    current.history = [
      ...(current.history ?? []),
      { name, namespace, revision: release.revision, values: release.values }
    ]
  }
  const temporary = `${statePath}.${process.pid}`
  writeFileSync(temporary, JSON.stringify(current, null, 2))
  renameSync(temporary, statePath)
}

const BUSY = 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress'

/**
 * Takes a revision number for one upgrade, as helm does by creating the revision's record in the
 * cluster: only one of two racing upgrades gets it; the other is told the release is busy.
 */
function claimRevision(name, namespace, revision) {
  const claim = path.join(home, `revision-${namespace}-${name}-${revision}`)
  try {
    closeSync(openSync(claim, 'wx'))
  } catch {
    fail(BUSY)
  }
  return claim
}

function isMap(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How helm combines repeated --values files: maps merge key by key, anything else is replaced. */
function merge(base, override) {
  const merged = { ...base }
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isMap(value) && isMap(merged[key]) ? merge(merged[key], value) : value
  }
  return merged
}

function chartOf(chartArg) {
  const chartYaml = path.join(chartArg, 'Chart.yaml')
  if (existsSync(chartYaml)) {
    const text = readFileSync(chartYaml, 'utf8')
    const name = /^name:\s*['"]?([^'"\s]+)/m.exec(text)?.[1]
    const version = /^version:\s*['"]?([^'"\s]+)/m.exec(text)?.[1]
    return {
      chart: `${name}-${version}`,
      appVersion: /^appVersion:\s*['"]?([^'"\s]+)/m.exec(text)?.[1]
    }
  }
  return { chart: `${path.basename(chartArg)}-${flag('--version') ?? '0.0.0'}`, appVersion: '' }
}

const { valuesFiles, kubeconfig } = record()
const namespace = flag('--namespace') ?? 'default'
const failure = state.failures?.[command]
if (failure) {
  // Lets a test make helm say what it says on a real failure, secrets included, to see them redacted.
  fail(failure.stderr.replaceAll('{{kubeconfig-token}}', kubeconfig?.token ?? ''), failure.exitCode)
}

if (command === 'version') {
  process.stdout.write(state.version)
} else if (command === 'list') {
  const major = Number(state.version.replace(/^v/, '').split('.')[0])
  // helm 3 hides pending and superseded releases unless asked for all; helm 4 lists every status.
  const visible = release =>
    major >= 4 || flag('--all') === 'true' || ['deployed', 'failed'].includes(release.status)
  const filter = new RegExp(flag('--filter') ?? '')
  const listed = state.releases
    .filter(release => release.namespace === namespace && filter.test(release.name))
    .filter(visible)
    .map(release => ({
      name: release.name,
      namespace: release.namespace,
      revision: String(release.revision),
      updated: '2026-01-01 00:00:00.000000000 +0000 UTC',
      status: release.status,
      chart: release.chart,
      app_version: release.appVersion ?? ''
    }))
  process.stdout.write(`${JSON.stringify(listed)}\n`)
} else if (command === 'get values') {
  const name = positional[2]
  const revision = flag('--revision')
  const release = revision
    ? state.history?.find(
        r => r.name === name && r.namespace === namespace && String(r.revision) === revision
      )
    : state.releases.find(r => r.name === name && r.namespace === namespace)
  if (!release) fail('Error: release: not found')
  process.stdout.write(`${JSON.stringify(release.values)}\n`)
} else if (command === 'upgrade') {
  const [, name, chartArg] = positional
  const index = state.releases.findIndex(r => r.name === name && r.namespace === namespace)
  if (index < 0 && flag('--install') !== 'true')
    fail(`Error: UPGRADE FAILED: "${name}" has no deployed releases`)
  const values = valuesFiles.reduce(
    (merged, file) => merge(merged, JSON.parse(readFileSync(file.copy, 'utf8'))),
    {}
  )
  const deployedAfter = (earlier, releaseValues) => ({
    name,
    namespace,
    revision: (earlier?.revision ?? 0) + 1,
    status: 'deployed',
    ...chartOf(chartArg),
    values: releaseValues
  })
  let previous = index >= 0 ? state.releases[index] : undefined
  if (state.racingUpgrade) {
    // Another run's upgrade lands first, between the action's read of the release and this call.
    const racing = deployedAfter(previous, state.racingUpgrade.values)
    claimRevision(name, namespace, racing.revision)
    saveRelease(name, namespace, racing, current => delete current.racingUpgrade)
    previous = racing
  }
  if (previous?.status.startsWith('pending-')) fail(BUSY)
  const release = deployedAfter(previous, values)
  const claim = claimRevision(name, namespace, release.revision)
  const waitMs = state.upgradeWaitMs ?? 0
  if (waitMs === 0) {
    saveRelease(name, namespace, release)
    process.stdout.write(`Release "${name}" has been upgraded. Happy Helming!\n`)
  } else {
    // As helm --wait: the release is pending until the rollout is ready. SIGTERM cancels it, and
    // the atomic upgrade rolls back (an install is removed), as helm does.
    saveRelease(name, namespace, {
      ...release,
      status: previous ? 'pending-upgrade' : 'pending-install'
    })
    const rollout = setTimeout(() => {
      saveRelease(name, namespace, release)
      process.stdout.write(`Release "${name}" has been upgraded. Happy Helming!\n`)
    }, waitMs)
    process.once('SIGTERM', () => {
      clearTimeout(rollout)
      saveRelease(name, namespace, previous)
      unlinkSync(claim)
      process.stdout.write(`Release ${name} has been cancelled.\n`)
      fail(`Error: UPGRADE FAILED: context canceled`)
    })
  }
} else {
  fail(`fake helm: '${argv.join(' ')}' is not a command this double answers`, 64)
}
