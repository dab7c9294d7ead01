/**
 * The chart the action ships, rendered by real helm 4 and helm 3 binaries.
 *
 * No YAML parser is a dependency of this project, so rendered manifests are turned into JSON by helm
 * itself: a throw-away chart reads the manifest through --set-file and prints `fromYaml | toJson` of
 * each document. The YAML is thus parsed by the same engine that rendered it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { REAL_HELM_3, REAL_HELM_4 } from '../support/real-helm.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const chartDir = path.join(projectRoot, 'charts/cloudaeye-metrics-agent')
const release = 'cloudaeye-metrics-agent'
const namespace = 'cloudaeye'
const apiKey = 'cae-test-key-7Qx2mV9pL4'
const accessKeyId = 'AKIAEXAMPLEAGENT0001'
const secretAccessKey = 'wJalrEXAMPLEsecretKEYforTHEagent0000000'

interface HelmResult {
  code: number
  stdout: string
  stderr: string
}

interface EnvVar {
  name: string
  value?: string
  valueFrom?: {
    secretKeyRef?: { name: string; key: string }
    fieldRef?: { fieldPath: string }
  }
}

interface PodSpec {
  serviceAccountName: string
  priorityClassName?: string
  nodeSelector?: Record<string, string>
  securityContext: Record<string, unknown>
  containers: {
    image: string
    imagePullPolicy: string
    env: EnvVar[]
    resources: unknown
    securityContext: Record<string, unknown>
  }[]
  tolerations?: unknown[]
  affinity?: unknown
}

interface K8sObject {
  kind: string
  metadata: { name: string; labels: Record<string, string> }
  type?: string
  data?: Record<string, string>
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[]
  roleRef?: { kind: string; name: string }
  subjects?: { kind: string; name: string; namespace: string }[]
  spec?: {
    selector: { matchLabels: Record<string, string> }
    updateStrategy: { type: string }
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> }
      spec: PodSpec
    }
  }
}

type Values = Record<string, unknown>

/** What the action writes into its values file for an EKS install. */
function actionValues(): Values {
  return {
    image: 'public.ecr.aws/cloudaeye/metrics-agent:1.0.0',
    imagePullPolicy: 'IfNotPresent',
    cloudaeye: {
      endpoint: 'https://metrics.cloudaeye.example/ingest',
      cluster: 'prod-cluster',
      platform: 'eks',
      region: 'us-east-1',
      services: ['orders', 'payments']
    },
    apiKey,
    existingSecret: '',
    cloudServices: { enabled: false, accessKeyId: '', secretAccessKey: '' }
  }
}

function withCloudaeye(values: Values, change: Values): Values {
  return { ...values, cloudaeye: { ...(values.cloudaeye as Values), ...change } }
}

const yamlToJsonTemplate = `{{- $documents := list -}}
{{- range regexSplit "(?m)^---[ \\t]*$" .Values.manifest -1 -}}
{{- $document := fromYaml . -}}
{{- if hasKey $document "Error" }}{{ fail (get $document "Error") }}{{ end -}}
{{- if $document }}{{ $documents = append $documents $document }}{{ end -}}
{{- end -}}
{{ dict "documents" $documents | toJson }}
`

/**
 * helm 3 asks the cluster for its version and API resources even on a client-side dry run, so
 * install --dry-run=client gets a stub that answers discovery and says no object exists yet.
 */
function discoveryStub(): Server {
  const group = (name: string) => ({
    name,
    versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
    preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' }
  })
  const resources = (groupVersion: string, kinds: [string, boolean][]) => ({
    kind: 'APIResourceList',
    groupVersion,
    resources: kinds.map(([kind, namespaced]) => ({
      name: `${kind.toLowerCase()}s`,
      singularName: kind.toLowerCase(),
      namespaced,
      kind,
      verbs: ['get', 'list', 'create', 'update', 'patch', 'delete']
    }))
  })
  const routes: Record<string, unknown> = {
    '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
    '/apis': {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [group('apps'), group('rbac.authorization.k8s.io')]
    },
    '/api/v1': resources('v1', [
      ['Secret', true],
      ['ServiceAccount', true]
    ]),
    '/apis/apps/v1': resources('apps/v1', [['DaemonSet', true]]),
    '/apis/rbac.authorization.k8s.io/v1': resources('rbac.authorization.k8s.io/v1', [
      ['ClusterRole', false],
      ['ClusterRoleBinding', false]
    ])
  }
  return createServer((request, response) => {
    const body = routes[new URL(request.url ?? '/', 'http://stub').pathname]
    if (body === undefined) {
      response.writeHead(404, { 'Content-Type': 'application/json' })
      response.end(
        JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 })
      )
      return
    }
    response.writeHead(200, { 'Content-Type': 'application/json' })
    response.end(JSON.stringify(body))
  })
}

