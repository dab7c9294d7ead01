/**
 * The local stand-ins for an AWS account and an EKS cluster that the demo and the CI job
 * (scripts/workflow-fixture.mjs) run the action against: moto seeded with a VPC and an ECS
 * cluster, and a real Kubernetes control plane whose kwok nodes are three healthy ones, one
 * NotReady and one EKS Fargate node, the mix the agent's placement must get right.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand
} from '@aws-sdk/client-ec2'
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs'
import { addNodes, startKubePlane } from './kube-plane.mjs'
import { projectRoot } from './moto-server.mjs'

export const REGION = 'us-east-1'
/** The ECS cluster's name, and the name the EKS runs give with their kubeconfig. */
export const CLUSTER = 'demo'
/** The emulator takes any key; these are no secret. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' }

/** Three healthy nodes, one NotReady (no kubelet) and one Fargate node, which gets no agent. */
export const DEMO_NODES = [
  { name: 'node-a' },
  { name: 'node-b' },
  { name: 'node-c' },
  { name: 'node-sick', kwok: false },
  { name: 'fargate-1', labels: { 'eks.amazonaws.com/compute-type': 'fargate' } }
]

/** The helm 4 that fetch-helm.sh puts here, which the EKS runs find first on PATH. */
export const HELM_DIRECTORY = path.join(projectRoot, '.cache/helm/v4')

/**
 * Creates what an ECS deploy needs in the emulator at `url`: a VPC with DNS hostnames and two
 * subnets, and the ECS cluster. Returns the VPC's ID.
 * @param {string} url
 * @returns {Promise<string>}
 */
export async function seedEcs(url) {
  const options = { region: REGION, endpoint: url, credentials: DUMMY_CREDENTIALS }
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
        AvailabilityZone: `${REGION}${zone}`
      })
    )
  }
  await new ECSClient(options).send(new CreateClusterCommand({ clusterName: CLUSTER }))
  // The emulator moves a task towards STOPPED on every describe; hold each state a few describes.
  const answer = await fetch(`${url}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    body: JSON.stringify({
      model_name: 'ecs::task',
      transition: { progression: 'manual', times: 3 }
    })
  })
  if (!answer.ok) throw new Error(`moto refused the task state transition: ${answer.status}`)
  return Vpc.VpcId
}

/**
 * Fetches helm, starts a control plane with the tests' kwok stages and adds DEMO_NODES.
 * @returns {Promise<import('./kube-plane.mjs').KubePlane>}
 */
export async function startDemoPlane() {
  execFileSync('bash', [path.join(projectRoot, 'scripts/fetch-helm.sh')], { stdio: 'inherit' })
  const plane = await startKubePlane({
    stageFiles: [path.join(projectRoot, '__tests__/support/kwok-stages.yaml')]
  })
  try {
    await addNodes(plane, DEMO_NODES)
  } catch (error) {
    await plane.stop()
    throw error
  }
  return plane
}
