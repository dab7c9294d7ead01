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
    /** What is wrong and the fix, without the `Input '...': ` prefix. */
    readonly reason: string
  ) {
    super(`Input '${input}': ${reason}`)
  }
}

/**
 * Two or more bad inputs of one run, in action.yml's order. The message's first line gives the
 * count, then one line per input, each the message its InputError has alone.
 */
export class InputErrors extends ActionError {
  override name = 'InputErrors'
  constructor(readonly errors: readonly InputError[]) {
    super(
      [`${errors.length} inputs are invalid:`, ...errors.map(error => error.message)].join('\n')
    )
  }
}
