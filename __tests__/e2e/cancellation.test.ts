/**
 * Cancellation as the runner does it: SIGTERM to the step while it waits. The bundle must stop
 * waiting, undo what it started (on EKS with the real helm, against a real control plane), remove
 * its temporary files, report what exists and exit; the next run converges.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs'
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { startFaultProxy } from '../../scripts/fault-proxy.mjs'
import { daemonSetNames, helmReleases, secretData } from '../support/agent-in-cluster.js'
import { errorLines, runBundle, type BundleResult } from '../support/bundle.js'
import { summaryRow } from '../support/eks-cluster.js'
import { startEksTestCluster, type EksTestCluster } from '../support/eks-test-cluster.js'
import { nodeSpecs } from '../support/kube-nodes.js'
import { REAL_HELM_4 } from '../support/real-helm.js'
import { RecordingHelm } from '../support/recording-helm.js'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  motoEnvironment,
  motoUrl,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'
import { deliveredAwsSecrets, exposedSecrets } from '../support/secret-exposure.js'

const API_KEY = 'cak_cancel_31c7'
let runnerTemp: string
let cluster: EksTestCluster

beforeAll(async () => {
  useMotoEnvironment()
  cluster = await startEksTestCluster({ name: 'cancel', nodes: nodeSpecs('healthy', 'healthy', 2) })
}, 120_000)

afterAll(async () => {
  await cluster?.stop()
})

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await cluster.register()
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'cancel-runner-temp-'))
})

afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true })
})

/**
 * Sends one SIGTERM once `ready` holds, checked on every chunk of output and every 50 ms. (A second
 * signal would end the step at once, as a runner's escalation does.)
 */
function cancelWhen(ready: (stdoutSoFar: string) => boolean) {
  return (child: ChildProcess) => {
    let stdout = ''
    let sent = false
    const check = () => {
      if (sent || child.exitCode !== null) return clearInterval(timer)
      if (ready(stdout)) {
        sent = true
        clearInterval(timer)
        child.kill('SIGTERM')
      }
    }
    const timer = setInterval(check, 50)
    child.stdout?.on('data', chunk => {
      stdout += chunk
      check()
    })
  }
}

