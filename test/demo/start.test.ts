import { execFile, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import {
  freePort,
  type ServerProcess,
  spawnServer,
  stop,
  waitFor,
} from '../support/server-process.ts'

const running: ServerProcess[] = []
afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL')
})

/**
 * Starts `npm start` on a free port. The embedded sandbox binds an ephemeral loopback port before
 * the server listens, and may be handed the very port just found free: then the start is tried
 * again on another, as a person would.
 */
async function start(dataDir: string, tries = 3): Promise<ServerProcess> {
  const server = spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir })
  running.push(server)
  try {
    await waitFor(server, '/readyz', 20_000)
  } catch (error) {
    if (tries > 1 && server.output().includes('EADDRINUSE')) return start(dataDir, tries - 1)
    throw error
  }
  await expect.poll(() => server.output(), { timeout: 5000 }).toContain('npm run demo')
  return server
}

function banner(server: ServerProcess) {
  const text = server.output()
  return {
    name: /Demo provider\s+(\S+)/.exec(text)?.[1],
    key: /API key\s+(ck_\S+)/.exec(text)?.[1],
    float: /float (\S+) available/.exec(text)?.[1],
    curl: /(curl -s [\s\S]*?"id":"order-1"}')/.exec(text)?.[1],
    console: /Console\s+(http\S+)/.exec(text)?.[1],
    operator: /Operator console\s+(http\S+) \(token in (\S+)\)/.exec(text)?.slice(1),
  }
}

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/demo.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.once('exit', (code) => resolve({ code, output }))
  })
}

describe('npm start with the embedded defaults', () => {
  it('prints a funded demo provider whose curl works, which `npm run demo -- --auto` then cashes out with, and keeps it across restarts', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'cashout-start-')), 'data')
    const server = await start(dataDir)
    const printed = banner(server)
    expect(printed).toMatchObject({ name: 'demo', float: '$10,000.00' })
    expect(server.output()).toContain(`${server.url.replace('127.0.0.1', 'localhost')}/docs`)
    expect(server.stdout()).not.toContain(printed.key)
    // The console link makes the demo's first owner; the operator's token file is named.
    expect(printed.console).toMatch(/\/console\/join\/[A-Za-z0-9_-]{43}$/)
    const setup = await fetch((printed.console ?? '').replace('localhost', '127.0.0.1'))
    expect(setup.status).toBe(200)
    expect(await setup.text()).toContain('Create account')
    expect(printed.operator?.[1]).toBe(join(dataDir, 'keys.json'))

    const { stdout } = await promisify(execFile)('sh', ['-c', printed.curl ?? 'false'])
    const claim = JSON.parse(stdout)
    expect(claim).toMatchObject({ id: 'order-1', status: 'open' })
    expect(claim.url).toMatch(/\/c\/[0-9a-f-]{36}$/)

    const demo = await runCli(['--auto'], {
      CASHOUT_URL: server.url,
      DATA_DIR: dataDir,
      DEMO_RECEIVER_PORT: String(await freePort()),
    })
    expect(demo.output).toContain('Demo provider demo (from')
    expect(demo.output).toMatch(/claim\.submitted .*signature ✓/)
    expect(demo.output).toMatch(/claim\.settled .*signature ✓/)
    expect(demo.output).toContain('Done: the claim settled')
    expect(demo.code).toBe(0)

    expect((await stop(server)).code).toBe(0)
    const again = await start(dataDir)
    expect(banner(again)).toMatchObject({ name: 'demo', key: printed.key })
  })

  it('the demo says what to do when no server is running', async () => {
    const demo = await runCli([], { CASHOUT_URL: `http://127.0.0.1:${await freePort()}` })
    expect(demo.code).toBe(1)
    expect(demo.output).toContain('Start it in another terminal with `npm start`')
  })
})
