/**
 * The shipped IAM policies (the deploy policies and the agent's own), run through parliament with
 * its community auditors, which look for privilege escalation, installed in .venv by
 * scripts/setup-linters.sh. Any finding fails the test unless permissions/linter-suppressions.yaml
 * names it with a reason, and an entry there that no longer matches a finding fails it too.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse, stringify } from 'yaml'

const root = fileURLToPath(new URL('../../', import.meta.url))
const PARLIAMENT = path.join(root, '.venv/bin/parliament')
const AGENT_POLICY = 'templates/agent-cloudwatch-read.json'
const SUPPRESSIONS = 'permissions/linter-suppressions.yaml'

/** What names one finding; a suppression must carry the same fields with the same values. */
interface FindingKey {
  linter: 'parliament'
  file: string
  finding: string
  /** The Sid of the statement parliament points at. */
  statement?: string
  actions?: string[]
  /** The escalation method a privilege-escalation finding names. */
  type?: string
}

interface Finding {
  key: FindingKey
  /** The linter's own words. */
  message: string
}

interface Suppression extends FindingKey {
  reason: string
}

interface PolicyInput {
  file: string
  text: string
}

function execute(command: string, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // No terminal on stdin: parliament would otherwise take it as a policy to read.
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

/** The statement that starts at a 1-based line and column, found by matching its braces. */
function statementAt(text: string, line: number, column: number): { Sid?: string } {
  const lineStart =
    text
      .split('\n')
      .slice(0, line - 1)
      .join('\n').length + (line > 1 ? 1 : 0)
  const start = lineStart + column - 1
  if (text[start] !== '{') throw new Error(`no statement at ${line}:${column}`)
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return JSON.parse(text.slice(start, i + 1))
  }
  throw new Error(`unbalanced statement at ${line}:${column}`)
}

const lowerSorted = (actions: string[]) => actions.map(action => action.toLowerCase()).sort()

function actionsOf(detail: unknown): string[] | undefined {
  if (!Array.isArray(detail)) return undefined
  const actions = detail.map(item => (typeof item === 'string' ? item : item?.action))
  return actions.every(action => typeof action === 'string') ? lowerSorted(actions) : undefined
}

/** Runs parliament once over the given policies, every auditor and severity switched on. */
async function parliamentFindings(inputs: Map<string, PolicyInput>): Promise<Finding[]> {
  const { code, stdout, stderr } = await execute(PARLIAMENT, [
    '--include-community-auditors',
    '--minimum_severity',
    'INFO',
    '--json',
    '--files',
    [...inputs.keys()].join(',')
  ])
  // 0: no finding, 1: findings; anything else is parliament failing to read a policy.
  if (code !== 0 && code !== 1) throw new Error(`parliament exited ${code}: ${stderr}`)
  return stdout
    .split('\n')
    .filter(line => line.trim())
    .map(line => {
      const raw = JSON.parse(line)
      const input = inputs.get(raw.location.filepath)
      if (!input) throw new Error(`parliament reported an unknown file: ${line}`)
      const { line: at, column, actions, type } = raw.location
      const key: FindingKey = { linter: 'parliament', file: input.file, finding: raw.issue }
      if (at) key.statement = statementAt(input.text, at, column).Sid ?? `line ${at}`
      const named = actions ? lowerSorted(actions) : actionsOf(raw.detail)
      if (named) key.actions = named
      if (type) key.type = type
      const detail = raw.detail && raw.detail.length !== 0 ? JSON.stringify(raw.detail) : ''
      const message = [raw.severity, raw.title, raw.description, detail].filter(Boolean)
      return { key, message: message.join(' - ') }
    })
}

function sameKey(finding: FindingKey, suppression: Suppression): boolean {
  const fields = ['linter', 'file', 'finding', 'statement', 'type'] as const
  return (
    fields.every(field => finding[field] === suppression[field]) &&
    JSON.stringify(finding.actions) ===
      JSON.stringify(suppression.actions && lowerSorted(suppression.actions))
  )
}

/** Findings nobody excused, and excuses that excuse nothing. */
function reconcile(findings: Finding[], suppressions: Suppression[]) {
  return {
    unsuppressed: findings.filter(f => !suppressions.some(s => sameKey(f.key, s))),
    stale: suppressions.filter(s => !findings.some(f => sameKey(f.key, s)))
  }
}