describe('cancelled while waiting', () => {
  it('ECS: ends the AWS request in flight, reports the task it started; a re-run adopts it', async () => {
    const network = await createNetwork()
    await createCluster('cancel')
    await holdTaskStates()
    // Every request after RunTask is held unanswered, and the signal is sent once one is, so it
    // lands while a request is in flight. (The emulator's tasks start RUNNING, so there is no
    // task wait to interrupt; the unit tests cover that one.)
    const slow = await startFaultProxy({ target: motoUrl(), holdAfter: 'RunTask' })
    const inputs = {
      platform: 'ecs',
      cluster: 'cancel',
      'vpc-id': network.vpcId,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': API_KEY
    }
    let cancelled: BundleResult
    try {
      cancelled = await runBundle(inputs, motoEnvironment(slow.url), {
        runnerTemp,
        // The look for a racing run's task follows RunTask, and is held in flight.
        onStart: cancelWhen(() => slow.stats.held > 0)
      })
    } finally {
      await slow.close()
    }
    expect(cancelled.killedBy).toBeNull()
    expect(cancelled.exitCode).toBe(1)
    expect(cancelled.stdout).toContain('Received SIGTERM')
    expect(cancelled.stdout).toMatch(/^::error::Cancelled \(SIGTERM\) before the deployment/m)
    const ecs = new ECSClient({ region: REGION })
    const tasks = await ecs.send(new ListTasksCommand({ cluster: 'cancel' }))
    expect(tasks.taskArns).toHaveLength(1)
    const started = summaryRow(cancelled.summary, 'Agent task')
    expect(started?.status).toMatch(/^created/)
    expect(started?.id).toContain(tasks.taskArns![0].split('/').pop())
    expect(await readdir(runnerTemp)).toEqual([])

    const rerun = await runBundle(inputs, motoEnvironment(), { runnerTemp })
    expect(rerun.stdout).not.toContain('::error::')
    expect(rerun.exitCode).toBe(0)
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['task-arn']).toBe(tasks.taskArns![0])
    expect(exposedSecrets([cancelled, rerun], [API_KEY])).toEqual([])
  })

  it('EKS with cloud services: stops watching, removes the first install, deletes the new key, removes its files', async () => {
    const helm = await RecordingHelm.create(REAL_HELM_4)
    const helmHome = await mkdtemp(path.join(os.tmpdir(), 'cancel-helm-home-'))
    try {
      const inputs = {
        platform: 'eks',
        cluster: 'cancel',
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        'enable-cloud-services': 'true',
        'cloud-services-auth': 'access-key'
      }
      const environment = {
        ...cluster.environment(),
        ...helm.environment(helmHome)
      }
      // The pods take a minute to start, so the run is still watching the rollout when its first
      // progress line shows: the release is installed, and nothing is ready yet.
      const slow = JSON.stringify({ podAnnotations: { 'kwok.x-k8s.io/start-delay': '60s' } })
      const watching = (stdout: string) => /^Agent ready on 0\//m.test(stdout)

      const cancelled = await runBundle({ ...inputs, values: slow }, environment, {
        runnerTemp,
        onStart: cancelWhen(watching)
      })
      expect(cancelled.killedBy).toBeNull()
      expect(cancelled.exitCode).toBe(1)
      expect(cancelled.stdout).toContain('Received SIGTERM')
      const [firstError] = errorLines(cancelled)
      expect(firstError).toMatch(/^::error::Cancelled \(SIGTERM\)/)
      // The install had happened, then it was undone: a first install has nothing to roll back
      // to, so the release is uninstalled, and with it the agent's DaemonSet and Secret.
      const commands = (await helm.calls()).map(call => call.command)
      expect(commands).toContain('upgrade')
      expect(commands[commands.length - 1]).toBe('uninstall')
      expect(await helmReleases(cluster.adminKubeconfig, 'cloudaeye')).toEqual([])
      expect(await daemonSetNames(cluster.adminKubeconfig, 'cloudaeye')).toEqual([])
      expect(cancelled.summary).toContain('deleted: made by this run, and the agent did not get it')
      expect(summaryRow(cancelled.summary, 'IAM user')?.status).toMatch(/^created/)
      // The kubeconfig and the values files are gone.
      expect(await readdir(runnerTemp)).toEqual([])
      const iam = new IAMClient({ region: REGION })
      const keysAfterCancel = await iam.send(
        new ListAccessKeysCommand({ UserName: 'CloudAEye@cancel.us-east-1' })
      )
      expect(keysAfterCancel.AccessKeyMetadata).toEqual([])

      const rerun = await runBundle(inputs, environment, { runnerTemp })
      expect(rerun.stdout).not.toContain('::error::')
      expect(rerun.exitCode).toBe(0)
      const keys = await iam.send(
        new ListAccessKeysCommand({ UserName: 'CloudAEye@cancel.us-east-1' })
      )
      expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
        rerun.outputs['access-key-id']
      ])
      const releases = await helmReleases(cluster.adminKubeconfig, 'cloudaeye')
      expect(releases.map(release => release.status)).toEqual(['deployed'])
      const secret = await secretData(
        cluster.adminKubeconfig,
        'cloudaeye',
        'cloudaeye-metrics-agent'
      )
      expect(secret['aws-access-key-id']).toBe(rerun.outputs['access-key-id'])
      expect(await readdir(runnerTemp)).toEqual([])

      const secrets = [API_KEY, ...(await deliveredAwsSecrets(helm))]
      expect(secrets).toHaveLength(3)
      expect(exposedSecrets([cancelled, rerun], secrets, await helm.calls())).toEqual([])
    } finally {
      await helm.remove()
      await rm(helmHome, { recursive: true, force: true })
    }
  }, 90_000)
})
