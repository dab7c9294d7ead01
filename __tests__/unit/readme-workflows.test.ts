/**
 * The README's Usage section is a newcomer's first pipeline: complete workflows to copy, which work
 * once the set-up is done and the repository variables and secret are set. This checks what
 * actionlint cannot (workflows-lint.test.ts runs actionlint and checks the inputs against
 * action.yml): each workflow assumes a role with OIDC and has the token permission for it, takes
 * every account-specific value from a variable or secret that the README's table lists, the key
 * only from a secret, and never lets two runs on one cluster overlap. And the five workflows the
 * README promises are there: ECS and EKS deploys, a pull-request plan, a teardown and a matrix.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'

const ACTION = 'cloudaeye/metrics-agent-action@v1'
const CREDENTIALS = 'aws-actions/configure-aws-credentials@v6'

type Step = { uses?: string; run?: string; id?: string; with?: Record<string, unknown> }
type Job = {
  'runs-on'?: unknown
  if?: string
  permissions?: Record<string, string>
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean }
  strategy?: { 'fail-fast'?: boolean; matrix?: { include?: Record<string, string>[] } }
  steps?: Step[]
}
type Workflow = {
  name?: string
  on?: Record<string, unknown>
  permissions?: Record<string, string>
  jobs?: Record<string, Job>
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The text of a `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`no section ${heading}`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)].map(match => match[1])
}

const usage = section(readme, 'Usage')
const workflows = yamlBlocks(usage).map(text => parse(text) as Workflow)

/** The variables and secrets the Usage table tells the newcomer to set: `vars.NAME`, `secrets.NAME`. */
const listed = new Set(
  usage
    .split('\n')
    .filter(line => line.startsWith('| `'))
    .flatMap(row => {
      const [, names, kind] = row.split('|')
      const context = { variable: 'vars', secret: 'secrets' }[kind.trim()]
      return [...names.matchAll(/`([A-Z0-9_]+)`/g)].map(match => `${context}.${match[1]}`)
    })
)

const VARIABLE = /^\$\{\{ vars\.([A-Z0-9_]+) \}\}$/
const SECRET = /^\$\{\{ secrets\.([A-Z0-9_]+) \}\}$/
/** A value the newcomer provides: a variable, or what the dispatcher types in. */
const PROVIDED = /^\$\{\{ (vars|inputs)\.[\w-]+ \}\}$/
const FROM_PROVIDED: string[] = [
  'cloudaeye-endpoint',
  'cloudaeye-api-key-secret-arn',
  'execution-role-arn',
  'task-role-arn',
  'vpc-id'
]

const actionSteps = (job: Job) => (job.steps ?? []).filter(step => step.uses === ACTION)
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/** What in one README workflow would stop a newcomer's copy from working, in words. */
function problemsOf(workflow: Workflow): string[] {
  const problems: string[] = []
  for (const key of ['name', 'on', 'permissions', 'jobs'] as const)
    if (workflow[key] === undefined) problems.push(`no ${key}:`)
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    const where = `job ${id}`
    if (job['runs-on'] === undefined) problems.push(`${where}: no runs-on:`)
    const steps = job.steps ?? []
    // A job's permissions replace the workflow's.
    const permissions = job.permissions ?? workflow.permissions ?? {}
    for (const step of steps.filter(s => s.uses?.startsWith('cloudaeye/'))) {
      if (step.uses !== ACTION) problems.push(`${where}: uses ${step.uses}, not ${ACTION}`)
    }
    for (const step of actionSteps(job)) {
      const index = steps.indexOf(step)
      const credentials = steps.slice(0, index).find(s => s.uses === CREDENTIALS)
      if (!credentials) {
        problems.push(`${where}: no ${CREDENTIALS} step before the action`)
      } else {
        if (!VARIABLE.test(text(credentials.with?.['role-to-assume'])))
          problems.push(`${where}: role-to-assume is not a repository variable`)
        if (credentials.with?.['aws-region'] === undefined)
          problems.push(`${where}: no aws-region for the credentials`)
        if (permissions['id-token'] !== 'write')
          problems.push(`${where}: no id-token: write, so OIDC cannot assume the role`)
      }
      const inputs = step.with ?? {}
      for (const name of FROM_PROVIDED) {
        if (name in inputs && !PROVIDED.test(text(inputs[name])))
          problems.push(`${where}: ${name} is written into the workflow, not a variable`)
      }
      if ('cloudaeye-api-key' in inputs && !SECRET.test(text(inputs['cloudaeye-api-key'])))
        problems.push(`${where}: cloudaeye-api-key is not a secret`)
      for (const [name, value] of Object.entries({ ...credentials?.with, ...inputs })) {
        if (/arn:|\b\d{12}\b|\bvpc-[0-9a-f]+\b/.test(text(value)))
          problems.push(`${where}: ${name} holds an account's own value: ${text(value)}`)
      }
      if (inputs.mode !== 'plan') {
        // Runs that change a cluster queue behind each other, per region and cluster.
        const group = job.concurrency?.group ?? ''
        const region = text(credentials?.with?.['aws-region'])
        if (!group.includes(text(inputs.cluster)) || !group.includes(region))
          problems.push(`${where}: no concurrency group of its region and cluster`)
        if (job.concurrency?.['cancel-in-progress'] !== false)
          problems.push(`${where}: cancel-in-progress is not false`)
      }
    }
  }
  const source = JSON.stringify(workflow)
  for (const [, name] of source.matchAll(/\$\{\{ ((?:vars|secrets)\.[A-Z0-9_]+) \}\}/g)) {
    if (!listed.has(name)) problems.push(`${name} is not in the README's table`)
  }
  return problems
}

