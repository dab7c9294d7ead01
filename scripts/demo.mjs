/**
 * `npm run demo`: the action against a local emulated AWS, no account needed. Starts moto, creates
 * a VPC and an ECS cluster, runs the bundled action as a runner would, prints its outputs and
 * summary, then runs it again to show that nothing changes.
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

function runAction(url, vpcId, label) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'demo-'))
  const files = {
    GITHUB_OUTPUT: path.join(directory, 'output'),
    GITHUB_STEP_SUMMARY: path.join(directory, 'summary')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const inputs = {
    platform: 'ecs',
    cluster: 'demo',
    'vpc-id': vpcId,
    'cloudaeye-endpoint': 'https://metrics.cloudaeye.example',
    'cloudaeye-api-key': 'demo-api-key-not-a-real-one',
    services: 'checkout,payments'
  }
  const env = {
    PATH: process.env.PATH,
    RUNNER_TEMP: directory,
    AWS_ENDPOINT_URL: url,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
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

const moto = await startMoto()
try {
  console.log(`Emulated AWS (moto) on ${moto.url}`)
  const vpcId = await createCluster(moto.url)
  runAction(
    moto.url,
    vpcId,
    'First run: creates the security group, task definition and agent task'
  )
  runAction(moto.url, vpcId, 'Second run: same inputs, nothing to change')
} finally {
  await moto.stop()
}
