import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The load balancer in front of the Cashout processes: each request goes to a live one. A
 * backend that refuses the connection is skipped; one that dies after taking the request
 * yields a 502, as a real balancer would, since the request may have been applied. Each
 * request is forwarded as if from its own customer's address (the rightmost X-Forwarded-For
 * hop, which Cashout trusts with TRUST_PROXY), so per-address page limits are not what fails.
 */
export async function startProxy(backends: () => string[]) {
  let refused = 0
  let turn = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const live = backends()
      turn++
      const order = live.map((_, i) => live[(i + turn) % live.length] as string)
      const attempt = (i: number) => {
        const target = order[i]
        if (!target) {
          res.writeHead(502, { 'content-type': 'application/json' })
          res.end('{"message":"no backend","code":"bad_gateway"}')
          return
        }
        const url = new URL(target)
        let connected = false
        const upstream = request(
          {
            host: url.hostname,
            port: url.port,
            method: req.method,
            path: req.url,
            headers: {
              ...req.headers,
              host: req.headers.host ?? url.host,
              'x-forwarded-for': `198.18.${(turn >> 8) & 255}.${turn & 255}`,
            },
            agent: false,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
            answer.on('error', () => res.destroy())
          },
        )
        upstream.on('socket', (socket) => socket.on('connect', () => (connected = true)))
        upstream.on('error', () => {
          if (res.headersSent) return res.destroy()
          if (!connected) {
            refused++
            return attempt(i + 1)
          }
          res.writeHead(502, { 'content-type': 'application/json' })
          res.end('{"message":"backend failed mid-request","code":"bad_gateway"}')
        })
        upstream.end(body)
      }
      attempt(0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
