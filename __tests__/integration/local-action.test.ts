/**
 * `npm run local-action` runs src/main.ts through GitHub's @github/local-action, with inputs from a
 * dotenv file. These tests keep `.env.example` true to action.yml and run the tool itself: bad
 * inputs, then an ECS deploy against the emulator.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { ListTasksCommand, ECSClient } from '@aws-sdk/client-ecs'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parse } from 'yaml'
import {
  REGION,
  createCluster,
  createNetwork,
  holdTaskStates,
  motoUrl,
  resetMoto,
  useMotoEnvironment
} from '../support/moto.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** `.env.example` holds plain `NAME=value` lines and comments, nothing dotenv would read otherwise. */
function readEnvFile(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n')
  const entries = lines
    .filter(line => line.trim() !== '' && !line.startsWith('#'))
    .map(line => {
      const match = /^([A-Za-z_][\w-]*)=(.*)$/.exec(line)
      if (!match) throw new Error(`.env.example: not a NAME=value line: ${line}`)
      return [match[1], match[2]]
    })
  return Object.fromEntries(entries)
}

const example = readEnvFile(path.join(root, '.env.example'))
const actionInputs = Object.keys(parse(readFileSync(path.join(root, 'action.yml'), 'utf8')).inputs)
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

interface LocalRun {
  printed: string
  outputs: Record<string, string>
}

/** Runs the package script's command with `.env.example` changed by `overrides`. */
async function runLocalAction(overrides: Record<string, string>): Promise<LocalRun> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'local-action-'))
  const envFile = path.join(directory, '.env')
  const variables = { ...example, ...overrides }
  writeFileSync(
    envFile,
    Object.entries(variables)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n')
  )
  // The package script with the dotenv file swapped: `local-action . src/main.ts .env`.
  const [tool, ...args] = packageJson.scripts['local-action'].split(' ')
  args[args.length - 1] = envFile
  const { stdout, stderr } = await promisify(execFile)(
    path.join(root, 'node_modules/.bin', tool),
    args,
    {
      cwd: root,
      // Only what the tool needs: no credentials from the test's own environment.
      env: { PATH: process.env.PATH, HOME: directory },
      maxBuffer: 16 * 1024 * 1024
    }
  ).finally(() => rmSync(directory, { recursive: true, force: true }))
  const printed = stdout + stderr
  const outputs = Object.fromEntries(
    [...printed.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)].map(match => [match[1], match[2]])
  )
  return { printed, outputs }
}

describe('.env.example', () => {
  it('names only inputs that action.yml declares, spelled as the runner spells them', () => {
    const names = Object.keys(example)
      .filter(name => name.startsWith('INPUT_'))
      .map(name => name.slice('INPUT_'.length))
    expect(names.length).toBeGreaterThan(0)
    const declared = actionInputs.map(name => name.toUpperCase())
    expect(names.filter(name => !declared.includes(name))).toEqual([])
  })

  it('is what the local-action script reads once copied to the git-ignored .env', () => {
    expect(packageJson.scripts['local-action']).toBe('local-action . src/main.ts .env')
    const ignored = readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n')
    expect(ignored).toContain('.env')
  })
})

describe('npm run local-action', () => {
  beforeEach(async () => {
    useMotoEnvironment()
    await resetMoto()
  })

  it('reports every bad input in one run, the count first', async () => {
    const run = await runLocalAction({
      'INPUT_VPC-ID': 'nope',
      INPUT_CPU: '3',
      'INPUT_WAIT-TIMEOUT': 'soon',
      AWS_ENDPOINT_URL: motoUrl()
    })

    const errors = run.printed.split('\n').filter(line => line.startsWith('::error::'))
    expect(errors[0]).toBe('::error::3 inputs are invalid:')
    expect(errors.slice(1).map(line => /Input '([\w-]+)'/.exec(line)?.[1])).toEqual(
      expect.arrayContaining(['vpc-id', 'cpu', 'wait-timeout'])
    )
    expect(errors).toHaveLength(4)
    expect(run.outputs['changed']).toBe('false')
  })

  it('deploys the agent to an emulated ECS cluster and keeps the key out of the log', async () => {
    await holdTaskStates()
    const network = await createNetwork()
    await createCluster('local')
    const apiKey = 'cak_local_action_0123456789abcdef'

    const run = await runLocalAction({
      INPUT_MODE: 'deploy',
      INPUT_CLUSTER: 'local',
      'INPUT_VPC-ID': network.vpcId,
      'INPUT_CLOUDAEYE-API-KEY': apiKey,
      AWS_ENDPOINT_URL: motoUrl()
    })

    expect(run.printed).not.toContain('::error::')
    expect(run.outputs['changed']).toBe('true')
    const running = await new ECSClient({ region: REGION }).send(
      new ListTasksCommand({ cluster: 'local', desiredStatus: 'RUNNING' })
    )
    expect(running.taskArns).toEqual([run.outputs['task-arn']])
    expect(run.printed).not.toContain(apiKey)
  }, 180_000)
})
