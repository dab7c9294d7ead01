/**
 * A failure the user can act on: its message is printed as the step's error line, without a stack
 * trace. Anything else that escapes is a defect and keeps its stack in the debug log.
 */
export class ActionError extends Error {
  override name = 'ActionError'
}

/** A bad input value, found before any AWS client exists. */
export class InputError extends ActionError {
  override name = 'InputError'
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`Input '${input}': ${message}`)
  }
}
