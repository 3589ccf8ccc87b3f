import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

export type ReceiverMode = 'ok' | 'fail' | 'stall' | 'down'

export interface Landed {
  webhookId: string
  event: string
  uuid: string
  sequence: number
}

/**
 * Providers' webhook endpoint, verifying each message with the sender's secret through the
 * standardwebhooks library. Its mode is the fault: answer 200, answer 500, hold the request
 * past the sender's timeout, or drop the connection as a server that is down would.
 */
export async function startChaosReceiver(secrets: Map<string, string>) {
  let mode: ReceiverMode = 'ok'
  const accepted: Landed[] = []
  let invalid = 0
  let refused = 0
  const stalled = new Set<() => void>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (mode === 'down') {
        refused++
        return req.socket.destroy()
      }
      if (mode === 'stall') {
        refused++
        const release = () => req.socket.destroy()
        stalled.add(release)
        setTimeout(() => {
          stalled.delete(release)
          release()
        }, 20_000).unref()
        return
      }
      if (mode === 'fail') {
        refused++
        res.statusCode = 500
        return res.end()
      }
      const body = Buffer.concat(chunks).toString('utf8')
      let parsed: { name?: string; event?: string; uuid?: string; sequence?: number }
      try {
        parsed = JSON.parse(body)
        const secret = secrets.get(String(parsed.name))
        if (!secret) throw new Error('unknown provider')
        new Webhook(secret).verify(body, {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        })
      } catch {
        invalid++
        res.statusCode = 400
        return res.end()
      }
      accepted.push({
        webhookId: String(req.headers['webhook-id']),
        event: String(parsed.event),
        uuid: String(parsed.uuid),
        sequence: Number(parsed.sequence),
      })
      res.statusCode = 200
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    accepted,
    invalid: () => invalid,
    refused: () => refused,
    setMode(next: ReceiverMode) {
      mode = next
      if (next !== 'stall') for (const release of stalled) release()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type ChaosReceiver = Awaited<ReturnType<typeof startChaosReceiver>>
