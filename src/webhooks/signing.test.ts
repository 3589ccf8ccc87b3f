import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { signatureHeader } from './signing.ts'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'

describe('signatureHeader', () => {
  it('is verified by the standardwebhooks library', async () => {
    const body = '{"event":"claim.settled","amount":1}'
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await signatureHeader([SECRET], 'msg_1', timestamp, body),
    }
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({ event: 'claim.settled', amount: 1 })
    expect(() => new Webhook(OTHER).verify(body, headers)).toThrow()
    expect(() => new Webhook(SECRET).verify(`${body} `, headers)).toThrow()
  })

  it('carries one signature per secret, so either verifies during a rotation', async () => {
    const body = '{}'
    const timestamp = Math.floor(Date.now() / 1000)
    const signature = await signatureHeader([OTHER, SECRET], 'msg_2', timestamp, body)
    expect(signature.split(' ')).toHaveLength(2)
    const headers = {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    }
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({})
    expect(new Webhook(OTHER).verify(body, headers)).toEqual({})
  })
})
