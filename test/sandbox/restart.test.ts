import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.ts'
import { createLogger } from '../../src/log/logger.ts'
import { createSandbox } from '../../src/sandbox/app.ts'
import { fileStore } from '../../src/sandbox/store.ts'
import { type Receiver, startReceiver, until } from '../support/receiver.ts'
import { SANDBOX_CREDENTIALS, sandboxCall, withdrawal } from '../support/sandbox.ts'

const receivers: Receiver[] = []
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close()
})

const fileSandbox = (path: string) =>
  createSandbox({
    store: fileStore(path, 1_000_000),
    clock: systemClock,
    timeScale: 0.05,
    fetch: globalThis.fetch,
    logger: createLogger({ level: 'silent', write: () => {} }),
    credentials: SANDBOX_CREDENTIALS,
  })

describe('a sandbox that keeps its state in a file', () => {
  it('finishes withdrawals and sends callbacks it had queued before it stopped', async () => {
    const receiver = await startReceiver()
    receivers.push(receiver)
    const path = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'state.json')
    const first = fileSandbox(path)
    first.start()
    const body = withdrawal({}, undefined, receiver.url)
    expect((await sandboxCall(first, 'POST', '/api/v2/cashbacks/withdraw', body)).status).toBe(200)
    await first.stop()
    expect(receiver.received).toHaveLength(0)

    const second = fileSandbox(path)
    second.start()
    try {
      const [callback] = await until(
        () => receiver.received,
        (r) => r.length >= 1,
      )
      expect(JSON.parse(callback?.body ?? '')).toMatchObject({
        client_transaction_id: body.client_transaction_id,
        status: 'settled',
      })
      const again = await sandboxCall(second, 'POST', '/api/v2/cashbacks/withdraw', body)
      expect(again.body.client_transaction_id).toBe(body.client_transaction_id)
      expect(
        (await sandboxCall(second, 'GET', `/sandbox/withdrawals/${body.client_transaction_id}`))
          .body,
      ).toMatchObject({ payouts_made: 1, requests: 2 })
    } finally {
      await second.stop()
    }
  })

  it('treats ids like __proto__ as plain keys', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'state.json')
    const sandbox = fileSandbox(path)
    try {
      for (const id of ['__proto__', 'constructor', 'toString']) {
        const reply = await sandboxCall(
          sandbox,
          'POST',
          '/api/v2/cashbacks/withdraw',
          withdrawal({ client_transaction_id: id }),
        )
        expect(reply.status).toBe(200)
        expect(
          (await sandboxCall(sandbox, 'GET', `/sandbox/withdrawals/${id}`)).body.payouts_made,
        ).toBe(1)
      }
      expect(({} as Record<string, unknown>).client_transaction_id).toBeUndefined()
    } finally {
      await sandbox.stop()
    }
    const reloaded = fileSandbox(path)
    expect(Object.keys(reloaded.runtime.state.withdrawals).sort()).toEqual([
      '__proto__',
      'constructor',
      'toString',
    ])
    await reloaded.stop()
  })
})
