import { displayMoney, displayPoints } from '../page/format.ts'
import { type CashoutApi, cashoutApi, DemoError, expectStatus, type Reply } from './api.ts'
import { type DemoCredentials, demoFilePath, readDemoFile, writeDemoFile } from './demo-file.ts'
import { cashOutOnPage } from './page-driver.ts'
import { FLOAT_FLOOR, FLOAT_TARGET } from './provider.ts'
import { type LandedWebhook, startDemoReceiver } from './receiver.ts'
import { testCardNumber } from './test-card.ts'

export interface DemoOptions {
  baseUrl: string
  dataDir: string
  auto: boolean
  payid: string
  points: number
  receiverPort: number
  registrationToken: string | undefined
  /** How long `--auto` waits for the claim's final webhook. */
  timeoutMs: number
  print: (line: string) => void
  /** Resolves when the person running the demo asks it to stop. */
  stopped?: Promise<void>
}

export interface DemoResult {
  claimId: string
  outcome: string
  webhooks: LandedWebhook[]
}

const FINAL_EVENTS = new Set(['claim.settled', 'claim.failed', 'claim.expired', 'claim.cancelled'])

/** The demo rule: 100 points to the dollar, a 1% fee the provider pays, claims open an hour. */
export const DEMO_RULE = {
  rate: { points: 100, cash_minor: 100 },
  min_points: 100,
  step_points: 1,
  fee: { fixed_minor: 0, bps: 100, payer: 'provider' },
  claim_lifetime_seconds: 3600,
}

/**
 * `npm run demo`: a provider's whole journey against a running server, printed as it goes —
 * provider, float, webhook receiver, rule, claim, and (with `auto`) the customer's cashout on
 * the hosted page and each signed webhook as it lands.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options
  const api = cashoutApi(options.baseUrl)
  print(`Cashout demo against ${options.baseUrl}`)
  const ready = await api('GET', '/readyz')
  if (ready.status !== 200) {
    throw new DemoError(
      `Cashout at ${options.baseUrl} is up but not ready (HTTP ${ready.status}); wait for it to finish starting.`,
    )
  }
  step(print, 'Cashout is up')

  const webhooks: LandedWebhook[] = []
  const listeners = new Set<(w: LandedWebhook) => void>()
  let credentials = await reuse(api, options.dataDir)
  const live = await startDemoReceiver({
    port: options.receiverPort,
    secret: () => credentials?.webhook_secret ?? '',
    onWebhook: (webhook) => {
      webhooks.push(webhook)
      print(describeWebhook(webhook))
      for (const listener of listeners) listener(webhook)
    },
  })
  try {
    if (!credentials) {
      credentials = await register(api, options, live.url)
      step(
        print,
        `Registered demo provider ${credentials.name} (saved to ${demoFilePath(options.dataDir)})`,
      )
    } else {
      step(print, `Demo provider ${credentials.name} (from ${demoFilePath(options.dataDir)})`)
    }
    const key = credentials.api_key

    const endpoint = await api('POST', '/cashout/profile', { key, body: { endpoint: live.url } })
    refuseLoopback(endpoint, live.url)
    expectStatus(endpoint, 200, 'point the webhooks at the local receiver')
    step(print, `Webhook receiver on ${live.url}, checking every signature`)

    const available = await fund(api, credentials)
    step(print, `Float: ${displayMoney(available, 'AUD')} available`)

    const rule = expectStatus(
      await api('PUT', '/cashout/rules', { key, body: DEMO_RULE }),
      200,
      'set the conversion rule',
    )
    step(print, `Rule v${rule.version}: 100 points = $1.00, 1% fee paid by the provider`)

    const claim = expectStatus(
      await api('POST', `/cashout/generate/${credentials.name}`, {
        key,
        body: { amount: options.points, id: `demo-${Date.now().toString(36)}` },
      }),
      200,
      'generate a claim',
    )
    const claimId = String(claim.uuid)
    const quote = claim.quote as { net_minor: number }
    step(
      print,
      `Claim ${claim.id}: ${displayPoints(BigInt(options.points))} → ${displayMoney(BigInt(quote.net_minor), 'AUD')}`,
    )
    print(`    ${claim.url}`)

    const outcome = new Promise<string>((resolve) => {
      listeners.add((webhook) => {
        const event = String(webhook.body.event)
        const ours = webhook.body.uuid === claimId && webhook.verdict === 'ok'
        if (ours && (FINAL_EVENTS.has(event) || (options.auto && event === 'claim.reopened'))) {
          resolve(event)
        }
      })
    })
    if (options.auto) {
      print(`  … cashing out to PayID ${options.payid} on the claim page`)
      await cashOutOnPage(String(claim.url), options.payid)
      step(print, 'The page took the details; waiting for webhooks')
    } else {
      print('  Open the link, cash out, and watch the webhooks land here (Ctrl-C to stop).')
    }
    const waited = await Promise.race([
      outcome,
      options.stopped?.then(() => 'stopped') ?? new Promise<never>(() => {}),
      ...(options.auto ? [sleep(options.timeoutMs).then(() => 'timeout')] : []),
    ])
    if (waited === 'timeout') {
      throw new DemoError(
        `No final webhook for claim ${claimId} within ${options.timeoutMs / 1000} s. The server's log says why; GET /cashout/claims/${claimId} shows where it stands.`,
      )
    }
    if (waited !== 'stopped') {
      print(
        waited === 'claim.settled'
          ? 'Done: the claim settled and every webhook verified.'
          : waited === 'claim.reopened'
            ? 'Done: the payout failed and the claim is open again for another account.'
            : `Done: the claim ended with ${waited}.`,
      )
    }
    return { claimId, outcome: waited, webhooks }
  } finally {
    await live.close()
  }
}

function step(print: (line: string) => void, text: string) {
  print(`  ✓ ${text}`)
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref())
}

export function describeWebhook(webhook: LandedWebhook): string {
  const body = webhook.body as {
    event?: string
    sequence?: number
    uuid?: string
    details?: { code?: number; response?: string }
    cash?: { amount_minor?: number; currency?: string }
    destination?: { payid?: string; account_number?: string } | null
    failure?: { code?: string; reason?: string } | null
  }
  const signature = webhook.verdict === 'ok' ? 'signature ✓' : `signature ✗ (${webhook.verdict})`
  const money =
    body.cash?.amount_minor === undefined
      ? ''
      : `  ${displayMoney(BigInt(body.cash.amount_minor), body.cash.currency ?? 'AUD')}`
  const to = body.destination?.payid ?? body.destination?.account_number
  const failure = body.failure ? `  (${body.failure.code}: ${body.failure.reason})` : ''
  return `  ← ${String(body.event).padEnd(16)} #${body.sequence ?? '?'}  ${signature}  code ${body.details?.code} ${body.details?.response ?? ''}${money}${to ? ` → ${to}` : ''}${failure}`
}

function refuseLoopback(reply: Reply, url: string) {
  const details = Array.isArray(reply.body.details)
    ? (reply.body.details as { field?: string }[])
    : []
  if (reply.status === 422 && details.some((d) => d.field === 'endpoint')) {
    throw new DemoError(
      `Cashout refused the local webhook receiver ${url}: start the server with ALLOW_LOOPBACK_ENDPOINTS=true (the embedded default).`,
    )
  }
}

/** The saved demo provider, if its key still works on this server. */
async function reuse(api: CashoutApi, dataDir: string) {
  const saved = readDemoFile(dataDir)
  if (!saved) return undefined
  const check = await api('GET', '/cashout/balance', { key: saved.api_key })
  return check.status === 200 ? saved : undefined
}

