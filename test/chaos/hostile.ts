import { createServer as createHttpServer } from 'node:http'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import type { ClaimPlan } from './driver.ts'
import type { Random } from './random.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const listening = (server: { listen: (port: number, host: string, done: () => void) => unknown }) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

/** One connection to the tarpit: the message it carried, when it opened and when it closed. */
interface Held {
  id?: string
  opened: number
  closed?: number
}

/**
 * A provider's endpoint that takes the connection and the request and never says a word: no
 * status line, no close. A plain TCP server, so nothing on this side times out either; every
 * connection ends when Cashout hangs up (or dies). How long each was held is what the checks
 * read: a sender without a deadline would leave them open for good, and one that broke its
 * lease would hold the same message open twice at once.
 */
export async function startTarpit() {
  const open = new Map<Socket, Held>()
  const done: Held[] = []
  const server = createServer((socket) => {
    const held: Held = { opened: Date.now() }
    open.set(socket, held)
    let head = ''
    socket.on('data', (chunk: Buffer) => {
      if (held.id || head.length > 16_384) return
      head += chunk.toString('latin1')
      held.id = /\r\nwebhook-id:\s*(\S+)/i.exec(head)?.[1]
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      held.closed = Date.now()
      open.delete(socket)
      done.push(held)
    })
  })
  await listening(server)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    stats() {
      const now = Date.now()
      const all = [...done, ...open.values()]
      return {
        connections: all.length,
        /** Distinct webhook-ids that reached it. */
        messages: new Set(all.flatMap((h) => (h.id ? [h.id] : []))).size,
        /** How long each connection Cashout closed had been held, in ms. */
        held: done.map((h) => (h.closed as number) - h.opened),
        /** How long each connection still open has been held so far, in ms. */
        stillOpen: [...open.values()].map((h) => now - h.opened),
        /** Messages held open on two connections at once. */
        doubled: doubled(all, now),
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open.keys()) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function doubled(connections: Held[], now: number): string[] {
  const byId = new Map<string, Held[]>()
  for (const h of connections) if (h.id) byId.set(h.id, [...(byId.get(h.id) ?? []), h])
  const twice: string[] = []
  for (const [id, spans] of byId) {
    let busyUntil = 0
    for (const h of spans.sort((a, b) => a.opened - b.opened)) {
      if (h.opened < busyUntil) {
        twice.push(id)
        break
      }
      busyUntil = Math.max(busyUntil, h.closed ?? now)
    }
  }
  return twice
}

export type Tarpit = Awaited<ReturnType<typeof startTarpit>>

/** The abusive provider's own endpoint: takes everything at once, so its sends cost Cashout little. */
export async function startSink() {
  let received = 0
  const server = createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received++
      res.statusCode = 200
      res.end()
    })
  })
  await listening(server)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface AbuseStats {
  sent: number
  byStatus: Record<string, number>
  /** Test events queued (201) and replays taken (200): each is outbound traffic Cashout agreed to. */
  accepted: number
  /** 429s, and those among them without a whole, positive Retry-After. */
  limited: number
  limitedWithoutRetryAfter: number
  retryAfter: { min: number; max: number } | null
  /** Answers of 5xx from Cashout itself, not the balancer's 502 when a backend is killed. */
  serverErrors: { status: number; body: string }[]
  /** The balancer's 502s (a backend died mid-request) and requests that got no answer. */
  balancer: number
  network: number
}

/**
 * The abusive provider: bursts of parallel test sends and replays of its own deliveries, with
 * no regard for 429 or Retry-After, until the run's faults are over. Bounded in count as well
 * as time, as every load loop here is. A burst of 40 is the probe that found the hole: 40
 * parallel test sends made 40 POSTs. One every 1.5–3 s is some 500 times the budget, and
 * leaves the machine's two cores to what is measured beside it.
 */
export async function abuse(options: {
  baseUrl: string
  key: string
  random: Random
  finished: () => boolean
  burst?: number
  maxRequests?: number
}): Promise<AbuseStats> {
  const { baseUrl, key, random } = options
  const burst = options.burst ?? 40
  const maxRequests = options.maxRequests ?? 20_000
  const stats: AbuseStats = {
    sent: 0,
    byStatus: {},
    accepted: 0,
    limited: 0,
    limitedWithoutRetryAfter: 0,
    retryAfter: null,
    serverErrors: [],
    balancer: 0,
    network: 0,
  }
  const ids: string[] = []
  const one = async (path: string) => {
    stats.sent++
    let res: Response
    let text: string
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(30_000),
      })
      text = await res.text()
    } catch {
      stats.network++
      return
    }
    const body = safeJson(text)
    if (res.status === 502 && body.code === 'bad_gateway') {
      stats.balancer++
      return
    }
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1
    if (res.status >= 500) stats.serverErrors.push({ status: res.status, body: text.slice(0, 200) })
    if (res.status === 201 || res.status === 200) {
      stats.accepted++
      if (typeof body.id === 'string') ids.push(body.id)
    }
    if (res.status === 429) {
      stats.limited++
      const header = res.headers.get('retry-after') ?? ''
      if (!/^[1-9]\d*$/.test(header)) {
        stats.limitedWithoutRetryAfter++
        return
      }
      const seconds = Number(header)
      stats.retryAfter = {
        min: Math.min(stats.retryAfter?.min ?? seconds, seconds),
        max: Math.max(stats.retryAfter?.max ?? seconds, seconds),
      }
    }
  }
  while (!options.finished() && stats.sent < maxRequests) {
    const paths = Array.from({ length: burst }, () =>
      ids.length > 0 && random.chance(0.25)
        ? `/cashout/webhooks/deliveries/${random.pick(ids)}/replay`
        : '/cashout/webhooks/test',
    )
    await Promise.all(paths.map(one))
    await sleep(random.int(1500, 3000))
  }
  return stats
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text)
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    return {}
  }
}

/**
 * The tarpit provider's custom: plain claims, one after another with a pause, while the faults
 * last (and at most `max`), so its endpoint always has messages waiting.
 */
export async function steadyClaims(options: {
  play: (plan: ClaimPlan, index: number) => Promise<void>
  random: Random
  run: string
  finished: () => boolean
  max: number
}) {
  const { random } = options
  let played = 0
  while (!options.finished() && played < options.max) {
    await options.play(
      {
        ref: `chaos-${options.run}-tarpit-${played}`,
        provider: 0,
        points: random.int(100, 20_000),
        replayGenerate: false,
        action: 'submit',
        outcome: 'normal',
        byEmail: random.chance(0.5),
        resubmitOnReopen: false,
      },
      2_000_000 + played,
    )
    played++
    await sleep(random.int(1500, 3000))
  }
  return played
}
