import { cashOutOnPage } from '../../src/demo/page-driver.ts'
import { MAGIC_TABLE } from '../../src/sandbox/magic.ts'
import type { Random } from './random.ts'

export interface ChaosProvider {
  name: string
  key: string
}

type Action = 'submit' | 'double-submit' | 'page' | 'cancel'
type Outcome =
  | 'normal'
  | 'fail'
  | 'blocked'
  | 'slow'
  | 'twice'
  | 'late'
  | 'flaky'
  | 'early'
  | 'refused'
  | 'skewed'
  | 'review'

/** The sandbox's magic code for each outcome it can force. */
const CODES = Object.fromEntries(MAGIC_TABLE.map((m) => [m.word, m.code])) as Record<
  Exclude<Outcome, 'normal'>,
  string
>

export interface ClaimPlan {
  ref: string
  provider: number
  points: number
  replayGenerate: boolean
  action: Action
  outcome: Outcome
  byEmail: boolean
  resubmitOnReopen: boolean
}

/** Every claim's script, drawn from the seed before anything runs, so a seed names a workload. */
export function planClaims(random: Random, count: number, providers: number, run: string) {
  return Array.from({ length: count }, (_, i): ClaimPlan => {
    const action = random.weighted<Action>({ submit: 70, 'double-submit': 8, page: 12, cancel: 10 })
    return {
      ref: `chaos-${run}-${i}`,
      provider: random.int(0, providers - 1),
      points: random.int(100, 20_000),
      replayGenerate: random.chance(0.1),
      action,
      outcome: random.weighted<Outcome>({
        normal: 45,
        fail: 9,
        blocked: 6,
        slow: 9,
        twice: 6,
        late: 6,
        flaky: 6,
        early: 6,
        refused: 3,
        skewed: 2,
        review: 2,
      }),
      byEmail: action === 'page' || random.chance(0.5),
      resubmitOnReopen: random.chance(0.6),
    }
  })
}

function destination(plan: ClaimPlan, outcome: Outcome, salt: number) {
  if (outcome === 'normal') {
    return plan.byEmail
      ? { type: 'payid', payid_type: 'email', payid: `customer-${salt}@example.com` }
      : {
          type: 'bank',
          account_name: 'Chaos Customer',
          bsb: '062-000',
          account_number: String(10_000_000 + (salt % 89_999_999)),
        }
  }
  const code = CODES[outcome]
  return plan.byEmail
    ? { type: 'payid', payid_type: 'email', payid: `${outcome}@sandbox.test` }
    : {
        type: 'bank',
        account_name: 'Chaos Customer',
        bsb: '062-000',
        account_number: `000000${code}`,
      }
}

export interface DriverStats {
  generated: number
  insufficientFloat: number
  /** Answers from Cashout itself (not the balancer) that were 5xx, or 4xx that should not be. */
  unexpected: { what: string; status: number; body: string }[]
  replayMismatches: number
  retries: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const FINAL = new Set(['settled', 'failed', 'cancelled', 'expired'])

/**
 * Plays one claim through the balancer as the provider's backend and the customer would,
 * retrying whatever the faults make uncertain (a 502, a dropped connection) the way a careful
 * client does: generate by the same id, submit until the claim is no longer open.
 */
export function claimDriver(baseUrl: string, providers: ChaosProvider[], stats: DriverStats) {
  const call = async (
    what: string,
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    for (;;) {
      let status = 0
      let text = ''
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        })
        status = res.status
        text = await res.text()
      } catch {
        status = 0
      }
      const parsed = safeJson(text)
      if (status === 0 || (status === 502 && parsed.code === 'bad_gateway')) {
        stats.retries++
        await sleep(100 + Math.floor(Math.random() * 200))
        continue
      }
      if (status >= 500) stats.unexpected.push({ what, status, body: text.slice(0, 300) })
      return { status, body: parsed }
    }
  }

  const status = async (uuid: string, key: string) =>
    (await call('read', 'GET', `/cashout/claims/${uuid}`, key)).body as {
      status: string
      status_reason: string | null
      payout: { waiting_on: string | null } | null
    }

  const submit = async (uuid: string, key: string, dest: unknown) => {
    const reply = await call('submit', 'POST', `/cashout/claims/${uuid}/submit`, key, dest)
    if (reply.status !== 200 && reply.body.code !== 'claim_not_open') {
      stats.unexpected.push({
        what: 'submit',
        status: reply.status,
        body: JSON.stringify(reply.body),
      })
    }
  }

  const onPage = async (uuid: string, key: string, payid: string) => {
    for (let tries = 0; tries < 30; tries++) {
      try {
        await cashOutOnPage(`${baseUrl}/c/${uuid}`, payid)
        return
      } catch {
        if ((await status(uuid, key)).status !== 'open') return
        stats.retries++
        await sleep(200)
      }
    }
    stats.unexpected.push({ what: 'page', status: 0, body: `claim ${uuid} never took the form` })
  }

  const settle = async (uuid: string, key: string, deadline: number) => {
    for (;;) {
      const current = await status(uuid, key)
      if (FINAL.has(current.status) || (current.status === 'open' && current.status_reason)) {
        return current
      }
      // Held for the operator: the settle phase plays that part.
      if (current.payout?.waiting_on === 'operator') return current
      if (Date.now() > deadline) return current
      await sleep(300)
    }
  }

  return async function play(plan: ClaimPlan, index: number) {
    const provider = providers[plan.provider] as ChaosProvider
    const generate = () =>
      call('generate', 'POST', `/cashout/generate/${provider.name}`, provider.key, {
        amount: plan.points,
        id: plan.ref,
      })
    const generated = await generate()
    if (generated.body.code === 'insufficient_float') {
      stats.insufficientFloat++
      return
    }
    if (generated.status !== 200) {
      stats.unexpected.push({
        what: 'generate',
        status: generated.status,
        body: JSON.stringify(generated.body),
      })
      return
    }
    stats.generated++
    const uuid = String(generated.body.uuid)
    if (plan.replayGenerate) {
      const again = await generate()
      if (again.body.uuid !== uuid) stats.replayMismatches++
    }
    const dest = destination(plan, plan.outcome, index)
    if (plan.action === 'cancel') {
      await call('cancel', 'POST', `/cashout/claims/${uuid}/cancel`, provider.key)
    } else if (plan.action === 'page') {
      await onPage(uuid, provider.key, String((dest as { payid: string }).payid))
    } else if (plan.action === 'double-submit') {
      await Promise.all([submit(uuid, provider.key, dest), submit(uuid, provider.key, dest)])
    } else {
      await submit(uuid, provider.key, dest)
    }
    const after = await settle(uuid, provider.key, Date.now() + 90_000)
    if (after.status === 'open' && after.status_reason && plan.resubmitOnReopen) {
      await submit(uuid, provider.key, destination(plan, 'normal', index + 1_000_000))
      await settle(uuid, provider.key, Date.now() + 90_000)
    }
  }
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text)
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    return {}
  }
}
