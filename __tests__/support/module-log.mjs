/**
 * Preloaded with `node --import` into the bundle under test: records the URL of every file module
 * the process loads, into the file named by MODULE_LOG. The bundle loads its chunks with dynamic
 * import(), so each chunk it touches is resolved, and recorded, here.
 */
import { register } from 'node:module'

register('./module-log-hooks.mjs', import.meta.url, {
  data: { logFile: process.env.MODULE_LOG }
})