let workDir: string
let stub: Server
let fileCount = 0

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'chart-test-'))
  await mkdir(path.join(workDir, 'yaml-to-json/templates'), { recursive: true })
  await writeFile(
    path.join(workDir, 'yaml-to-json/Chart.yaml'),
    'apiVersion: v2\nname: yaml-to-json\nversion: 0.0.0\n'
  )
  await writeFile(path.join(workDir, 'yaml-to-json/templates/documents.yaml'), yamlToJsonTemplate)
  stub = discoveryStub()
  await new Promise<void>(resolve => stub.listen(0, '127.0.0.1', resolve))
  const server = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'stub', cluster: { server } }],
    users: [{ name: 'stub', user: {} }],
    contexts: [{ name: 'stub', context: { cluster: 'stub', user: 'stub' } }],
    'current-context': 'stub'
  }
  await writeFile(path.join(workDir, 'kubeconfig'), JSON.stringify(kubeconfig), { mode: 0o600 })
})

afterAll(async () => {
  await new Promise(resolve => stub.close(resolve))
  await rm(workDir, { recursive: true, force: true })
})

/** Writes a file only the owner can read, as the action does with values holding the key. */
async function privateFile(name: string, content: string): Promise<string> {
  const file = path.join(workDir, `${++fileCount}-${name}`)
  await writeFile(file, content, { mode: 0o600 })
  return file
}

