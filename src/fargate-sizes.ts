/** The CPU and memory pairs Fargate accepts, checked before a task definition is registered. */
import { InputError } from './errors.js'

interface MemoryRange {
  min: number
  max: number
  step: number
}

const GIB = 1024

/** CPU units to the memory (MiB) Fargate allows with them. */
const FARGATE_MEMORY: Record<number, MemoryRange[]> = {
  256: [
    { min: 512, max: 512, step: 1 },
    { min: 1 * GIB, max: 2 * GIB, step: GIB }
  ],
  512: [{ min: 1 * GIB, max: 4 * GIB, step: GIB }],
  1024: [{ min: 2 * GIB, max: 8 * GIB, step: GIB }],
  2048: [{ min: 4 * GIB, max: 16 * GIB, step: GIB }],
  4096: [{ min: 8 * GIB, max: 30 * GIB, step: GIB }],
  8192: [{ min: 16 * GIB, max: 60 * GIB, step: 4 * GIB }],
  16384: [{ min: 32 * GIB, max: 120 * GIB, step: 8 * GIB }]
}

function allowedMemory(cpu: number): number[] {
  return (FARGATE_MEMORY[cpu] ?? []).flatMap(range => {
    const values: number[] = []
    for (let memory = range.min; memory <= range.max; memory += range.step) values.push(memory)
    return values
  })
}

/** Accepts MiB (`512`) or GB (`1GB`, `0.5 GB`), as the ECS console does. */
function parseMemory(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(gb)?$/i.exec(raw.trim())
  if (!match) return NaN
  return match[2] ? Number(match[1]) * GIB : Number(match[1])
}

export function validateFargateSize(
  cpuRaw: string,
  memoryRaw: string
): { cpu: number; memory: number } {
  const cpu = Number(cpuRaw.trim())
  if (!Number.isInteger(cpu) || !(cpu in FARGATE_MEMORY)) {
    throw new InputError(
      'cpu',
      `'${cpuRaw}' is not a Fargate CPU size; use one of ${Object.keys(FARGATE_MEMORY).join(', ')}.`
    )
  }
  const memory = parseMemory(memoryRaw)
  const allowed = allowedMemory(cpu)
  if (!allowed.includes(memory)) {
    const ranges = FARGATE_MEMORY[cpu]
      .map(r => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max} in steps of ${r.step}`))
      .join(', ')
    throw new InputError(
      'memory',
      `'${memoryRaw}' does not fit cpu ${cpu}; Fargate accepts ${ranges} (MiB) with it.`
    )
  }
  return { cpu, memory }
}
