import { EXEC_CREDENTIAL_COMMAND } from './eks/exec-credential-command.js'
import { run } from './main.js'

// The same bundle serves as the kubeconfig's credential plugin (see eks/exec-credential.ts).
if (process.argv[2] === EXEC_CREDENTIAL_COMMAND) {
  const { printExecCredential } = await import('./eks/exec-credential.js')
  await printExecCredential(process.argv.slice(3))
} else {
  await run()
}
