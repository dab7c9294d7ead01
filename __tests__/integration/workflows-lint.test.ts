/**
 * actionlint (built into .cache/actionlint by scripts/setup-actionlint.sh) on every workflow in
 * .github/workflows and on every YAML example in the README, so that what a newcomer copies works.
 *
 * A README block that is a whole workflow (has `jobs:`) is linted as it is; a list of steps, a
 * single step, or a job fragment (`steps:` with e.g. `permissions:`) is first wrapped into a minimal
 * workflow. actionlint cannot know this action's metadata when it is used as
 * `cloudaeye/metrics-agent-action@...`, so the test checks those steps against action.yml itself:
 * every `with:` key is an input, every required input is given, and every
 * `steps.<id>.outputs.<name>` of such a step is an output.
 *
 * shellcheck and pyflakes, which actionlint runs on `run:` scripts when they are on PATH, are
 * switched off so that the result does not depend on the machine.
 */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parse, stringify } from 'yaml'

const root = fileURLToPath(new URL('../../', import.meta.url))
const ACTION_REPO = 'cloudaeye/metrics-agent-action'

const actionlintVersion = /^ACTIONLINT_VERSION=(\S+)$/m.exec(
  readFileSync(path.join(root, 'scripts/setup-actionlint.sh'), 'utf8')
)?.[1]
const ACTIONLINT = path.join(root, '.cache/actionlint', actionlintVersion ?? '', 'actionlint')

interface ActionlintFinding {
  message: string
  filepath: string
  line: number
  column: number
  kind: string
}

/** actionlint's findings on one workflow, given as text; throws when actionlint itself fails. */
function actionlint(text: string, filename: string): Promise<ActionlintFinding[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      ACTIONLINT,
      ['-no-color', '-shellcheck=', '-pyflakes=', '-format', '{{json .}}'].concat(
        '-stdin-filename',
        filename,
        '-'
      ),
      { cwd: root },
      (error, stdout, stderr) => {
        // 0: no finding, 1: findings; anything else is actionlint failing.
        const code = error ? (error as { code?: unknown }).code : 0
        if (code !== 0 && code !== 1) {
          reject(new Error(`actionlint exited with ${String(code)}: ${stderr}`))
          return
        }
        resolve(JSON.parse(stdout.trim() || '[]') as ActionlintFinding[])
      }
    )
    child.stdin?.end(text)
  })
}

const describeFinding = (f: ActionlintFinding) =>
  `${f.filepath}:${f.line}:${f.column}: ${f.message} [${f.kind}]`

// ---- action.yml checks --------------------------------------------------------------------------

interface ActionMetadata {
  inputs: Record<string, { required?: boolean }>
  outputs: Record<string, unknown>
}
const metadata = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as ActionMetadata
const INPUTS = Object.keys(metadata.inputs)
const REQUIRED_INPUTS = INPUTS.filter(name => metadata.inputs[name].required === true)
const OUTPUTS = Object.keys(metadata.outputs)

type Step = Record<string, unknown>
type Job = { steps?: Step[] } & Record<string, unknown>
type Workflow = { jobs?: Record<string, Job> } & Record<string, unknown>

const usesThisAction = (step: Step) =>
  typeof step.uses === 'string' && step.uses.startsWith(`${ACTION_REPO}@`)

/** What in the workflow disagrees with action.yml, in words. */
function checkAgainstActionMetadata(workflow: Workflow): string[] {
  const problems: string[] = []
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    const steps = Array.isArray(job?.steps) ? job.steps : []
    const ids = new Set<string>()
    steps.forEach((step, index) => {
      if (!step || typeof step !== 'object' || !usesThisAction(step)) return
      const where = `job ${jobId}, step ${index + 1}${step.id ? ` (id ${String(step.id)})` : ''}`
      if (typeof step.id === 'string') ids.add(step.id)
      const given = Object.keys((step.with as Record<string, unknown> | null | undefined) ?? {})
      for (const key of given)
        if (!INPUTS.includes(key)) problems.push(`${where}: input "${key}" is not in action.yml`)
      for (const key of REQUIRED_INPUTS)
        if (!given.includes(key)) problems.push(`${where}: required input "${key}" is missing`)
    })
    // Any expression anywhere in the job (run scripts, with: values, env, if:) may read outputs.
    const text = stringify(job)
    const reference =
      /\bsteps\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])/g
    for (const match of text.matchAll(reference)) {
      const [, id, dotted, bracketed] = match
      const output = dotted ?? bracketed
      if (ids.has(id) && !OUTPUTS.includes(output))
        problems.push(`job ${jobId}: steps.${id}.outputs.${output} is not an output in action.yml`)
    }
  }
  return problems
}

// ---- README examples ----------------------------------------------------------------------------

interface Example {
  /** README line of the opening fence. */
  line: number
  source: string
}

function yamlBlocks(markdown: string): Example[] {
  const blocks: Example[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i])
    blocks.push({ line: start + 1, source: body.join('\n') + '\n' })
  }
  return blocks
}

const isStep = (value: unknown): value is Step =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  ('uses' in value || 'run' in value)

