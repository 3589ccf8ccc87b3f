import { describe, expect, it } from 'vitest'
import { checkTarget, TransportError } from './transport.ts'

const PROBES = [
  'https://127.0.0.1/hook',
  'https://0x7f.1/hook',
  'https://2130706433/hook',
  'https://127.1/hook',
  'https://[::1]/hook',
  'https://[::ffff:7f00:1]/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://10.0.0.1/hook',
  'https://100.64.0.1/hook',
  'https://[fd00::1]/hook',
  'http://hooks.example.com/hook',
  'https://localhost/hook',
  'https://localhost./hook',
  'ftp://hooks.example.com/x',
  'https://user:pw@hooks.example.com/x',
]

describe('checkTarget', () => {
  it.each(PROBES)('refuses %s when loopback is not allowed', (url) => {
    expect(() => checkTarget(new URL(url), false)).toThrow(TransportError)
  })

  it('lets a public https name through (its addresses are checked when it is resolved)', () => {
    expect(checkTarget(new URL('https://Hooks.Example.com./x'), false)).toBe('hooks.example.com')
  })

  it.each(['http://127.0.0.1:9000/hook', 'http://localhost:9000/hook', 'https://[::1]:9000/hook'])(
    'allows loopback %s when the operator does',
    (url) => {
      expect(() => checkTarget(new URL(url), true)).not.toThrow()
    },
  )

  it('still refuses private addresses when loopback is allowed', () => {
    expect(() => checkTarget(new URL('https://10.0.0.1/x'), true)).toThrow(/private/)
    expect(() => checkTarget(new URL('http://hooks.example.com/x'), true)).toThrow(/plain http/)
  })
})
