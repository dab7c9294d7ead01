/**
 * Cancellation as the runner does it: SIGTERM to the step while it waits. The bundle must stop
 * waiting, let helm roll back, remove its temporary files, report what exists and exit; the next
 * run converges.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs'
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { startFaultProxy } from '../../scripts/fault-proxy.mjs'
import { runBundle, type BundleResult } from '../support/bundle.js'
import { createEksCluster, summaryRow } from '../support/eks-cluster.js'
import { FakeHelm } from '../support/fake-helm.js'
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

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
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

  it('EKS with cloud services: stops helm, which rolls back, deletes the new key, removes its files', async () => {
    await createEksCluster('cancel')
    const helm = await FakeHelm.create({ version: 'v4.1.4', upgradeWaitMs: 60_000 })
    try {
      const inputs = {
        platform: 'eks',
        cluster: 'cancel',
        'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
        'cloudaeye-api-key': API_KEY,
        'enable-cloud-services': 'true'
      }
      const environment = {
        ...motoEnvironment(),
        PATH: `${helm.directory}${path.delimiter}${process.env.PATH}`
      }
      const helmIsWaiting = () =>
        helm.state().releases.some(release => release.status === 'pending-install')

      const cancelled = await runBundle(inputs, environment, {
        runnerTemp,
        onStart: cancelWhen(helmIsWaiting)
      })
      expect(cancelled.killedBy).toBeNull()
      expect(cancelled.exitCode).toBe(1)
      expect(cancelled.stdout).toMatch(/^::error::Cancelled \(SIGTERM\)/m)
      // helm got the signal and rolled the install back, as --rollback-on-failure does.
      expect(cancelled.stdout).toContain('UPGRADE FAILED: context canceled')
      expect(helm.state().releases).toEqual([])
      expect(cancelled.summary).toContain('deleted: made by this run, and the agent did not get it')
      expect(summaryRow(cancelled.summary, 'CloudFormation stack')?.status).toMatch(/^created/)
      // The kubeconfig and the values files are gone.
      expect(await readdir(runnerTemp)).toEqual([])
      const iam = new IAMClient({ region: REGION })
      const keysAfterCancel = await iam.send(
        new ListAccessKeysCommand({ UserName: 'CloudAEyeServiceAccount' })
      )
      expect(keysAfterCancel.AccessKeyMetadata).toEqual([])

      helm.update(state => (state.upgradeWaitMs = 0))
      const rerun = await runBundle(inputs, environment, { runnerTemp })
      expect(rerun.stdout).not.toContain('::error::')
      expect(rerun.exitCode).toBe(0)
      const keys = await iam.send(
        new ListAccessKeysCommand({ UserName: 'CloudAEyeServiceAccount' })
      )
      expect(keys.AccessKeyMetadata!.map(key => key.AccessKeyId)).toEqual([
        rerun.outputs['access-key-id']
      ])
      expect(helm.state().releases.map(release => release.status)).toEqual(['deployed'])

      const secrets = [API_KEY, ...(await deliveredAwsSecrets(helm))]
      expect(secrets).toHaveLength(3)
      expect(exposedSecrets([cancelled, rerun], secrets, helm)).toEqual([])
    } finally {
      await helm.remove()
    }
  })
})
