import type { Context } from 'hono'

/**
 * Where the caller's address comes from, for rate limits: the socket (Node, default), the
 * rightmost X-Forwarded-For hop (Node behind one trusted proxy, which appends it), or
 * Cloudflare's header (Workers, where the platform sets it and clients cannot).
 */
export type ClientIpSource = 'socket' | 'forwarded' | 'cloudflare'

export function clientIp(c: Context, source: ClientIpSource): string {
  if (source === 'cloudflare') return c.req.header('cf-connecting-ip') ?? 'unknown'
  if (source === 'forwarded') {
    const hops = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((h) => h.trim())
      .filter(Boolean)
    const last = hops?.at(-1)
    if (last) return last
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  return env?.incoming?.socket?.remoteAddress ?? 'unknown'
}