/** The minimal permissions the wrapped steps need: OIDC for a role to assume. */
function permissionsFor(steps: Step[]): Record<string, string> {
  const oidc = steps.some(
    step => !!step.with && typeof step.with === 'object' && 'role-to-assume' in step.with
  )
  return oidc ? { 'id-token': 'write', contents: 'read' } : { contents: 'read' }
}

/**
 * A whole workflow for the block: as it is when it has `jobs:`, otherwise the block wrapped into
 * one. `kind` says which; throws when the block is none of the shapes the README uses.
 */
function asWorkflow(source: string): { kind: string; text: string; workflow: Workflow } {
  const value: unknown = parse(source)
  const wrap = (kind: string, job: Job) => {
    const workflow = { on: 'push', jobs: { example: job } }
    return { kind, text: stringify(workflow), workflow: workflow as Workflow }
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && 'jobs' in value)
    return { kind: 'workflow', text: source, workflow: value as Workflow }
  if (Array.isArray(value) && value.length > 0 && value.every(isStep))
    return wrap('steps', {
      'runs-on': 'ubuntu-latest',
      permissions: permissionsFor(value),
      steps: value
    })
  if (isStep(value))
    return wrap('step', {
      'runs-on': 'ubuntu-latest',
      permissions: permissionsFor([value]),
      steps: [value]
    })
  if (value && typeof value === 'object' && !Array.isArray(value) && 'steps' in value) {
    const fragment = value as Job
    const steps = Array.isArray(fragment.steps) ? fragment.steps : []
    return wrap('job fragment', {
      'runs-on': 'ubuntu-latest',
      permissions: permissionsFor(steps),
      ...fragment
    })
  }
  throw new Error('not a workflow, a job fragment, a list of steps or a step')
}

const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const examples = yamlBlocks(readme)
const workflowsDir = path.join(root, '.github/workflows')
const workflowFiles = readdirSync(workflowsDir).filter(name => /\.ya?ml$/.test(name))

describe('actionlint', () => {
  it('is installed by the global set-up', () => {
    expect(actionlintVersion).toBeDefined()
    expect(existsSync(ACTIONLINT)).toBe(true)
  })

  it('and the action.yml check catch a bad example (self-check)', async () => {
    const bad = `- uses: ${ACTION_REPO}@v1
  id: agent
  with:
    platfrom: ecs
    cluster: prod-cluster
- run: echo "\${{ steps.agent.outputs.task_arn }} \${{ unknown.context }}"
`
    const { text, workflow } = asWorkflow(bad)
    const findings = await actionlint(text, 'self-check.yml')
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining('undefined variable "unknown"')
    ])
    expect(checkAgainstActionMetadata(workflow)).toEqual([
      'job example, step 1 (id agent): input "platfrom" is not in action.yml',
      'job example, step 1 (id agent): required input "platform" is missing',
      'job example: steps.agent.outputs.task_arn is not an output in action.yml'
    ])
    // And a good one passes both.
    const good = asWorkflow(`- uses: ${ACTION_REPO}@v1
  id: agent
  with: { platform: ecs, cluster: c, cloudaeye-api-key: '\${{ secrets.KEY }}' }
- run: echo "\${{ steps.agent.outputs['task-arn'] }}"
`)
    expect(await actionlint(good.text, 'self-check-good.yml')).toEqual([])
    expect(checkAgainstActionMetadata(good.workflow)).toEqual([])
  })
})

describe('the workflows in .github/workflows', () => {
  it('are there', () => {
    expect(workflowFiles.length).toBeGreaterThan(0)
  })

  it.each(workflowFiles)('%s has no actionlint finding', async name => {
    const text = readFileSync(path.join(workflowsDir, name), 'utf8')
    const findings = await actionlint(text, `.github/workflows/${name}`)
    expect(findings.map(describeFinding)).toEqual([])
  })
})

describe('the YAML examples in README.md', () => {
  it('are found', () => {
    expect(examples.length).toBeGreaterThan(0)
  })

  it.each(examples.map(e => [e.line, e] as const))(
    'block at README.md line %i passes actionlint and matches action.yml',
    async (_line, example) => {
      const where = (text: string, f: ActionlintFinding) =>
        `actionlint: ${f.message} [${f.kind}] at line ${f.line} of the ${kind}:\n  ${text.split('\n')[f.line - 1]}`
      let kind = 'workflow'
      const problems: string[] = []
      let shaped: ReturnType<typeof asWorkflow> | undefined
      try {
        shaped = asWorkflow(example.source)
      } catch (error) {
        // Not YAML (or no known shape): let actionlint say where, when it is meant as a workflow.
        kind = /^jobs:/m.test(example.source) ? 'workflow' : 'block'
        if (kind === 'workflow') {
          const findings = await actionlint(example.source, `README.md-line-${example.line}.yml`)
          problems.push(...findings.map(f => where(example.source, f)))
        }
        if (problems.length === 0)
          problems.push(`cannot read the block: ${(error as Error).message}`)
      }
      if (shaped) {
        kind = shaped.kind
        const findings = await actionlint(shaped.text, `README.md-line-${example.line}.yml`)
        problems.push(...findings.map(f => where(shaped.text, f)))
        problems.push(...checkAgainstActionMetadata(shaped.workflow).map(p => `action.yml: ${p}`))
      }
      expect({ kind, problems }).toEqual({ kind, problems: [] })
    }
  )
})
