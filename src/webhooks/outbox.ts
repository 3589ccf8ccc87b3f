import type { Tx } from '../db/schema.ts'
import { DELIVERED_EVENTS, type EventData, eventPayload, newMessageId } from './payload.ts'

/** Queues the webhook for an event, in the event's own transaction: the outbox half of it. */
export async function enqueueEventDelivery(
  tx: Tx,
  input: {
    eventId: string
    providerId: string
    claimId: string
    type: string
    sequence: number
    data: EventData
    now: Date
  },
) {
  if (!DELIVERED_EVENTS.has(input.type)) return
  const provider = await tx
    .selectFrom('providers')
    .select('name')
    .where('id', '=', input.providerId)
    .executeTakeFirstOrThrow()
  await tx
    .insertInto('webhook_deliveries')
    .values({
      id: newMessageId(),
      provider_id: input.providerId,
      livemode: input.data.livemode,
      event_id: input.eventId,
      claim_id: input.claimId,
      event_type: input.type,
      payload: eventPayload({
        provider: provider.name,
        event: input.type,
        sequence: input.sequence,
        at: input.now,
        data: input.data,
      }),
      status: 'pending',
      next_attempt_at: input.now,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute()
}
