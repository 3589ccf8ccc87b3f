import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { abuserRefused, type Causes, causeOfWait, type FirstSend } from './checks.ts'
import { type AbuseStats, startTarpit } from './hostile.ts'

const bounds = { lateMs: 5000, leaseMs: 60_000 }
const quiet = (): Causes => ({ downs: [], gaps: [], stalls: [], attempts: new Map() })
const send = (created: number, first: number | null): FirstSend => ({
  provider: 'p',
  id: 'msg_1',
  event: 'claim.settled',
  created,
  first,
})

describe('why a normal delivery waited', () => {
  it('is clear when sent within the bound with no fault of the run around it', () => {
    expect(causeOfWait(send(0, 300), quiet(), bounds)).toBe('clear')
  })

  it('is unexplained when sent late with nothing of its own to blame', () => {
    expect(causeOfWait(send(0, 20_000), quiet(), bounds)).toBe('unexplained')
    expect(causeOfWait(send(0, null), quiet(), bounds)).toBe('unexplained')
  })

  it("puts a minute's wait across a kill down to the killed process's lease, not a shorter one", () => {
    const causes = { ...quiet(), downs: [2000] }
    expect(causeOfWait(send(0, 61_000), causes, bounds)).toBe('lease')
    expect(causeOfWait(send(0, 20_000), causes, bounds)).toBe('unexplained')
  })

  it('allows a wait for the next process only until shortly after it started', () => {
    const causes = { ...quiet(), gaps: [[1000, 9000]] as [number, number][] }
    expect(causeOfWait(send(0, 10_000), causes, bounds)).toBe('restart')
    expect(causeOfWait(send(0, 20_000), causes, bounds)).toBe('unexplained')
  })

  it('puts a wait down to its own endpoint only while that endpoint failed and took nothing', () => {
    const failing = { ...quiet(), attempts: new Map([['p', [{ at: -500, ok: false }]]]) }
    expect(causeOfWait(send(0, 30_000), failing, bounds)).toBe('own endpoint failing')
    const delivering = {
      ...quiet(),
      attempts: new Map([
        [
          'p',
          [
            { at: -500, ok: false },
            { at: 8000, ok: true },
          ],
        ],
      ]),
    }
    expect(causeOfWait(send(0, 30_000), delivering, bounds)).toBe('unexplained')
  })
})

describe('the tarpit', () => {
  const post = (url: string, id: string) => {
    const { port } = new URL(url)
    const socket = connect(Number(port), '127.0.0.1')
    socket.write(
      `POST /hooks HTTP/1.1\r\nhost: x\r\nwebhook-id: ${id}\r\ncontent-length: 2\r\n\r\n{}`,
    )
    return socket
  }
  /** Waits for the tarpit's side of the sockets to catch up, as a loaded machine may be slow. */
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10))
  }

  it('never answers, and reports a message held open on two connections at once', async () => {
    const tarpit = await startTarpit()
    const answers: Buffer[] = []
    const first = post(tarpit.url, 'msg_a')
    first.on('data', (chunk: Buffer) => answers.push(chunk))
    await until(() => tarpit.stats().messages === 1)
    first.destroy()
    await until(() => tarpit.stats().held.length === 1)
    const again = post(tarpit.url, 'msg_a')
    await until(() => tarpit.stats().connections === 2)
    // Its request is read as it arrives; this gives it the moment to.
    await new Promise((r) => setTimeout(r, 50))
    again.destroy()
    await until(() => tarpit.stats().held.length === 2)
    const twice = [post(tarpit.url, 'msg_b'), post(tarpit.url, 'msg_b')]
    await until(() => tarpit.stats().doubled.length > 0)
    const stats = tarpit.stats()
    for (const socket of twice) socket.destroy()
    await tarpit.close()
    expect(answers).toEqual([])
    expect(stats.doubled).toEqual(['msg_b'])
    expect(stats.messages).toBe(2)
    expect(stats.stillOpen).toHaveLength(2)
  })
})

describe("the abuser's check", () => {
  const stats = (over: Partial<AbuseStats>): AbuseStats => ({
    sent: 100,
    byStatus: { 201: 20, 429: 80 },
    accepted: 20,
    limited: 80,
    limitedWithoutRetryAfter: 0,
    retryAfter: { min: 590, max: 600 },
    serverErrors: [],
    balancer: 0,
    network: 0,
    ...over,
  })
  const limits = { budget: 20, processes: 1, windowSeconds: 600 }

  it('holds for refusals with a Retry-After once the budget is spent', () => {
    expect(abuserRefused(stats({}), limits, 20).ok).toBe(true)
  })

  it('fails without a refusal, without Retry-After, past the budget or on a 5xx', () => {
    expect(abuserRefused(stats({ limited: 0 }), limits, 20).ok).toBe(false)
    expect(abuserRefused(stats({ limitedWithoutRetryAfter: 1 }), limits, 20).ok).toBe(false)
    expect(abuserRefused(stats({ accepted: 21 }), limits, 21).ok).toBe(false)
    expect(abuserRefused(stats({ retryAfter: { min: 1, max: 601 } }), limits, 20).ok).toBe(false)
    expect(abuserRefused(stats({ serverErrors: [{ status: 500, body: '' }] }), limits, 20).ok).toBe(
      false,
    )
  })
})
