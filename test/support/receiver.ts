import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  at: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** Decides each answer: a status (200 unless changed), headers, or `hang` to never answer. */
  respond: (req: Received) => number | 'hang' | { status: number; headers: Record<string, string> }
  close(): Promise<void>
}

/** A real HTTP endpoint on loopback that records what it is sent, for callbacks and webhooks. */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = []
  const receiver: Receiver = {
    url: '',
    received,
    respond: () => 200,
    close: async () => {},
  }
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        at: Date.now(),
      }
      received.push(entry)
      const answer = receiver.respond(entry)
      if (answer === 'hang') return
      if (typeof answer === 'number') res.statusCode = answer
      else {
        res.statusCode = answer.status
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value)
      }
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return receiver
}

export async function until<T>(
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (accept(value)) return value
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value, (_, v) =>
          typeof v === 'bigint' ? String(v) : v,
        )}`,
      )
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}
