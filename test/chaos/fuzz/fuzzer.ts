import http from 'node:http'
import type { Random } from '../random.ts'
import { type FuzzRequest, fuzzRequest, MUTATING } from './requests.ts'
import { loadRoutes } from './routes.ts'
import { fuzzCards } from './values.ts'

export interface FuzzOptions {
  baseUrl: string
  apiKey: string
  providerName: string
  operatorToken: string
  /** Claims that exist: the fuzzer aims at them but never sends them a request that could pass. */
  claimIds: string[]
  requests: number
  concurrency: number
  random: Random
}

export interface Finding {
  method: string
  path: string
  status: number
  problem: string
  body: string
}

export interface FuzzResult {
  sent: number
  byStatus: Record<string, number>
  serverErrors: Finding[]
  contractBreaks: Finding[]
  networkErrors: number
  /** Card numbers the fuzzer sent: none may reach a log. */
  cards: string[]
}

const LEAKS: [RegExp, string][] = [
  [/\n\s+at \S|\bat \S+ \(\S+:\d+:\d+\)/, 'a stack trace'],
  [/node_modules|file:\/\/|\.m?[jt]sx?:\d+/, 'a source path'],
  [
    /syntax error at or near|violates \w+(-\w+)? constraint|invalid input (syntax|value)|duplicate key value|relation "|out of range for type|PGlite|kysely|pg-protocol/i,
    'a database message',
  ],
  [/\b(TypeError|RangeError|SyntaxError|ReferenceError|ZodError)\b/, 'an exception name'],
]

function send(agent: http.Agent, base: URL, req: FuzzRequest) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers }
    if (req.body !== undefined) {
      if (req.chunked) headers['Transfer-Encoding'] = 'chunked'
      else headers['Content-Length'] = String(Buffer.byteLength(req.body))
    }
    const outgoing = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers,
        agent,
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size <= 1 << 20) chunks.push(chunk)
        })
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')))
    outgoing.on('error', reject)
    outgoing.end(req.body)
  })
}

/** What is wrong with an answer, if anything. */
function judge(req: FuzzRequest, status: number, type: string, body: string, cards: string[]) {
  if (status >= 500) return 'a server error'
  for (const [pattern, what] of LEAKS) if (status >= 400 && pattern.test(body)) return what
  if (cards.some((card) => body.includes(card))) return 'a card number sent came back'
  if (MUTATING.has(req.method) && status < 300) return 'accepted a request built to be refused'
  if (status >= 400 && req.method !== 'HEAD' && (!req.page || type.includes('json'))) {
    if (!type.includes('application/json')) return `an error as ${type || 'no content type'}`
    try {
      const parsed = JSON.parse(body) as { message?: unknown; code?: unknown }
      if (typeof parsed.message !== 'string' || typeof parsed.code !== 'string')
        return 'an error without message and code'
    } catch {
      return 'an error body that is not JSON'
    }
  }
  return undefined
}

/**
 * Sends `requests` hostile requests, `concurrency` at a time, to every documented route and the
 * claim pages: broken and oversized JSON, wrong types, hostile strings and ids, spoiled
 * credentials, odd methods, headers and encodings. Seeded, so a finding replays.
 */
export async function runFuzzer(options: FuzzOptions): Promise<FuzzResult> {
  const { random } = options
  const base = new URL(options.baseUrl)
  const { routes, schemas } = await loadRoutes(options.baseUrl)
  const cards = fuzzCards(random, 20)
  const target = { ...options, routes, schemas, cards }
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency })
  const result: FuzzResult = {
    sent: 0,
    byStatus: {},
    serverErrors: [],
    contractBreaks: [],
    networkErrors: 0,
    cards,
  }
  const record = (req: FuzzRequest, status: number, problem: string, body: string) => {
    const finding = { method: req.method, path: req.path.slice(0, 200), status, problem, body }
    const list = status >= 500 ? result.serverErrors : result.contractBreaks
    if (list.length < 50) list.push({ ...finding, body: body.slice(0, 300) })
  }
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (result.sent < options.requests) {
          const req = fuzzRequest(target, random)
          result.sent++
          try {
            const res = await send(agent, base, req)
            result.byStatus[res.status] = (result.byStatus[res.status] ?? 0) + 1
            const problem = judge(req, res.status, res.type, res.body, cards)
            if (problem) record(req, res.status, problem, res.body)
          } catch (error) {
            result.networkErrors++
            record(req, 0, `network: ${(error as Error).message}`, '')
          }
        }
      }),
    )
  } finally {
    agent.destroy()
  }
  return result
}
