/**
 * Renders an action's stdout the way a GitHub runner shows it in a step's log. The action talks to
 * the runner through workflow commands, lines such as `::group::Title` or `::add-mask::value`; the
 * runner acts on them instead of printing them. Used by the demo, which runs the bundle outside a
 * runner, and by the tests' stand-in for the runner (__tests__/support/workflow-job.ts).
 *
 * What the runner does, and so this formatter: `::group::` opens a fold shown as one header line
 * (here `▸ Title`, its lines indented) until `::endgroup::` or the next group; `::debug::` lines
 * show only with step debug logging on (`##[debug]…`); `::error::`, `::warning::` and `::notice::`
 * become annotations (`Error: …`); `::add-mask::` prints nothing and replaces the value by `***` in
 * every later line; `::stop-commands::TOKEN` prints every line as it is until `::TOKEN::`. Any
 * other `::` line is not a command this formatter knows and is printed as it is (masked).
 */

/** `%25`, `%0D`, `%0A`: what @actions/core escapes in a command's message. */
const DATA_ESCAPES = { '%25': '%', '%0D': '\r', '%0A': '\n' }
/** A property value also escapes `:` and `,`, which would end the value. */
const PROPERTY_ESCAPES = { ...DATA_ESCAPES, '%3A': ':', '%2C': ',' }

// One pass, so that an escaped `%` (`%25`) followed by `0A` stays the text `%0A`.
export const unescapeData = text =>
  text.replace(/%(?:25|0D|0A)/gi, m => DATA_ESCAPES[m.toUpperCase()])
export const unescapeProperty = text =>
  text.replace(/%(?:25|0D|0A|3A|2C)/gi, m => PROPERTY_ESCAPES[m.toUpperCase()])

/**
 * A workflow command, `::name key=value,key=value::message`, read as the runner reads it: leading
 * spaces ignored, properties split at `,` and then at the first `=`, an empty or malformed
 * property dropped. Undefined for a line that is no command.
 * @param {string} line
 * @returns {{ command: string, properties: Record<string, string>, data: string } | undefined}
 */
export function parseCommand(line) {
  const text = line.trimStart()
  if (!text.startsWith('::')) return undefined
  const end = text.indexOf('::', 2)
  if (end < 0) return undefined
  const info = text.slice(2, end)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (command === '') return undefined
  const properties = {}
  if (space >= 0) {
    for (const property of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const equals = property.indexOf('=')
      if (equals <= 0 || equals === property.length - 1) continue
      properties[property.slice(0, equals)] = unescapeProperty(property.slice(equals + 1))
    }
  }
  return { command, properties, data: unescapeData(text.slice(end + 2)) }
}

const ANNOTATIONS = { error: 'Error', warning: 'Warning', notice: 'Notice' }
const INDENT = '  '

/**
 * A formatter for one step's (or one job's) log: the masks and the open group carry from line to
 * line. `debug`: show `::debug::` lines, as a runner does when `ACTIONS_STEP_DEBUG` is `true`.
 * @param {{ debug?: boolean }} [options]
 */
export function createLogFormatter({ debug = false } = {}) {
  const masks = new Set()
  let inGroup = false
  let stopToken

  const mask = text => {
    // Longest first, so that a value containing a shorter masked value is hidden whole.
    for (const value of [...masks].sort((a, b) => b.length - a.length)) {
      text = text.split(value).join('***')
    }
    return text
  }
  const show = text =>
    mask(text)
      .split(/\r?\n/)
      .map(part => (inGroup ? INDENT : '') + part)

  /**
   * The lines the runner would show for one line of output (none for a hidden one).
   * @param {string} rawLine
   * @returns {string[]}
   */
  function format(rawLine) {
    const line = rawLine.replace(/\r$/, '')
    const parsed = parseCommand(line)
    if (stopToken !== undefined) {
      if (parsed && parsed.command === stopToken) {
        stopToken = undefined
        return []
      }
      return show(line)
    }
    if (!parsed) return show(line)
    const { command, data } = parsed
    switch (command) {
      case 'add-mask':
        if (data !== '') masks.add(data)
        return []
      case 'group':
        // The runner does not nest folds: a new group closes the open one.
        inGroup = true
        return [`▸ ${mask(data).replace(/\r?\n/g, ' ')}`]
      case 'endgroup':
        inGroup = false
        return []
      case 'debug':
        return debug ? show(data).map(text => text.replace(/^(\s*)/, '$1##[debug]')) : []
      case 'stop-commands':
        if (data !== '') stopToken = data
        return []
      case 'error':
      case 'warning':
      case 'notice': {
        const [first, ...rest] = show(data)
        const prefix = `${ANNOTATIONS[command]}: `
        return [first.replace(/^(\s*)/, `$1${prefix}`), ...rest]
      }
      default:
        return show(line)
    }
  }

  /** Formats a whole text, line by line; a final newline ends the last line, as in a log. */
  function formatText(text) {
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    return lines.flatMap(format)
  }

  return { format, formatText, mask, masks }
}

/** The line the demo prints before the action's own output. */
export const RUNNER_NOTE =
  'The action prints workflow commands (`::group::`, `::add-mask::`, `::debug::`, …), which a runner ' +
  'acts on instead of showing; below they are rendered as a runner log shows them: groups folded ' +
  'under ▸, masked values as ***, debug lines only with ACTIONS_STEP_DEBUG=true.'
