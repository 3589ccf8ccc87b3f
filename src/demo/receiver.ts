import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Verdict, verifyWebhook } from '../webhooks/verify.ts'

export interface LandedWebhook {
  id: string
  verdict: Verdict
  body: Record<string, unknown>
}

export interface DemoReceiver {
  url: string
  close(): Promise<void>
}

const MAX_BODY = 64 * 1024

/**
 * A provider's webhook endpoint in miniature: checks each signature with the provider's secret
 * and answers 200 only for a valid one (401 otherwise, so Cashout retries). The port given is
 * tried first; if it is taken, any free one.
 */
export async function startDemoReceiver(options: {
  port: number
  /** Read on each request: the secret may be known only after the receiver is listening. */
  secret: () => string
  onWebhook: (webhook: LandedWebhook) => void
}): Promise<DemoReceiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const header = (name: string) => {
        const value = req.headers[name]
        return Array.isArray(value) ? value[0] : value
      }
      const verdict =
        req.method !== 'POST' || size > MAX_BODY
          ? 'missing headers'
          : await verifyWebhook(
              options.secret(),
              {
                id: header('webhook-id'),
                timestamp: header('webhook-timestamp'),
                signature: header('webhook-signature'),
              },
              raw,
              new Date(),
            )
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch {
        body = {}
      }
      options.onWebhook({ id: header('webhook-id') ?? '', verdict, body })
      res.statusCode = verdict === 'ok' ? 200 : 401
      res.end()
    })
  })
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  try {
    await listen(options.port)
  } catch {
    await listen(0)
  }
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
