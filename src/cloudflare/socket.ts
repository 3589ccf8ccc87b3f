import type { Duplex } from 'node:stream'
import * as pgCloudflare from 'pg-cloudflare'

type Callback = (error?: unknown) => void

interface Socket {
  write(data: Uint8Array | string, encoding?: unknown, callback?: Callback): unknown
  cork?(): void
  uncork?(): void
}

// Typed here: the package's types describe only its non-Workers stub.
const { CloudflareSocket } = pgCloudflare as unknown as {
  CloudflareSocket: new (ssl: boolean) => Socket
}

/**
 * `pg` corks its socket around a query's messages (parse, bind, describe, execute, sync) so
 * they leave in one packet; the Workers socket has no cork, so each went out alone, and the
 * second small write waited for the first's delayed ACK: about 40 ms on every query. This
 * socket holds corked writes and sends them as one.
 */
export function corkedSocket(ssl: boolean): Socket {
  const socket = new CloudflareSocket(ssl)
  const send = socket.write.bind(socket)
  let corks = 0
  let held: Uint8Array[] = []
  socket.cork = () => {
    corks += 1
  }
  socket.uncork = () => {
    if (corks === 0) return
    corks -= 1
    if (corks > 0 || held.length === 0) return
    const joined = Buffer.concat(held)
    held = []
    send(joined)
  }
  socket.write = (data, encoding, callback) => {
    if (corks === 0 || typeof data === 'string') return send(data, encoding, callback)
    held.push(data)
    ;(typeof encoding === 'function' ? (encoding as Callback) : callback)?.()
    return true
  }
  return socket
}

/** For `pg`'s `stream` option, which passes the connection's config (TLS included). */
export const corkedStream = ((config: { ssl?: unknown }) =>
  corkedSocket(Boolean(config.ssl))) as unknown as () => Duplex
