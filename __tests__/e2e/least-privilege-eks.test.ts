/**
 * permissions/eks.json and eks-cloud-services.json, proven against the emulator with IAM enforced:
 * the bundle, run as a user that holds only the policies' actions, deploys with cloud services and
 * re-runs. A scripted helm stands in for the cluster, which no emulator here provides.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runBundle } from '../support/bundle.js'
import { createEksCluster } from '../support/eks-cluster.js'
import { FakeHelm } from '../support/fake-helm.js'
import { enforceIam, resetMoto, useMotoEnvironment } from '../support/moto.js'
import { actionsOnly, policyStatements, userWithPolicy } from '../support/iam-policies.js'

let work: string
let helm: FakeHelm

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  await createEksCluster('least')
  work = await mkdtemp(path.join(os.tmpdir(), 'least-eks-'))
  helm = await FakeHelm.create({ version: 'v4.1.4' })
})

afterEach(async () => {
  await enforceIam(false)
  await helm.remove()
  await rm(work, { recursive: true, force: true })
})

function run(environment: Record<string, string>, overrides: Record<string, string> = {}) {
  return runBundle(
    {
      platform: 'eks',
      cluster: 'least',
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'cak_least_privilege_eks',
      'enable-cloud-services': 'true',
      ...overrides
    },
    { ...environment, PATH: `${helm.directory}${path.delimiter}${process.env.PATH}` }
  )
}

describe('permissions/eks.json + eks-cloud-services.json are enough, with IAM enforced', () => {
  it('deploys with cloud services through the stack, then re-runs unchanged', async () => {
    const statements = [
      ...policyStatements('permissions/eks.json'),
      ...policyStatements('permissions/eks-cloud-services.json')
    ]
    const asDeployer = await userWithPolicy('eks-deployer', actionsOnly(statements))
    // No kubeconfig input: the action builds its own from eks:DescribeCluster, as in production.
    await enforceIam(true)

    const fresh = await run(asDeployer)
    expect(fresh.stdout).not.toContain('::error::')
    expect(fresh.exitCode).toBe(0)
    expect(fresh.outputs['stack-id']).toMatch(/CloudAEyeServiceAccountStack/)

    const rerun = await run(asDeployer)
    expect(rerun.stdout).not.toContain('::error::')
    expect(rerun.outputs['changed']).toBe('false')
    expect(rerun.outputs['access-key-id']).toBe(fresh.outputs['access-key-id'])
  })

  it('names the refused IAM action when the policy lacks one', async () => {
    const statements = policyStatements('permissions/eks-cloud-services.json').map(statement => ({
      ...statement,
      Action: ([] as string[]).concat(statement.Action).filter(a => a !== 'iam:CreateAccessKey')
    }))
    const asDeployer = await userWithPolicy(
      'eks-short',
      actionsOnly([...policyStatements('permissions/eks.json'), ...statements])
    )
    await enforceIam(true)
    const kubeconfig = path.join(work, 'kubeconfig')
    await writeFile(kubeconfig, '{}')

    const result = await run(asDeployer, { kubeconfig })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/::error::AWS refused iam:CreateAccessKey/)
  })
})