describe.each([
  ['helm 4', REAL_HELM_4],
  ['helm 3', REAL_HELM_3]
])('chart with %s', (_label, binary) => {
  function helm(args: string[]): Promise<HelmResult> {
    // Own helm homes, so that no user's repositories, plugins or cluster leak into the result.
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      HELM_CACHE_HOME: path.join(workDir, 'helm-cache'),
      HELM_CONFIG_HOME: path.join(workDir, 'helm-config'),
      HELM_DATA_HOME: path.join(workDir, 'helm-data'),
      KUBECONFIG: path.join(workDir, 'kubeconfig')
    }
    return new Promise(resolve => {
      execFile(binary, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      })
    })
  }

  async function template(values: Values): Promise<HelmResult> {
    const valuesFile = await privateFile('values.json', JSON.stringify(values))
    return helm(['template', release, chartDir, '--namespace', namespace, '-f', valuesFile])
  }

  async function render(values: Values): Promise<K8sObject[]> {
    const rendered = await template(values)
    expect(rendered.stderr).toBe('')
    expect(rendered.code).toBe(0)
    const manifest = await privateFile('manifest.yaml', rendered.stdout)
    const converted = await helm([
      'template',
      'convert',
      path.join(workDir, 'yaml-to-json'),
      '--set-file',
      `manifest=${manifest}`
    ])
    expect(converted.code).toBe(0)
    const json = converted.stdout.split('\n').find(line => line.startsWith('{'))
    return (JSON.parse(json ?? '{}') as { documents: K8sObject[] }).documents
  }

  function only(objects: K8sObject[], kind: string): K8sObject {
    const found = objects.filter(object => object.kind === kind)
    expect(found).toHaveLength(1)
    return found[0]
  }

  function podSpec(objects: K8sObject[]): PodSpec {
    return only(objects, 'DaemonSet').spec!.template.spec
  }

  function envOf(objects: K8sObject[]): Map<string, EnvVar> {
    return new Map(podSpec(objects).containers[0].env.map(variable => [variable.name, variable]))
  }

  const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8')

  it('passes helm lint --strict with the values the action writes', async () => {
    const valuesFile = await privateFile('values.json', JSON.stringify(actionValues()))
    const result = await helm(['lint', '--strict', chartDir, '-f', valuesFile])
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed')
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/)
    expect(result.code).toBe(0)
  })

  it('renders the DaemonSet, its Secret, ServiceAccount and read-only RBAC', async () => {
    const objects = await render(actionValues())
    expect(objects.map(object => object.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'DaemonSet',
      'Secret',
      'ServiceAccount'
    ])
    for (const object of objects) expect(object.metadata.name).toBe(release)

    const daemonSet = only(objects, 'DaemonSet')
    expect(daemonSet.spec!.updateStrategy.type).toBe('RollingUpdate')
    expect(daemonSet.spec!.template.metadata.labels).toMatchObject(
      daemonSet.spec!.selector.matchLabels
    )
    expect(daemonSet.spec!.template.metadata.annotations['checksum/secret']).toMatch(
      /^[0-9a-f]{64}$/
    )

    const pod = podSpec(objects)
    const container = pod.containers[0]
    expect(container.image).toBe('public.ecr.aws/cloudaeye/metrics-agent:1.0.0')
    expect(container.imagePullPolicy).toBe('IfNotPresent')
    const env = envOf(objects)
    expect(env.get('CLOUDAEYE_ENDPOINT')?.value).toBe('https://metrics.cloudaeye.example/ingest')
    expect(env.get('CLOUDAEYE_CLUSTER')?.value).toBe('prod-cluster')
    expect(env.get('CLOUDAEYE_PLATFORM')?.value).toBe('eks')
    expect(env.get('CLOUDAEYE_SERVICES')?.value).toBe('orders,payments')
    expect(env.get('AWS_REGION')?.value).toBe('us-east-1')
    expect(env.get('NODE_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } })
    expect(env.get('CLOUDAEYE_API_KEY')).toEqual({
      name: 'CLOUDAEYE_API_KEY',
      valueFrom: { secretKeyRef: { name: release, key: 'api-key' } }
    })
    expect(env.has('AWS_ACCESS_KEY_ID')).toBe(false)
    expect(env.has('AWS_SECRET_ACCESS_KEY')).toBe(false)

    expect(pod.tolerations).toEqual([{ operator: 'Exists' }])
    expect(pod.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
                {
                  key: 'eks.amazonaws.com/compute-type',
                  operator: 'NotIn',
                  values: ['fargate', 'hybrid']
                }
              ]
            }
          ]
        }
      }
    })
    expect(container.resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '200m', memory: '256Mi' }
    })
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true })
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] }
    })
    expect(pod.serviceAccountName).toBe(release)

    const secret = only(objects, 'Secret')
    expect(secret.type).toBe('Opaque')
    expect(Object.keys(secret.data ?? {})).toEqual(['api-key'])
    expect(decode(secret.data?.['api-key'])).toBe(apiKey)

    expect(only(objects, 'ClusterRole').rules).toEqual([
      {
        apiGroups: [''],
        resources: ['nodes', 'nodes/stats', 'nodes/metrics', 'pods', 'namespaces'],
        verbs: ['get', 'list', 'watch']
      }
    ])
    const binding = only(objects, 'ClusterRoleBinding')
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: release })
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: release, namespace }])
  })

  it('uses an existing Secret instead of creating one', async () => {
    const objects = await render({ ...actionValues(), apiKey: '', existingSecret: 'agent-keys' })
    expect(objects.some(object => object.kind === 'Secret')).toBe(false)
    expect(envOf(objects).get('CLOUDAEYE_API_KEY')?.valueFrom?.secretKeyRef).toEqual({
      name: 'agent-keys',
      key: 'api-key'
    })
  })

  it('reads the AWS identity from the existing Secret when cloud services are on', async () => {
    const objects = await render({
      ...actionValues(),
      apiKey: '',
      existingSecret: 'agent-keys',
      cloudServices: { enabled: true, accessKeyId: '', secretAccessKey: '' }
    })
    const env = envOf(objects)
    expect(env.get('AWS_ACCESS_KEY_ID')?.valueFrom?.secretKeyRef).toEqual({
      name: 'agent-keys',
      key: 'aws-access-key-id'
    })
    expect(env.get('AWS_SECRET_ACCESS_KEY')?.valueFrom?.secretKeyRef).toEqual({
      name: 'agent-keys',
      key: 'aws-secret-access-key'
    })
  })

  it('passes the cloud services identity through the Secret', async () => {
    const objects = await render({
      ...actionValues(),
      cloudServices: { enabled: true, accessKeyId, secretAccessKey }
    })
    const env = envOf(objects)
    expect(env.get('AWS_ACCESS_KEY_ID')?.valueFrom?.secretKeyRef).toEqual({
      name: release,
      key: 'aws-access-key-id'
    })
    expect(env.get('AWS_SECRET_ACCESS_KEY')?.valueFrom?.secretKeyRef).toEqual({
      name: release,
      key: 'aws-secret-access-key'
    })
    const data = only(objects, 'Secret').data ?? {}
    expect(Object.keys(data).sort()).toEqual([
      'api-key',
      'aws-access-key-id',
      'aws-secret-access-key'
    ])
    expect(decode(data['api-key'])).toBe(apiKey)
    expect(decode(data['aws-access-key-id'])).toBe(accessKeyId)
    expect(decode(data['aws-secret-access-key'])).toBe(secretAccessKey)
  })

  it('rolls the pods when the key changes, and only then', async () => {
    const checksum = async (values: Values) =>
      only(await render(values), 'DaemonSet').spec!.template.metadata.annotations['checksum/secret']
    const first = await checksum(actionValues())
    expect(await checksum(actionValues())).toBe(first)
    expect(await checksum({ ...actionValues(), apiKey: `${apiKey}-rotated` })).not.toBe(first)
  })

  it('honours the optional values without letting them break the selector', async () => {
    const objects = await render({
      ...actionValues(),
      image: `public.ecr.aws/cloudaeye/metrics-agent@sha256:${'ab'.repeat(32)}`,
      serviceAccount: { create: false, name: 'shared-agent', annotations: {} },
      rbac: { create: false },
      nodeSelector: { 'node.kubernetes.io/instance-type': 'm7g.large' },
      podAnnotations: { 'example.com/owner': 'platform' },
      podLabels: { team: 'platform', 'app.kubernetes.io/name': 'override-attempt' },
      priorityClassName: 'system-node-critical',
      env: [{ name: 'CLOUDAEYE_LOG_LEVEL', value: 'debug' }]
    })
    expect(objects.map(object => object.kind).sort()).toEqual(['DaemonSet', 'Secret'])
    const daemonSet = only(objects, 'DaemonSet')
    const template = daemonSet.spec!.template
    expect(template.metadata.labels).toMatchObject({
      ...daemonSet.spec!.selector.matchLabels,
      team: 'platform'
    })
    expect(template.metadata.annotations['example.com/owner']).toBe('platform')
    const pod = template.spec
    expect(pod.containers[0].image).toBe(
      `public.ecr.aws/cloudaeye/metrics-agent@sha256:${'ab'.repeat(32)}`
    )
    expect(pod.serviceAccountName).toBe('shared-agent')
    expect(pod.priorityClassName).toBe('system-node-critical')
    expect(pod.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'm7g.large' })
    expect(envOf(objects).get('CLOUDAEYE_LOG_LEVEL')?.value).toBe('debug')
  })

  it.each([
    [
      'an http endpoint',
      withCloudaeye(actionValues(), { endpoint: 'http://metrics.cloudaeye.example' }),
      /cloudaeye[./]endpoint/
    ],
    [
      'a missing endpoint',
      (() => {
        const values = actionValues()
        delete (values.cloudaeye as Values).endpoint
        return values
      })(),
      /cloudaeye[./]endpoint/
    ],
    // helm drops keys set to null, so the default is gone too and only `required` catches it.
    [
      'an endpoint set to null',
      withCloudaeye(actionValues(), { endpoint: null }),
      /cloudaeye\W.*endpoint/
    ],
    ['neither apiKey nor existingSecret', { ...actionValues(), apiKey: '' }, /apiKey/],
    [
      'services that are not a list',
      withCloudaeye(actionValues(), { services: 'orders,payments' }),
      /cloudaeye[./]services/
    ],
    [
      'an empty cluster name',
      withCloudaeye(actionValues(), { cluster: '' }),
      /cloudaeye[./]cluster/
    ],
    ['an empty image', { ...actionValues(), image: '' }, /image/],
    [
      'cloud services without an AWS identity',
      { ...actionValues(), cloudServices: { enabled: true, accessKeyId: '', secretAccessKey: '' } },
      /cloudServices[./]accessKeyId/
    ],
    [
      'irsa without a role',
      { ...actionValues(), cloudServices: { enabled: true, auth: 'irsa', roleArn: '' } },
      /cloudServices[./]roleArn/
    ],
    [
      'irsa on a ServiceAccount the chart does not create',
      {
        ...actionValues(),
        cloudServices: {
          enabled: true,
          auth: 'irsa',
          roleArn: 'arn:aws:iam::123456789012:role/CloudAEye@prod.us-east-1'
        },
        serviceAccount: { create: false, name: 'mine' }
      },
      /serviceAccount[./]create/
    ],
    [
      'an unknown way to the AWS identity',
      { ...actionValues(), cloudServices: { enabled: true, auth: 'instanceProfile' } },
      /cloudServices[./]auth/
    ]
  ])('rejects %s through the values schema', async (_case, values, field) => {
    const result = await template(values)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain("values don't meet the specifications of the schema")
    expect(result.stderr).toMatch(field)
    expect(result.stderr).not.toContain(apiKey)
    expect(result.stdout).toBe('')
  })

  it('says in NOTES how to check the agent, without the key', async () => {
    const valuesFile = await privateFile(
      'values.json',
      JSON.stringify({
        ...actionValues(),
        cloudServices: { enabled: true, accessKeyId, secretAccessKey }
      })
    )
    const result = await helm([
      'install',
      release,
      chartDir,
      '--namespace',
      namespace,
      '-f',
      valuesFile,
      '--dry-run=client',
      '--disable-openapi-validation'
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const notesAt = result.stdout.indexOf('\nNOTES:\n')
    expect(notesAt).toBeGreaterThan(0)
    const notes = result.stdout.slice(notesAt)
    expect(notes).toContain(`DaemonSet ${release} in namespace ${namespace}`)
    expect(notes).toContain(`kubectl -n ${namespace} rollout status ds/${release}`)
    for (const secret of [apiKey, secretAccessKey]) {
      expect(notes).not.toContain(secret)
      expect(notes).not.toContain(Buffer.from(secret).toString('base64'))
    }
  })
})
