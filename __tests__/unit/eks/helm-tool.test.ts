/** Input checks of resolveHelm that fail before PATH, the tool cache or the network are touched. */
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_HELM_VERSION, resolveHelm } from '../../../src/eks/helm/helm-tool.js'
import { PINNED_HELM_ARCHIVE_DIGESTS } from '../../../src/eks/helm/helm-digests.js'

const downloadBaseUrl = 'http://127.0.0.1:9/unused'

describe('resolveHelm input checks', () => {
  it.each(['latest', '3.17', 'v3.17.2.1', '3.17.x'])('refuses helm-version %s', async version => {
    await expect(resolveHelm({ version, downloadBaseUrl })).rejects.toThrow(
      `Input 'helm-version': '${version}' is not a helm version`
    )
  })

  it.each(['3.12.3', 'v2.17.0', '5.0.0'])('refuses unsupported helm %s', async version => {
    await expect(resolveHelm({ version, downloadBaseUrl })).rejects.toThrow(/is not supported/)
  })

  it.each([
    ['aix', 'x64'],
    ['linux', 'ia32'],
    ['win32', 'arm']
  ] as const)('names the platform it cannot install helm on: %s/%s', async (platform, arch) => {
    await expect(resolveHelm({ downloadBaseUrl, platform, arch })).rejects.toThrow(
      `No helm build for ${platform}/${arch}`
    )
  })
})

describe('outside a runner', () => {
  it('asks for helm on PATH when there is no tool cache to install into', async () => {
    const saved = { ...process.env }
    process.env.PATH = ''
    delete process.env.RUNNER_TOOL_CACHE
    try {
      await expect(
        resolveHelm({ version: '3.17.2', downloadBaseUrl, platform: 'linux', arch: 'x64' })
      ).rejects.toThrow('RUNNER_TOOL_CACHE and RUNNER_TEMP are not set')
    } finally {
      process.env = saved
    }
  })
})

describe('pinned default', () => {
  it('ships a digest for every os and architecture it downloads for', () => {
    expect(DEFAULT_HELM_VERSION).toMatch(/^4\.\d+\.\d+$/)
    for (const os of ['linux', 'darwin', 'windows']) {
      for (const arch of ['amd64', 'arm64']) {
        expect(PINNED_HELM_ARCHIVE_DIGESTS[`${os}-${arch}`]).toMatch(/^[0-9a-f]{64}$/)
      }
    }
  })
})
