/**
 * aws-sdk-client-mock stubs `Client#send`, which skips the whole middleware stack: the action's
 * call log and the IAM action it puts on errors, and the SDK's own retries. The failure paths
 * under test depend on both, so here the stub answers from below them: every real ECS or EC2 client
 * gets one extra middleware, innermost, that asks an aws-sdk-client-mock stub for the answer in
 * place of the network. Tests still say `mock.on(RunTaskCommand).resolves(...)`, and everything
 * above the wire runs as in production.
 */
import { EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient } from '@aws-sdk/client-ecs'
import { EKSClient } from '@aws-sdk/client-eks'
import type {
  AbsoluteLocation,
  DeserializeHandlerOptions,
  DeserializeMiddleware
} from '@smithy/types'
import { mockClient } from 'aws-sdk-client-mock'

type Send = (command: object, ...rest: unknown[]) => Promise<unknown>

interface HookableClient {
  send: Send
  middlewareStack: {
    add(
      middleware: DeserializeMiddleware<object, object>,
      options: DeserializeHandlerOptions & AbsoluteLocation
    ): void
  }
}

/**
 * Makes every client of the class answer through `answer`, and returns the undo. The command is
 * found again from its input object, which the stack passes down unchanged.
 */
function answerBelowMiddleware(prototype: object, answer: Send): () => void {
  const hookable = prototype as HookableClient
  const ownSend = Object.prototype.hasOwnProperty.call(hookable, 'send')
  const originalSend = hookable.send
  const commands = new WeakMap<object, object>()
  const hooked = new WeakSet<object>()
  hookable.send = function (this: HookableClient, command: object, ...rest: unknown[]) {
    if (!hooked.has(this)) {
      hooked.add(this)
      this.middlewareStack.add(
        () => async args => {
          const command = commands.get(args.input)
          if (!command) throw new Error('answerBelowMiddleware: a command it did not see')
          const output = (await answer(command)) as object | undefined
          // The retry middleware above writes attempts into $metadata.
          return { output: { $metadata: {}, ...output }, response: {} }
        },
        // Innermost: under the retry (finalizeRequest) and log (initialize) middleware.
        { step: 'deserialize', priority: 'high', name: 'answerBelowMiddleware' }
      )
    }
    commands.set((command as { input: object }).input, command)
    return originalSend.call(this, command, ...rest)
  }
  return () => {
    if (ownSend) hookable.send = originalSend
    else delete (hookable as Partial<HookableClient>).send
  }
}

/** A stub that answers every ECS call any ECSClient makes, from below its middleware. */
export function mockEcsBelowMiddleware() {
  const router = new ECSClient({ region: 'us-east-1' })
  const mock = mockClient(router)
  const undo = answerBelowMiddleware(ECSClient.prototype, command =>
    (router as unknown as { send: Send }).send(command)
  )
  return { mock, restore: () => (undo(), mock.restore()) }
}

/** The same for EC2. */
export function mockEc2BelowMiddleware() {
  const router = new EC2Client({ region: 'us-east-1' })
  const mock = mockClient(router)
  const undo = answerBelowMiddleware(EC2Client.prototype, command =>
    (router as unknown as { send: Send }).send(command)
  )
  return { mock, restore: () => (undo(), mock.restore()) }
}

/** The same for EKS, whose Pod Identity associations no emulator has. */
export function mockEksBelowMiddleware() {
  const router = new EKSClient({ region: 'us-east-1' })
  const mock = mockClient(router)
  const undo = answerBelowMiddleware(EKSClient.prototype, command =>
    (router as unknown as { send: Send }).send(command)
  )
  return { mock, restore: () => (undo(), mock.restore()) }
}

/**
 * The same for one client the test builds itself: its calls are answered by `router`'s stub,
 * innermost in its middleware stack. The command is rebuilt from its name, so `commands` is the
 * SDK module's exports (e.g. `import * as iam from '@aws-sdk/client-iam'`).
 */
export function answerFromStub<C extends { middlewareStack: object }>(
  client: C,
  router: object,
  commands: object
): C {
  const classes = commands as Record<string, new (input: object) => object>
  ;(client.middlewareStack as HookableClient['middlewareStack']).add(
    (_next, context) => async args => {
      const Command = classes[context.commandName ?? '']
      const output = (await (router as { send: Send }).send(new Command(args.input))) as
        object | undefined
      // The retry middleware above writes attempts into $metadata.
      return { output: { $metadata: {}, ...output }, response: {} }
    },
    { step: 'deserialize', priority: 'high', name: 'answerFromStub' }
  )
  return client
}
