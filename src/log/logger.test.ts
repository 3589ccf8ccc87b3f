import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from './logger.ts'

function capture(level: 'debug' | 'info' | 'warn' | 'error' | 'silent') {
  const lines: string[] = []
  const logger = createLogger({
    level,
    write: (line) => lines.push(line),
    now: () => new Date('2026-05-01T10:00:00Z'),
  })
  return { logger, lines }
}

describe('createLogger', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes one JSON object per entry with time, level and message', () => {
    const { logger, lines } = capture('debug')
    logger.info('hello', { n: 1 })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-05-01T10:00:00.000Z',
      level: 'info',
      msg: 'hello',
      n: 1,
    })
  })

  it('drops entries below its level', () => {
    const { logger, lines } = capture('warn')
    logger.debug('a')
    logger.info('b')
    logger.warn('c')
    logger.error('d')
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['c', 'd'])
  })

  it('writes every level at debug, each entry naming its own level', () => {
    const { logger, lines } = capture('debug')
    logger.debug('a')
    logger.info('b')
    logger.warn('c')
    logger.error('d')
    expect(lines.map((l) => [JSON.parse(l).level, JSON.parse(l).msg])).toEqual([
      ['debug', 'a'],
      ['info', 'b'],
      ['warn', 'c'],
      ['error', 'd'],
    ])
  })

  it('stamps entries with the current time when no clock is given', () => {
    vi.useFakeTimers({ now: new Date('2026-07-04T08:30:00Z') })
    const lines: string[] = []
    createLogger({ level: 'info', write: (line) => lines.push(line) }).info('tick')
    expect(JSON.parse(lines[0] ?? '').time).toBe('2026-07-04T08:30:00.000Z')
  })

  it('writes nothing when silent', () => {
    const { logger, lines } = capture('silent')
    logger.error('x')
    expect(lines).toEqual([])
  })

  it('carries child bindings and redacts them like any field', () => {
    const { logger, lines } = capture('info')
    logger.child({ request_id: 'req_1', token: 'secret' }).info('m', { pan: '4111111111111111' })
    const entry = JSON.parse(lines[0] ?? '')
    expect(entry).toMatchObject({ request_id: 'req_1', token: '[redacted]', pan: '[redacted]' })
  })

  it('scrubs card numbers from the message itself', () => {
    const { logger, lines } = capture('info')
    logger.info('declined 4111111111111111')
    expect(lines[0]).not.toContain('4111111111111111')
  })

  it('masks card numbers inside string fields and drops tokens and keys, at any depth', () => {
    const { logger, lines } = capture('info')
    logger.warn('rail refused', {
      reason: 'account 4111 1111 1111 1111 closed',
      upstream: { access_token: 'at_live_1', apikey: 'k_live_2', detail: ['5555-5555-5555-4444'] },
    })
    const line = lines[0] ?? ''
    for (const secret of ['4111 1111 1111 1111', '5555-5555-5555-4444', 'at_live_1', 'k_live_2']) {
      expect(line).not.toContain(secret)
    }
    expect(JSON.parse(line)).toMatchObject({
      reason: 'account [card number] closed',
      upstream: { access_token: '[redacted]', apikey: '[redacted]', detail: ['[card number]'] },
    })
  })
})
