import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { isIpLiteral } from '../net/ip.ts'
import {
  callable,
  checkTarget,
  TransportError,
  WEBHOOK_TIMEOUT_MS,
  type WebhookResponse,
  type WebhookTransport,
} from './transport.ts'
import { HELD_IN_PROCESS } from './worker.ts'

export type Resolver = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void

const MAX_RESPONSE_BYTES = 64 * 1024
const VET_TIMEOUT_MS = 2000

/**
 * Resolves the name itself, refuses it if any address is private, loopback (unless allowed),
 * link-local, shared, multicast or reserved, and hands the socket only the addresses it checked:
 * the connection goes where the check looked, so DNS rebinding cannot move it.
 */
export function pinnedLookup(resolver: Resolver, allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0)
      if (addresses.length === 0 || !addresses.every((a) => callable(a.address, allowLoopback))) {
        // Worded like any other failure to connect, so the log cannot tell a provider which
        // names resolve inside our network.
        const refused = new TransportError('network', 'could not connect')
        return callback(refused as unknown as NodeJS.ErrnoException, '', 0)
      }
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      }
      const [first] = addresses
      callback(null, first?.address ?? '', first?.family ?? 4)
    })
  }
}

export function nodeTransport(options: {
  allowLoopback: boolean
  resolver?: Resolver
  timeoutMs?: number
}): WebhookTransport {
  const resolver = options.resolver ?? (dnsLookup as unknown as Resolver)
  const lookup = pinnedLookup(resolver, options.allowLoopback)
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS
  // Sockets per host as many as the process may send at once: many providers' receivers can
  // share one host, and the worker already bounds each endpoint (SENDS_PER_ENDPOINT) and the
  // process (HELD_IN_PROCESS). A smaller pool per host would let a few hung receivers there
  // hold up every other provider on the same host.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: HELD_IN_PROCESS }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: HELD_IN_PROCESS }),
  }
  return {
    vet(url) {
      let host: string
      try {
        host = checkTarget(new URL(url), options.allowLoopback)
      } catch {
        return Promise.resolve(false)
      }
      if (isIpLiteral(host)) return Promise.resolve(true)
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(true), VET_TIMEOUT_MS)
        resolver(host, { all: true }, (error, addresses) => {
          clearTimeout(timer)
          if (error || addresses.length === 0) resolve(true)
          else resolve(addresses.every((a) => callable(a.address, options.allowLoopback)))
        })
      })
    },
    post(url, headers, body) {
      const target = new URL(url)
      const host = checkTarget(target, options.allowLoopback)
      const client = target.protocol === 'https:' ? https : http
      return new Promise<WebhookResponse>((resolve, reject) => {
        const payload = Buffer.from(body)
        const req = client.request({
          method: 'POST',
          host,
          port: target.port || undefined,
          path: `${target.pathname}${target.search}`,
          headers: { ...headers, host: target.host, 'content-length': String(payload.length) },
          lookup,
          agent: agents[target.protocol as 'http:' | 'https:'],
          ...(isIpLiteral(host) ? {} : { servername: host }),
        })
        const deadline = setTimeout(
          () => req.destroy(new TransportError('timeout', `no answer within ${timeoutMs} ms`)),
          timeoutMs,
        )
        req.on('response', (res) => {
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_RESPONSE_BYTES) res.destroy()
          })
          const done = () => {
            clearTimeout(deadline)
            const retryAfter = res.headers['retry-after']
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            })
          }
          res.on('end', done)
          res.on('close', done)
        })
        req.on('error', (error) => {
          clearTimeout(deadline)
          reject(
            error instanceof TransportError
              ? error
              : new TransportError('network', 'could not connect'),
          )
        })
        req.end(payload)
      })
    },
  }
}
