import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { secretKey, signatureHeader } from './signing.ts'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'

/** A `whsec_` secret over these key bytes, in standard base64 as Standard Webhooks writes it. */
function secretOf(bytes: number[]): string {
  return `whsec_${Buffer.from(bytes).toString('base64')}`
}

async function signedHeaders(secrets: string[], id: string, body: string) {
  const timestamp = Math.floor(Date.now() / 1000)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signatureHeader(secrets, id, timestamp, body),
  }
}

describe('secretKey', () => {
  it.each([
    ['+ and /', [0xfb, 0xef, 0xff, 0x01, 0x02, 0x03]],
    ['one padding character', [0xfb, 0xff, 0x10, 0x20, 0x30]],
    ['two padding characters', [0xff, 0xfe, 0xfd, 0xfc]],
    ['32 random-looking bytes', Array.from({ length: 32 }, (_, i) => (i * 97 + 13) % 256)],
  ])('reads the key bytes of a base64 secret with %s', (_, bytes) => {
    expect(Buffer.from(secretKey(secretOf(bytes)))).toEqual(Buffer.from(bytes))
  })

  it('reads a bare base64 key, without the whsec_ prefix, as the same key', () => {
    const bare = SECRET.slice('whsec_'.length)
    expect(Buffer.from(secretKey(bare))).toEqual(Buffer.from(secretKey(SECRET)))
    expect(Buffer.from(secretKey(bare))).toEqual(Buffer.from(bare, 'base64'))
  })

  it('refuses a secret whose padding is not at the end, as the library does', () => {
    expect(() => new Webhook('whsec_YQ==YQ')).toThrow()
    expect(() => secretKey('whsec_YQ==YQ')).toThrow()
  })
})

describe('signatureHeader', () => {
  it('is verified by the standardwebhooks library', async () => {
    const body = '{"event":"claim.settled","amount":1}'
    const headers = await signedHeaders([SECRET], 'msg_1', body)
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({ event: 'claim.settled', amount: 1 })
    expect(() => new Webhook(OTHER).verify(body, headers)).toThrow()
    expect(() => new Webhook(SECRET).verify(`${body} `, headers)).toThrow()
  })

  it.each([
    ['+ and /', [0xfb, 0xef, 0xff, 0x01, 0x02, 0x03, 0xfb, 0xef, 0xff]],
    ['/ only', [0xff, 0xff, 0xff, 0x00, 0x11, 0x22]],
    ['two padding characters', [0xff, 0xfe, 0xfd, 0xfc]],
  ])('signs with a secret holding %s so the library verifies it', async (_, bytes) => {
    const secret = secretOf(bytes)
    const body = '{"event":"claim.paid"}'
    const headers = await signedHeaders([secret], 'msg_3', body)
    expect(new Webhook(secret).verify(body, headers)).toEqual({ event: 'claim.paid' })
  })

  it('signs with a bare key as the library does with the same key, prefixed or not', async () => {
    const bare = SECRET.slice('whsec_'.length)
    const headers = await signedHeaders([bare], 'msg_4', '{}')
    expect(new Webhook(SECRET).verify('{}', headers)).toEqual({})
    expect(new Webhook(bare).verify('{}', headers)).toEqual({})
  })

  it('carries one signature per secret, so either verifies during a rotation', async () => {
    const body = '{}'
    const headers = await signedHeaders([OTHER, SECRET], 'msg_2', body)
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({})
    expect(new Webhook(OTHER).verify(body, headers)).toEqual({})
  })
})
