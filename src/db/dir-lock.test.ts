import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirLockedError, lockDir } from './dir-lock.ts'

const freshDir = () => mkdtempSync(join(tmpdir(), 'cashout-lock-'))

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid ?? 999_999
}

describe('lockDir', () => {
  it('creates the directory and a lock holding our pid, removed on release', () => {
    const dir = join(freshDir(), 'nested', 'data')
    const lock = lockDir(dir, process.pid)
    const path = join(dir, 'cashout.lock')
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid))
    lock.release()
    expect(existsSync(path)).toBe(false)
  })

  it('refuses a directory locked by another live process, naming it', () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'cashout.lock'), `${process.ppid}\n`)
    expect(() => lockDir(dir, process.pid)).toThrow(DirLockedError)
    expect(() => lockDir(dir, process.pid)).toThrow(`pid ${process.ppid}`)
    expect(readFileSync(join(dir, 'cashout.lock'), 'utf8').trim()).toBe(String(process.ppid))
  })

  it('takes over a lock left by a process that has exited', () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'cashout.lock'), `${deadPid()}\n`)
    const lock = lockDir(dir, process.pid)
    expect(readFileSync(join(dir, 'cashout.lock'), 'utf8').trim()).toBe(String(process.pid))
    lock.release()
  })

  it('takes over an unreadable lock file', () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'cashout.lock'), 'garbage')
    expect(() => lockDir(dir, process.pid).release()).not.toThrow()
  })

  it('does not remove a lock another process took after ours was released', () => {
    const dir = freshDir()
    const lock = lockDir(dir, process.pid)
    writeFileSync(join(dir, 'cashout.lock'), `${process.ppid}\n`)
    lock.release()
    expect(existsSync(join(dir, 'cashout.lock'))).toBe(true)
  })
})
