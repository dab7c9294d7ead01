/** The action's IAM policies, and emulator users that hold only their actions. */
import { readFileSync } from 'node:fs'
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient
} from '@aws-sdk/client-iam'
import { REGION, motoEnvironment } from './moto.js'

export interface Statement {
  Sid: string
  Action: string | string[]
}

export function policyStatements(file: string): Statement[] {
  return JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')).Statement
}

/**
 * The statements' actions, on every resource and without conditions: the emulator judges actions
 * only, and would match a scoped resource against '*' and refuse it.
 */
export function actionsOnly(statements: Statement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map(({ Action }) => ({ Effect: 'Allow', Action, Resource: '*' }))
  })
}

/** A fresh IAM user holding only `policy`; returns the environment that runs as that user. */
export async function userWithPolicy(
  name: string,
  policy: string
): Promise<Record<string, string>> {
  const iam = new IAMClient({ region: REGION })
  await iam.send(new CreateUserCommand({ UserName: name }))
  const created = await iam.send(
    new CreatePolicyCommand({ PolicyName: `${name}-policy`, PolicyDocument: policy })
  )
  await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: created.Policy!.Arn! }))
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }))
  iam.destroy()
  return {
    ...motoEnvironment(),
    AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!,
    AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey!
  }
}
