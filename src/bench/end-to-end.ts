import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook } from '../webhooks/verify.ts'

export interface EndToEndResult {
  claims: number
  seconds: number
  claimsPerSecond: number
  /** When the last submit was answered: the rest of the time is the pipeline draining. */
  submittedSeconds: number
  badSignatures: number
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T
        await task(item)
      }
    }),
  )
}

/** A provider's endpoint that checks each signature and notes every claim that settled. */
export async function settledReceiver(secret: string) {
  const settled = new Map<string, number>()
  let badSignatures = 0
  const waiters: (() => void)[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const verdict = await verifyWebhook(
        secret,
        {
          id: req.headers['webhook-id'] as string | undefined,
          timestamp: req.headers['webhook-timestamp'] as string | undefined,
          signature: req.headers['webhook-signature'] as string | undefined,
        },
        body,
        new Date(),
      )
      if (verdict !== 'ok') badSignatures++
      const event = JSON.parse(body) as { event: string; uuid: string }
      if (verdict === 'ok' && event.event === 'claim.settled') {
        settled.set(event.uuid, (settled.get(event.uuid) ?? 0) + 1)
        for (const wake of waiters.splice(0)) wake()
      }
      res.statusCode = 200
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    settled,
    badSignatures: () => badSignatures,
    async until(count: (settled: Map<string, number>) => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs
      while (!count(settled)) {
        if (Date.now() > deadline) return false
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 200)
        })
      }
      return true
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * N open claims are submitted to PayIDs through the API at once; the clock stops when the
 * receiver holds a verified `claim.settled` for every one, after the payout went through the
 * sandbox over HTTP and its callback came back.
 */
export async function endToEnd(options: {
  cashoutUrl: string
  apiKey: string
  claimIds: string[]
  receiver: Awaited<ReturnType<typeof settledReceiver>>
  concurrency: number
  timeoutMs: number
}): Promise<EndToEndResult> {
  const wanted = new Set(options.claimIds)
  const started = performance.now()
  await pool(options.claimIds, options.concurrency, async (uuid) => {
    const res = await fetch(`${options.cashoutUrl}/cashout/claims/${uuid}/submit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'payid', payid_type: 'email', payid: `${uuid}@example.com` }),
    })
    await res.body?.cancel()
    if (res.status !== 200) throw new Error(`submit answered ${res.status}`)
  })
  const submittedSeconds = (performance.now() - started) / 1000
  const done = await options.receiver.until(
    (settled) => settled.size >= wanted.size && [...wanted].every((uuid) => settled.has(uuid)),
    options.timeoutMs,
  )
  const seconds = (performance.now() - started) / 1000
  const claims = [...wanted].filter((uuid) => options.receiver.settled.has(uuid)).length
  if (!done) throw new Error(`only ${claims} of ${wanted.size} claims settled in time`)
  return {
    claims,
    seconds,
    claimsPerSecond: claims / seconds,
    submittedSeconds,
    badSignatures: options.receiver.badSignatures(),
  }
}
