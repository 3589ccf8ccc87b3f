import type { Tx } from '../db/schema.ts'
import { jsonInt } from '../money.ts'
import type { FloatLowEventBody } from './openapi.ts'
import { newMessageId } from './payload.ts'

export interface FloatLow {
  providerId: string
  livemode: boolean
  availableMinor: bigint
  thresholdMinor: bigint
  currency: string
  at: Date
}

/**
 * The `float.low` body: the noebs envelope plus Cashout's fields. No points are involved, so
 * `details.amount` is 0; `details.code` is 51, ISO 8583's "insufficient funds", the nearest
 * code to a float that may soon not cover new claims.
 */
export function floatLowPayload(provider: string, alert: FloatLow): string {
  const body: FloatLowEventBody = {
    name: provider,
    details: { response: 'Float low', code: 51, time: alert.at.toISOString(), amount: 0 },
    event: 'float.low',
    livemode: alert.livemode,
    available_minor: jsonInt(alert.availableMinor),
    threshold_minor: jsonInt(alert.thresholdMinor),
    currency: alert.currency,
  }
  return JSON.stringify(body)
}

/** Queues `float.low` in the transaction that moved the float under the threshold. */
export async function enqueueFloatLow(tx: Tx, alert: FloatLow): Promise<string> {
  const provider = await tx
    .selectFrom('providers')
    .select('name')
    .where('id', '=', alert.providerId)
    .executeTakeFirstOrThrow()
  const id = newMessageId()
  await tx
    .insertInto('webhook_deliveries')
    .values({
      id,
      provider_id: alert.providerId,
      livemode: alert.livemode,
      event_id: null,
      claim_id: null,
      event_type: 'float.low',
      payload: floatLowPayload(provider.name, alert),
      status: 'pending',
      next_attempt_at: alert.at,
      created_at: alert.at,
      updated_at: alert.at,
    })
    .execute()
  return id
}
