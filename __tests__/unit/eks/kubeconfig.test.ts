import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { writeKubeconfig } from '../../../src/eks/access/kubeconfig.js'
import { writeValuesFiles } from '../../../src/eks/helm/values.js'

const caData = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
).toString('base64')
const options = {
  clusterName: 'prod-cluster',
  endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthorityData: caData,
  user: { token: 'k8s-aws-v1.aHR0cHM6Ly9zdHM' }
}

describe('writeKubeconfig', () => {
  let parent: string
  const savedRunnerTemp = process.env.RUNNER_TEMP

  beforeEach(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'kubeconfig-test-'))
  })
  afterEach(async () => {
    if (savedRunnerTemp === undefined) delete process.env.RUNNER_TEMP
    else process.env.RUNNER_TEMP = savedRunnerTemp
    await rm(parent, { recursive: true, force: true })
  })

  it('writes one cluster, user, context and current-context, readable only by the owner', async () => {
    const written = await writeKubeconfig({ ...options, directory: parent })
    expect(path.dirname(path.dirname(written.path))).toBe(parent)
    expect((await stat(written.path)).mode & 0o777).toBe(0o600)
    expect((await stat(path.dirname(written.path))).mode & 0o777).toBe(0o700)

    // kubectl and helm parse kubeconfigs as YAML, of which JSON is a subset.
    const config = parse(await readFile(written.path, 'utf8'))
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'prod-cluster',
          cluster: { server: options.endpoint, 'certificate-authority-data': caData }
        }
      ],
      users: [{ name: 'prod-cluster', user: options.user }],
      contexts: [
        { name: 'prod-cluster', context: { cluster: 'prod-cluster', user: 'prod-cluster' } }
      ],
      'current-context': 'prod-cluster',
      preferences: {}
    })
  })

  it('sends the cluster through the proxy the environment names, unless NO_PROXY covers it', async () => {
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY }
    const proxyUrl = (config: { clusters: { cluster: Record<string, string> }[] }) =>
      config.clusters[0].cluster['proxy-url']
    try {
      process.env.HTTPS_PROXY = 'http://proxy.corp.example:3128'
      delete process.env.NO_PROXY
      const proxied = await writeKubeconfig({ ...options, directory: parent })
      expect(proxyUrl(parse(await readFile(proxied.path, 'utf8')))).toBe(
        'http://proxy.corp.example:3128'
      )
      process.env.NO_PROXY = '.eks.amazonaws.com'
      const direct = await writeKubeconfig({ ...options, directory: parent })
      expect(proxyUrl(parse(await readFile(direct.path, 'utf8')))).toBeUndefined()
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })

  it('uses a fresh directory per call, under RUNNER_TEMP by default', async () => {
    process.env.RUNNER_TEMP = parent
    const first = await writeKubeconfig(options)
    const second = await writeKubeconfig(options)
    expect(path.dirname(path.dirname(first.path))).toBe(parent)
    expect(path.dirname(first.path)).not.toBe(path.dirname(second.path))
  })

  // Self-hosted runners, containers and local runs can name a RUNNER_TEMP that is not there.
  it('creates a missing RUNNER_TEMP, private, for the kubeconfig and the values files', async () => {
    const runnerTemp = path.join(parent, 'runner', 'temp')
    process.env.RUNNER_TEMP = runnerTemp
    const kubeconfig = await writeKubeconfig(options)
    const values = await writeValuesFiles([{ apiKey: 'x' }])
    expect(path.dirname(path.dirname(kubeconfig.path))).toBe(runnerTemp)
    expect(path.dirname(path.dirname(values.paths[0]))).toBe(runnerTemp)
    expect((await stat(runnerTemp)).mode & 0o777).toBe(0o700)
    await Promise.all([kubeconfig.remove(), values.remove()])
    expect(await readdir(runnerTemp)).toEqual([])
  })

  it('falls back to the system temporary directory without RUNNER_TEMP', async () => {
    delete process.env.RUNNER_TEMP
    const written = await writeKubeconfig(options)
    try {
      expect(path.dirname(path.dirname(written.path))).toBe(os.tmpdir())
    } finally {
      await written.remove()
    }
  })

  it('removes the file and its directory, and a second remove is harmless', async () => {
    const written = await writeKubeconfig({ ...options, directory: parent })
    await written.remove()
    expect(await readdir(parent)).toEqual([])
    await expect(written.remove()).resolves.toBeUndefined()
  })

  it('refuses an endpoint that is not https, writing nothing', async () => {
    await expect(
      writeKubeconfig({ ...options, endpoint: 'http://10.0.0.1', directory: parent })
    ).rejects.toThrow(/not an https URL/)
    expect(await readdir(parent)).toEqual([])
  })
})
