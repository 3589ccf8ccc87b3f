import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { emptyState, revive, type SandboxState } from './state.ts'

export interface SandboxStore {
  state: SandboxState
  /** Call after every change; a file-backed store writes soon after, atomically. */
  changed(): void
  flush(): void
}

export function memoryStore(balanceMinor: number): SandboxStore {
  return { state: emptyState(balanceMinor), changed: () => {}, flush: () => {} }
}

/** State kept in a JSON file, so an embedded sandbox picks up its queued callbacks after a restart. */
export function fileStore(path: string, balanceMinor: number): SandboxStore {
  const state: SandboxState = existsSync(path)
    ? revive(JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxState>, balanceMinor)
    : emptyState(balanceMinor)
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    const tmp = `${path}.tmp`
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 })
    renameSync(tmp, path)
  }
  return {
    state,
    changed: () => {
      timer ??= setTimeout(flush, 25)
    },
    flush,
  }
}
