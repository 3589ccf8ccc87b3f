import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { nodeTransport } from '../../src/webhooks/node-transport.ts'
import { HELD_IN_PROCESS, SENDS_PER_ENDPOINT } from '../../src/webhooks/worker.ts'

/** One host serving many providers' receivers: paths under /hang never answer, others do. */
async function sharedHost() {
  const hung: ServerResponse[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    if (req.url?.startsWith('/hang')) hung.push(res)
    else res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  onTestFinished(async () => {
    for (const res of hung) res.destroy()
    await new Promise((resolve) => server.close(resolve))
  })
  return { base: `http://127.0.0.1:${port}`, hung }
}

describe('providers whose endpoints share a host', () => {
  it('hung receivers of other providers on the same host do not hold up a healthy one', async () => {
    const host = await sharedHost()
    const transport = nodeTransport({ allowLoopback: true, timeoutMs: 15_000 })
    // As many hung sends as a process may hold for providers other than this one.
    const others = HELD_IN_PROCESS - SENDS_PER_ENDPOINT
    const hanging = Array.from({ length: others }, (_, i) =>
      transport.post(`${host.base}/hang/${i}`, {}, '{}').catch(() => undefined),
    )
    await expect.poll(() => host.hung.length, { timeout: 10_000 }).toBe(others)
    const started = performance.now()
    const reply = await transport.post(`${host.base}/healthy`, {}, '{}')
    expect(reply.status).toBe(200)
    expect(performance.now() - started).toBeLessThan(2_000)
    for (const res of host.hung) res.end('late')
    await Promise.all(hanging)
  })
})
