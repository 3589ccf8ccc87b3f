import { classifyAddress, isIpLiteral } from '../net/ip.ts'

export interface WebhookResponse {
  status: number
  retryAfter: string | null
}

/** `blocked`: the address is one we never call; `timeout` and `network`: try again later. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'blocked' | 'timeout' | 'network',
    message: string,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

/** Posts a webhook; the Node one pins the checked address, the Workers one relies on fetch. */
export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse>
  /**
   * When an endpoint is set: false if its name resolves to an address we would never call.
   * Unresolvable or slow names pass; every send checks again.
   */
  vet(url: string): Promise<boolean>
}

export const WEBHOOK_TIMEOUT_MS = 15_000

export function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost')
}

/**
 * The checks that need no DNS: https only (plain http to loopback where allowed), and an IP
 * literal must be a public address (or loopback where allowed). Returns the bare host.
 */
export function checkTarget(url: URL, allowLoopback: boolean): string {
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '')
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TransportError('blocked', `refused scheme ${url.protocol}`)
  }
  if (url.username || url.password)
    throw new TransportError('blocked', 'refused credentials in URL')
  const literal = isIpLiteral(host)
  const kind = literal ? classifyAddress(host) : undefined
  const loopback = kind === 'loopback' || (!literal && isLoopbackName(host))
  if (loopback && !allowLoopback) throw new TransportError('blocked', 'refused a loopback address')
  if (kind && kind !== 'loopback') throw new TransportError('blocked', `refused a ${kind} address`)
  if (url.protocol === 'http:' && !loopback)
    throw new TransportError('blocked', 'refused plain http')
  return host
}

/** For Workers: the literal checks, then fetch without following redirects. */
export function fetchTransport(options: {
  allowLoopback: boolean
  fetch: typeof fetch
}): WebhookTransport {
  return {
    async post(url, headers, body) {
      checkTarget(new URL(url), options.allowLoopback)
      try {
        const res = await options.fetch(url, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        })
        await res.body?.cancel()
        return { status: res.status, retryAfter: res.headers.get('retry-after') }
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError'
        throw new TransportError(
          timedOut ? 'timeout' : 'network',
          timedOut ? 'timed out' : 'could not connect',
        )
      }
    },
    // Workers cannot resolve names; Cloudflare's fetch does not reach private networks.
    vet: async () => true,
  }
}

/** An address we may call: it parses, and is public (or loopback where allowed). */
export function callable(address: string, allowLoopback: boolean): boolean {
  if (!isIpLiteral(address)) return false
  const kind = classifyAddress(address)
  return kind === undefined || (kind === 'loopback' && allowLoopback)
}