/** The one job of a workflow that runs the action, with that step. */
function agentJob(workflow: Workflow): { job: Job; step: Step } {
  const jobs = Object.values(workflow.jobs ?? {}).filter(job => actionSteps(job).length > 0)
  expect(jobs).toHaveLength(1)
  expect(actionSteps(jobs[0])).toHaveLength(1)
  return { job: jobs[0], step: actionSteps(jobs[0])[0] }
}

const inputsOf = (workflow: Workflow) => agentJob(workflow).step.with ?? {}
const isDeploy = (workflow: Workflow) => inputsOf(workflow).mode === undefined
const onMainAndByHand = (workflow: Workflow) => {
  const push = workflow.on?.push as { branches?: string[] } | undefined
  return !!push?.branches?.includes('main') && 'workflow_dispatch' in (workflow.on ?? {})
}

describe('the workflows of the README Usage section', () => {
  it('are five complete workflows', () => {
    expect(workflows).toHaveLength(5)
  })

  it.each(workflows.map(workflow => [workflow.name, workflow] as const))(
    '%s works once the set-up is done and the table filled in',
    (_name, workflow) => {
      expect(problemsOf(workflow)).toEqual([])
    }
  )

  it('deploy on ECS and on EKS on a push to main and by hand', () => {
    const deploys = workflows.filter(w => isDeploy(w) && !agentJob(w).job.strategy)
    expect(deploys.map(w => inputsOf(w).platform).sort()).toEqual(['ecs', 'eks'])
    for (const workflow of deploys) expect(onMainAndByHand(workflow)).toBe(true)
  })

  it('plan a pull request with the plan role and show whether it changes anything', () => {
    const plans = workflows.filter(w => inputsOf(w).mode === 'plan')
    expect(plans).toHaveLength(1)
    const [plan] = plans
    expect(Object.keys(plan.on ?? {})).toEqual(['pull_request'])
    const { job, step } = agentJob(plan)
    const role = (w: Workflow) =>
      agentJob(w).job.steps?.find(s => s.uses === CREDENTIALS)?.with?.['role-to-assume']
    expect(role(plan)).toBe('${{ vars.CLOUDAEYE_PLAN_ROLE_ARN }}')
    for (const workflow of workflows.filter(w => w !== plan))
      expect(role(workflow)).toBe('${{ vars.CLOUDAEYE_DEPLOY_ROLE_ARN }}')
    expect(JSON.stringify(job.steps)).toContain(`steps.${step.id}.outputs.changed`)
    // A fork's pull request gets no OIDC token: the job is skipped there rather than failing.
    expect(job.if).toBe('github.event.pull_request.head.repo.full_name == github.repository')
    // It previews the ECS deploy: the same inputs, but the mode.
    const ecsDeploy = workflows.find(w => isDeploy(w) && inputsOf(w).platform === 'ecs')!
    const { mode, ...planned } = inputsOf(plan)
    expect(mode).toBe('plan')
    expect(planned).toEqual(inputsOf(ecsDeploy))
  })

  it('tear the agent down by hand from a cluster given when dispatched', () => {
    const removes = workflows.filter(w => inputsOf(w).mode === 'remove')
    expect(removes).toHaveLength(1)
    const [remove] = removes
    expect(Object.keys(remove.on ?? {})).toEqual(['workflow_dispatch'])
    const dispatch = remove.on?.workflow_dispatch as {
      inputs: Record<string, { required?: boolean }>
    }
    expect(dispatch.inputs.cluster.required).toBe(true)
    expect(inputsOf(remove).cluster).toBe('${{ inputs.cluster }}')
  })

  it('deploy to several clusters, one failing not cancelling the others', () => {
    const matrices = workflows.filter(w => agentJob(w).job.strategy)
    expect(matrices).toHaveLength(1)
    const { job } = agentJob(matrices[0])
    expect(job.strategy?.['fail-fast']).toBe(false)
    const clusters = job.strategy?.matrix?.include?.map(entry => entry.cluster) ?? []
    expect(new Set(clusters).size).toBeGreaterThan(1)
    expect(inputsOf(matrices[0]).cluster).toBe('${{ matrix.cluster }}')
    expect(job.concurrency?.group).toContain('${{ matrix.cluster }}')
    expect(onMainAndByHand(matrices[0])).toBe(true)
  })

  it('would catch a workflow a newcomer could not run as it is (self-check)', () => {
    const ecsDeploy = workflows.find(w => isDeploy(w) && inputsOf(w).platform === 'ecs')!
    const broken = structuredClone(ecsDeploy)
    broken.permissions = { contents: 'read' }
    const job = Object.values(broken.jobs!)[0]
    job.concurrency = { group: 'agent', 'cancel-in-progress': true }
    const step = actionSteps(job)[0]
    step.with = {
      ...step.with,
      'cloudaeye-endpoint': 'https://metrics.example',
      'cloudaeye-api-key': '${{ vars.CLOUDAEYE_API_KEY }}',
      'task-role-arn': 'arn:aws:iam::123456789012:role/CloudAEyeAgentTask',
      'agent-name': '${{ vars.AGENT_NAME }}'
    }
    expect(problemsOf(broken)).toEqual([
      'job deploy: no id-token: write, so OIDC cannot assume the role',
      'job deploy: cloudaeye-endpoint is written into the workflow, not a variable',
      'job deploy: task-role-arn is written into the workflow, not a variable',
      'job deploy: cloudaeye-api-key is not a secret',
      "job deploy: task-role-arn holds an account's own value: arn:aws:iam::123456789012:role/CloudAEyeAgentTask",
      'job deploy: no concurrency group of its region and cluster',
      'job deploy: cancel-in-progress is not false',
      "vars.CLOUDAEYE_API_KEY is not in the README's table",
      "vars.AGENT_NAME is not in the README's table"
    ])
  })
})
