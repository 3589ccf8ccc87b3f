import type pg from 'pg'
import type { SandboxWithdrawal } from './checks.ts'

const SANDBOX_HEADERS = { 'app-id': 'sandbox-app-id', 'secret-key': 'sandbox-secret-key' }

interface LookUp {
  api: 'withdraw' | 'payouts_v1' | null
  client_transaction_id: string | null
  batch_external_id: string | null
  batch_line: number | null
}

interface Listed {
  id: string
  status: string
  waiting_on: string | null
  look_up: LookUp
}

interface BatchLine {
  status: string
  error_code: string | null
  amount: string
}

type RailRecord =
  | { state: 'none' }
  | { state: 'pending' }
  | { state: 'settled' }
  | { state: 'failed'; code: string | null }

async function sandboxGet<T>(sandboxUrl: string, path: string): Promise<T> {
  const res = await fetch(`${sandboxUrl}${path}`, { headers: SANDBOX_HEADERS })
  return (await res.json()) as T
}

/** What the rail's own record says of a payout: the operator's look in Hello Clever's portal. */
async function railRecord(sandboxUrl: string, look: LookUp): Promise<RailRecord> {
  if (look.api === 'withdraw' && look.client_transaction_id) {
    const w = await sandboxGet<{ payouts_made: number; status: string; error_code: string | null }>(
      sandboxUrl,
      `/sandbox/withdrawals/${look.client_transaction_id}`,
    )
    if (w.payouts_made === 0) return { state: 'none' }
    if (w.status === 'settled') return { state: 'settled' }
    if (w.status === 'failed') return { state: 'failed', code: w.error_code }
    return { state: 'pending' }
  }
  if (look.api === 'payouts_v1' && look.batch_external_id && look.batch_line !== null) {
    const found = await sandboxGet<{ batches: { payout_transactions: BatchLine[] }[] }>(
      sandboxUrl,
      `/sandbox/batches?external_id=${look.batch_external_id}`,
    )
    const line = found.batches[0]?.payout_transactions[look.batch_line]
    if (!line) return { state: 'none' }
    if (line.status === 'settled') return { state: 'settled' }
    if (line.status === 'failed') return { state: 'failed', code: line.error_code }
    return { state: 'pending' }
  }
  return { state: 'pending' }
}

/**
 * The operator's part, played as a person would: read the attention list, look each held or
 * silent payout up in the rail's own record, and resolve it with what the record says (and send
 * it again when the rail never received it). Payouts waiting for funds or credentials resolve
 * themselves and are left alone.
 */
export function playOperator(baseUrl: string, token: string, sandboxUrl: string) {
  const resolved: { payout: string; as: string }[] = []
  const resolve = async (id: string, body: Record<string, unknown>) => {
    const res = await fetch(`${baseUrl}/operator/payouts/${id}/resolve`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    await res.body?.cancel()
    if (res.status === 200) resolved.push({ payout: id, as: String(body.status) })
  }
  return {
    resolved,
    async round() {
      const res = await fetch(`${baseUrl}/operator/payouts/attention`, {
        headers: { Authorization: `Bearer ${token}` },
      }).catch(() => undefined)
      if (res?.status !== 200) return
      const { payouts } = (await res.json()) as { payouts: Listed[] }
      for (const payout of payouts) {
        if (payout.status !== 'held' && payout.waiting_on !== 'rail_confirmation') continue
        const record = await railRecord(sandboxUrl, payout.look_up)
        const reason = `Checked in the rail's record: ${record.state}`
        if (record.state === 'settled') await resolve(payout.id, { status: 'settled', reason })
        else if (record.state === 'none') await resolve(payout.id, { status: 'resend', reason })
        else if (record.state === 'failed') {
          await resolve(payout.id, {
            status: 'failed',
            reason,
            final: record.code !== 'ACCOUNT_INVALID',
          })
        }
      }
    },
  }
}

/**
 * Everything the rail paid out, one record per withdrawal or batch line, named by the payout it
 * carried (a batch line is matched by its batch's external_id and its place in the batch).
 */
export async function railPayouts(db: pg.Client, sandboxUrl: string): Promise<SandboxWithdrawal[]> {
  const { withdrawals } = await sandboxGet<{ withdrawals: SandboxWithdrawal[] }>(
    sandboxUrl,
    '/sandbox/withdrawals',
  )
  const { batches } = await sandboxGet<{
    batches: { external_id: string | null; payout_transactions: BatchLine[] }[]
  }>(sandboxUrl, '/sandbox/batches')
  const lines = await db.query<{ id: string; batch_id: string; batch_line: number }>(
    'select id, batch_id, batch_line from payouts where batch_id is not null',
  )
  const payoutAt = new Map(lines.rows.map((p) => [`${p.batch_id}:${p.batch_line}`, p.id]))
  const fromBatches = batches.flatMap((batch) =>
    batch.payout_transactions.map((line, i) => ({
      client_transaction_id:
        payoutAt.get(`${batch.external_id}:${i}`) ?? `batch ${batch.external_id} line ${i}`,
      status: line.status,
      amount_minor: Math.round(Number(line.amount) * 100),
    })),
  )
  return [...withdrawals, ...fromBatches]
}
