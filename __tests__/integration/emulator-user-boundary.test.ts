/**
 * The emulator's IAM users keep a permissions boundary as AWS's do (scripts/moto-atomic-server.py
 * adds it; moto keeps boundaries for roles only): CreateUser and PutUserPermissionsBoundary set it,
 * GetUser and CreateUser return it, ListUsers leaves it out, DeleteUserPermissionsBoundary removes
 * it, and an ARN that names no policy is refused.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPermissionsBoundaryCommand
} from '@aws-sdk/client-iam'
import { REGION, resetMoto, useMotoEnvironment } from '../support/moto.js'

const BOUNDARY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'
let iam: IAMClient

beforeEach(async () => {
  useMotoEnvironment()
  await resetMoto()
  iam = new IAMClient({ region: REGION })
})

const boundaryOf = async (UserName: string) =>
  (await iam.send(new GetUserCommand({ UserName }))).User?.PermissionsBoundary

describe("the emulator's user permissions boundary", () => {
  it('is set on create, returned by GetUser, and left out of ListUsers', async () => {
    const created = await iam.send(
      new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: BOUNDARY })
    )
    expect(created.User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(BOUNDARY)
    expect(await boundaryOf('bounded')).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: BOUNDARY
    })
    const listed = await iam.send(new ListUsersCommand({}))
    expect(listed.Users?.[0].PermissionsBoundary).toBeUndefined()
  })

  it('is put on, and deleted from, a user made without one', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'plain' }))
    expect(await boundaryOf('plain')).toBeUndefined()

    await iam.send(
      new PutUserPermissionsBoundaryCommand({ UserName: 'plain', PermissionsBoundary: BOUNDARY })
    )
    expect((await boundaryOf('plain'))?.PermissionsBoundaryArn).toBe(BOUNDARY)

    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'plain' }))
    expect(await boundaryOf('plain')).toBeUndefined()
  })

  it('refuses an ARN that names no policy, and a user that does not exist', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'plain' }))
    await expect(
      iam.send(
        new PutUserPermissionsBoundaryCommand({ UserName: 'plain', PermissionsBoundary: 'nope' })
      )
    ).rejects.toMatchObject({ name: 'InvalidInputException' })
    await expect(
      iam.send(new CreateUserCommand({ UserName: 'other', PermissionsBoundary: 'nope' }))
    ).rejects.toMatchObject({ name: 'InvalidInputException' })
    await expect(
      iam.send(
        new PutUserPermissionsBoundaryCommand({ UserName: 'ghost', PermissionsBoundary: BOUNDARY })
      )
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' })
  })
})
