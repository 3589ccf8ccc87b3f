import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { signatureHeader } from './signing.ts'
import { verifyWebhook } from './verify.ts'

const secret = `whsec_${Buffer.from('a demo secret of thirty-two bytes').toString('base64')}`
const other = `whsec_${Buffer.from('another secret of 32 bytes long!').toString('base64')}`
const now = new Date('2026-11-21T10:00:00Z')
const ts = Math.floor(now.getTime() / 1000)
const body = '{"event":"claim.settled"}'

describe('verifyWebhook', () => {
  it('accepts what an independent Standard Webhooks signer produces', async () => {
    const signature = new Webhook(secret).sign('msg_1', now, body)
    expect(
      await verifyWebhook(secret, { id: 'msg_1', timestamp: String(ts), signature }, body, now),
    ).toBe('ok')
  })

  it('accepts a header carrying several signatures when one is ours', async () => {
    const signature = await signatureHeader([other, secret], 'msg_1', ts, body)
    expect(
      await verifyWebhook(secret, { id: 'msg_1', timestamp: String(ts), signature }, body, now),
    ).toBe('ok')
  })

  it.each([
    ['a changed body', { id: 'msg_1', timestamp: String(ts) }, `${body} `, 'bad signature'],
    ['another id', { id: 'msg_2', timestamp: String(ts) }, body, 'bad signature'],
    ['an old timestamp', { id: 'msg_1', timestamp: String(ts - 301) }, body, 'stale timestamp'],
    ['no id', { id: undefined, timestamp: String(ts) }, body, 'missing headers'],
    ['a non-numeric timestamp', { id: 'msg_1', timestamp: '1e9' }, body, 'missing headers'],
  ] as const)('refuses %s', async (_, headers, sent, verdict) => {
    const signature = await signatureHeader([secret], 'msg_1', ts, body)
    expect(await verifyWebhook(secret, { ...headers, signature }, sent, now)).toBe(verdict)
  })

  it('refuses a signature made with another secret', async () => {
    const signature = await signatureHeader([other], 'msg_1', ts, body)
    expect(
      await verifyWebhook(secret, { id: 'msg_1', timestamp: String(ts), signature }, body, now),
    ).toBe('bad signature')
  })
})
