/**
 * `npm run demo`: the action against a local emulated AWS, no account needed, as a runner runs
 * the bundle, twice each time to show that the second run changes nothing. ECS: moto with a VPC
 * and an ECS cluster. EKS: a real Kubernetes control plane on loopback (kwok nodes: three healthy,
 * one NotReady, one EKS Fargate). `npm run demo -- ecs` or `-- eks` runs one of them.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand
} from '@aws-sdk/client-ec2'
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs'
import { addNodes, startKubePlane } from './kube-plane.mjs'
import { projectRoot, startMoto } from './moto-server.mjs'

const region = 'us-east-1'

async function createCluster(url) {
  const options = {
    region,
    endpoint: url,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }
  }
  const ec2 = new EC2Client(options)
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))
  await ec2.send(
    new ModifyVpcAttributeCommand({ VpcId: Vpc.VpcId, EnableDnsHostnames: { Value: true } })
  )
  for (const [i, zone] of ['a', 'b'].entries()) {
    await ec2.send(
      new CreateSubnetCommand({
        VpcId: Vpc.VpcId,
        CidrBlock: `10.0.${i}.0/24`,
        AvailabilityZone: `${region}${zone}`
      })
    )
  }
  await new ECSClient(options).send(new CreateClusterCommand({ clusterName: 'demo' }))
  // The emulator moves a task towards STOPPED on every describe; hold each state a few describes.
  await fetch(`${url}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    body: JSON.stringify({
      model_name: 'ecs::task',
      transition: { progression: 'manual', times: 3 }
    })
  })
  return Vpc.VpcId
}

/** Runs the bundle with these inputs and environment, then prints its outputs and summary. */
function runAction(inputs, environment, label) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'demo-'))
  const files = {
    GITHUB_OUTPUT: path.join(directory, 'output'),
    GITHUB_STEP_SUMMARY: path.join(directory, 'summary')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env = {
    PATH: process.env.PATH,
    // helm and its credential plugin keep caches under HOME; a runner always sets it.
    HOME: directory,
    RUNNER_TEMP: directory,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
    ...environment,
    ...files,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    )
  }
  console.log(`\n=== ${label} ===`)
  execFileSync(process.execPath, [path.join(projectRoot, 'dist/index.js')], {
    env,
    stdio: 'inherit'
  })
  console.log('\n--- outputs ---')
  const outputs = readFileSync(files.GITHUB_OUTPUT, 'utf8')
  console.log(outputs.replace(/<<(ghadelimiter_[\w-]+)\n([^]*?)\n\1/g, '=$2'))
  console.log('--- job summary ---')
  console.log(
    readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
      .replace(/<\/(tr|h3|p)>/g, '\n')
      .replace(/<\/t[dh]>/g, ' | ')
      .replace(/<[^>]+>/g, '')
  )
  rmSync(directory, { recursive: true, force: true })
}

async function demoEcs() {
  const moto = await startMoto()
  try {
    console.log(`Emulated AWS (moto) on ${moto.url}`)
    const vpcId = await createCluster(moto.url)
    const inputs = {
      platform: 'ecs',
      cluster: 'demo',
      'vpc-id': vpcId,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'demo-api-key-not-a-real-one',
      services: 'checkout,payments'
    }
    const environment = { AWS_ENDPOINT_URL: moto.url }
    runAction(
      inputs,
      environment,
      'ECS, first run: creates the security group, task definition and agent task'
    )
    runAction(inputs, environment, 'ECS, second run: same inputs, nothing to change')
  } finally {
    await moto.stop()
  }
}

async function demoEks() {
  execFileSync('bash', [path.join(projectRoot, 'scripts/fetch-helm.sh')], { stdio: 'inherit' })
  const plane = await startKubePlane({
    stageFiles: [path.join(projectRoot, '__tests__/support/kwok-stages.yaml')]
  })
  try {
    console.log(`\nKubernetes control plane on ${plane.server}`)
    await addNodes(plane, [
      { name: 'node-a' },
      { name: 'node-b' },
      { name: 'node-c' },
      { name: 'node-sick', kwok: false },
      { name: 'fargate-1', labels: { 'eks.amazonaws.com/compute-type': 'fargate' } }
    ])
    const inputs = {
      platform: 'eks',
      cluster: 'demo',
      kubeconfig: plane.adminKubeconfig,
      'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
      'cloudaeye-api-key': 'demo-api-key-not-a-real-one',
      services: 'checkout,payments'
    }
    const environment = {
      PATH: `${path.join(projectRoot, '.cache/helm/v4')}${path.delimiter}${process.env.PATH}`
    }
    runAction(inputs, environment, 'EKS, first run: installs the agent on every eligible node')
    runAction(inputs, environment, 'EKS, second run: same inputs, nothing to change')
  } finally {
    await plane.stop()
  }
}

const only = process.argv[2]
if (only && only !== 'ecs' && only !== 'eks') {
  console.error(`Unknown platform '${only}': run \`npm run demo\`, or with -- ecs or -- eks.`)
  process.exit(2)
}
if (only !== 'eks') await demoEcs()
if (only !== 'ecs') await demoEks()