async function register(
  api: CashoutApi,
  options: DemoOptions,
  endpoint: string,
): Promise<DemoCredentials> {
  const now = new Date()
  const expDate = `${String((now.getUTCFullYear() + 5) % 100).padStart(2, '0')}12`
  for (let n = 1; n <= 50; n++) {
    const name = n === 1 ? 'demo' : `demo-${n}`
    const reply = await api('POST', '/cashout/register', {
      key: options.registrationToken,
      body: { name, pan: testCardNumber(), expDate, ipin: '1234', consent: true, endpoint },
    })
    if (reply.status === 409) continue
    refuseLoopback(reply, endpoint)
    if (reply.status === 401) {
      throw new DemoError(
        'This server needs a registration token to register providers: set REGISTRATION_TOKEN.',
      )
    }
    const body = expectStatus(reply, 200, 'register a demo provider')
    const credentials = {
      name,
      api_key: String(body.api_key),
      webhook_secret: String(body.webhook_secret),
    }
    writeDemoFile(options.dataDir, credentials)
    return credentials
  }
  throw new DemoError('The names demo to demo-50 are all taken; remove some providers.')
}

/**
 * Tops the test float up when it is low, with the demo's own test key: play money needs no
 * operator (live floats are another matter, and the demo never touches one).
 */
async function fund(api: CashoutApi, credentials: DemoCredentials) {
  const balance = expectStatus(
    await api('GET', '/cashout/balance', { key: credentials.api_key }),
    200,
    'read the float',
  )
  const available = BigInt(Number(balance.available_minor))
  if (available >= FLOAT_FLOOR) return available
  const credit = await api('POST', '/cashout/test/fund', {
    key: credentials.api_key,
    body: {
      amount_minor: Number(FLOAT_TARGET - available),
      reference: `demo-float-${crypto.randomUUID()}`,
    },
  })
  const after = expectStatus(credit, 200, 'fund the demo float').balance as {
    available_minor: number
  }
  return BigInt(after.available_minor)
}