/** Each problem as the entry that would excuse it (or the entry to remove), under the linter's words. */
function problemReport({ unsuppressed, stale }: ReturnType<typeof reconcile>): string {
  const entry = (fields: object) => stringify([fields]).trimEnd()
  return [
    ...unsuppressed.map(
      ({ key, message }) => `Not suppressed: ${message}\n${entry({ ...key, reason: '' })}`
    ),
    ...stale.map(suppression => `Matches no finding any more:\n${entry(suppression)}`)
  ].join('\n\n')
}

let work: string

beforeAll(async () => {
  if (!existsSync(PARLIAMENT)) {
    throw new Error(`${PARLIAMENT} is missing: run scripts/setup-linters.sh`)
  }
  work = await mkdtemp(path.join(os.tmpdir(), 'policy-linters-'))
})

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

/**
 * Trust policies (their statements name a Principal) say who may assume a role, not what it may
 * do; parliament reads every file as an identity policy and calls them malformed. They are proven
 * in __tests__/unit/agent-roles.test.ts instead.
 */
const TRUST_POLICIES = [
  'permissions/ecs-agent-execution-trust.json',
  'permissions/ecs-agent-task-trust.json',
  'permissions/github-oidc-trust-deploy.json',
  'permissions/github-oidc-trust-plan.json'
]

const isTrustPolicy = (file: string) =>
  (
    JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
      Statement: { Principal?: unknown }[]
    }
  ).Statement.some(statement => statement.Principal !== undefined)

/** Every permissions/*.json that is not a trust policy, and the agent's own policy. */
function shippedPolicies(): Map<string, PolicyInput> {
  const all = readdirSync(path.join(root, 'permissions'))
    .filter(name => name.endsWith('.json'))
    .map(name => `permissions/${name}`)
  // Only the trust policies named above are left out: a new one must be named, and proven.
  expect(all.filter(isTrustPolicy).sort()).toEqual(TRUST_POLICIES)
  const files = all.filter(file => !isTrustPolicy(file))
  return new Map(
    [...files, AGENT_POLICY].map(file => [
      file,
      { file, text: readFileSync(path.join(root, file), 'utf8') }
    ])
  )
}

describe('the shipped policies', () => {
  it('have no linter finding that is not suppressed with a reason', async () => {
    const inputs = shippedPolicies()
    expect(inputs.has(AGENT_POLICY)).toBe(true)
    // The agent's own ECS role policies are linted like the deploy policies.
    expect(inputs.has('permissions/ecs-agent-execution-role.json')).toBe(true)
    expect(inputs.has('permissions/ecs-agent-task-role.json')).toBe(true)
    const suppressions = parse(readFileSync(path.join(root, SUPPRESSIONS), 'utf8')) as Suppression[]
    for (const suppression of suppressions) expect(suppression.reason?.trim()).toBeTruthy()

    const findings = await parliamentFindings(inputs)
    const problems = problemReport(reconcile(findings, suppressions))
    if (problems) throw new Error(`${SUPPRESSIONS} and the linters disagree:\n\n${problems}`)
  })
})

describe('the linters, shown to catch what they are here for', () => {
  it('parliament reports privilege escalation in a policy that can rewrite its own permissions', async () => {
    const file = path.join(work, 'escalating.json')
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RewritePolicies',
          Effect: 'Allow',
          Action: 'iam:CreatePolicyVersion',
          Resource: '*'
        }
      ]
    })
    await writeFile(file, text)
    const findings = await parliamentFindings(new Map([[file, { file: 'escalating.json', text }]]))
    expect(findings.map(f => f.key)).toContainEqual({
      linter: 'parliament',
      file: 'escalating.json',
      finding: 'PRIVILEGE_ESCALATION',
      actions: ['iam:createpolicyversion'],
      type: 'CreateNewPolicyVersion'
    })
  })

  it('a finding without an entry and an entry without a finding both count', () => {
    const finding: Finding = {
      key: { linter: 'parliament', file: 'p.json', finding: 'RESOURCE_STAR', statement: 'Read' },
      message: 'LOW - Unnecessary use of Resource *'
    }
    const matching: Suppression = { ...finding.key, reason: 'why' }
    const otherStatement: Suppression = { ...matching, statement: 'Write' }
    expect(reconcile([finding], [matching])).toEqual({ unsuppressed: [], stale: [] })
    expect(reconcile([finding], [otherStatement])).toEqual({
      unsuppressed: [finding],
      stale: [otherStatement]
    })
    expect(reconcile([], [matching]).stale).toEqual([matching])
  })
})
