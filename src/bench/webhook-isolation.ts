import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SENDS_PER_ENDPOINT } from '../webhooks/worker.ts'
import { apiClient } from './api.ts'

export interface WebhookIsolationResults {
  /** Test events queued for the endpoint that never answers. */
  queued: number
  /** Each sample: cancel sent → the other provider's claim.cancelled at its receiver, in ms. */
  quietMs: number[]
  /** The same while the hanging endpoint holds its sends open. */
  hangingMs: number[]
  quietMedianMs: number
  hangingMedianMs: number
  hangingWorstMs: number
  /** Requests the hanging endpoint held open at once, at most. */
  hangingPeak: number
}

const QUEUED = 50
const SAMPLES = 5
/** Long enough to see the old behaviour (a wait behind 15 s timeouts), short enough for CI. */
const SAMPLE_TIMEOUT_MS = 40_000
const FILL_TIMEOUT_MS = 10_000

/**
 * On the running service: times another provider's `claim.cancelled` from the cancel to its
 * receiver, first with no endpoint in trouble, then while a provider's endpoint accepts
 * connections and never answers, fed 50 test events. Both providers are registered here, so the
 * service's other providers are left alone; the hanging server is closed at the end.
 */
export async function benchWebhookIsolation(options: {
  cashoutUrl: string
  operatorToken: string
  /** Makes the provider names unique within the database. */
  run: string
  progress: (line: string) => void
}): Promise<WebhookIsolationResults> {
  const { progress } = options
  const api = apiClient(options.cashoutUrl)
  const receiver = await cancelledReceiver()
  const hanging = await hangingEndpoint()
  try {
    const other = await api('POST', '/cashout/register', undefined, {
      ...registration(`iso-other-${options.run}`, '4111111111111111'),
      endpoint: receiver.url,
    })
    const otherKey = String(other.api_key)
    await api('POST', `/operator/providers/${other.name}/credit`, options.operatorToken, {
      livemode: false,
      amount_minor: 1_000_000,
      reference: 'webhook isolation',
    })
    let n = 0
    const sample = async () => {
      const claim = await api('POST', `/cashout/generate/${other.name}`, otherKey, {
        amount: 100,
        id: `iso-${options.run}-${n++}`,
      })
      const uuid = String(claim.uuid)
      const arrived = receiver.arrival(uuid, SAMPLE_TIMEOUT_MS)
      const cancelling = performance.now()
      await api('POST', `/cashout/claims/${uuid}/cancel`, otherKey, undefined)
      return (await arrived) - cancelling
    }
    const samples = async () => {
      const taken: number[] = []
      for (let i = 0; i < SAMPLES; i++) taken.push(await sample())
      return taken
    }

    progress('webhook isolation: no endpoint hanging')
    const quietMs = await samples()

    const hang = await api('POST', '/cashout/register', undefined, {
      ...registration(`iso-hang-${options.run}`, '4242424242424242'),
      endpoint: hanging.url,
    })
    for (let i = 0; i < QUEUED; i++) {
      await api('POST', '/cashout/webhooks/test', String(hang.api_key), undefined)
    }
    // Measure only once the hanging endpoint holds what it will hold.
    await hanging.holding(Math.min(QUEUED, SENDS_PER_ENDPOINT), FILL_TIMEOUT_MS)
    progress(`webhook isolation: ${hanging.open()} sends hanging`)
    const hangingMs = await samples()
    const results = {
      queued: QUEUED,
      quietMs,
      hangingMs,
      quietMedianMs: median(quietMs),
      hangingMedianMs: median(hangingMs),
      hangingWorstMs: Math.max(...hangingMs),
      hangingPeak: hanging.peak(),
    }
    progress(
      `webhook isolation: median ${results.quietMedianMs.toFixed(0)} ms → ${results.hangingMedianMs.toFixed(0)} ms while one endpoint hangs (${results.hangingPeak} sends held)`,
    )
    return results
  } finally {
    await Promise.all([receiver.close(), hanging.close()])
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function registration(name: string, pan: string) {
  return {
    name,
    pan,
    expDate: '3912',
    ipin: '1234',
    consent: true,
  }
}

/** Answers 200 to everything and notes when each claim's `claim.cancelled` arrived. */
async function cancelledReceiver() {
  const waiting = new Map<string, (at: number) => void>()
  const server = await listen((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const at = performance.now()
      res.statusCode = 200
      res.end()
      try {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          event?: string
          uuid?: string
        }
        if (event.event === 'claim.cancelled' && event.uuid) waiting.get(event.uuid)?.(at)
      } catch {
        // not a message this measurement waits for
      }
    })
  })
  return {
    url: `${urlOf(server)}/webhooks`,
    arrival(uuid: string, timeoutMs: number) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(uuid)
          reject(new Error(`claim.cancelled of ${uuid} did not arrive in ${timeoutMs} ms`))
        }, timeoutMs)
        waiting.set(uuid, (at) => {
          clearTimeout(timer)
          waiting.delete(uuid)
          resolve(at)
        })
      })
    },
    close: () => shut(server),
  }
}

/** Accepts every request and never answers it, like an endpoint stuck behind a dead backend. */
async function hangingEndpoint() {
  let open = 0
  let peak = 0
  const changed: (() => void)[] = []
  const server = await listen((req) => {
    open += 1
    peak = Math.max(peak, open)
    req.resume()
    req.socket.once('close', () => {
      open -= 1
    })
    for (const wake of changed.splice(0)) wake()
  })
  return {
    url: `${urlOf(server)}/webhooks`,
    open: () => open,
    peak: () => peak,
    /** Resolves once `count` requests are held open; gives up quietly after `timeoutMs`. */
    async holding(count: number, timeoutMs: number) {
      const deadline = performance.now() + timeoutMs
      while (open < count && performance.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - performance.now())
          changed.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
    },
    close: () => shut(server),
  }
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Server> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

function shut(server: Server) {
  return new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}
