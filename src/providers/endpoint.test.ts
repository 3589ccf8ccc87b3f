import { describe, expect, it } from 'vitest'
import { checkEndpoint } from './endpoint.ts'

const strict = { allowLoopback: false }
const local = { allowLoopback: true }

describe('checkEndpoint', () => {
  it.each([
    ['https://hooks.example.com/cashout', 'https://hooks.example.com/cashout'],
    ['https://hooks.example.com:8443/a?b=c', 'https://hooks.example.com:8443/a?b=c'],
    ['HTTPS://Hooks.Example.COM', 'https://hooks.example.com/'],
  ])('accepts %s', (raw, url) => {
    expect(checkEndpoint(raw, strict)).toEqual({ ok: true, url })
  })

  it.each([
    ['http://hooks.example.com/x', /https/],
    ['ftp://hooks.example.com/x', /https/],
    ['not a url', /absolute https URL/],
    ['https://user:pw@hooks.example.com', /user name or password/],
    ['https://intranet/hook', /fully qualified/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://0x7f.1/hook', /loopback/],
    ['https://2130706433/hook', /loopback/],
    ['https://127.1/hook', /loopback/],
    ['https://[::1]/hook', /loopback/],
    ['https://[::ffff:7f00:1]/hook', /loopback/],
    ['https://localhost/hook', /loopback/],
    ['https://localhost./hook', /loopback/],
    ['https://app.localhost./hook', /loopback/],
    ['https://[::ffff:0:7f00:1]/hook', /loopback/],
    ['https://[2002:7f00:1::]/hook', /reserved/],
    ['https://169.254.169.254/latest', /link-local/],
    ['https://10.0.0.1/hook', /private/],
    ['https://100.64.0.1/hook', /shared/],
    ['https://[fd00::1]/hook', /private/],
    ['https://0.0.0.0/hook', /^Must not point at an unspecified address/],
    ['https://224.0.0.1/hook', /^Must not point at a multicast address/],
    ['https://100.64.0.1/hook', /^Must not point at a shared \(carrier-grade NAT\) address/],
    ['https://192.0.2.1/hook', /^Must not point at a reserved or special-purpose address/],
    [`https://example.com/${'a'.repeat(2100)}`, /at most 2048/],
  ])('refuses %s when loopback is not allowed', (raw, message) => {
    const result = checkEndpoint(raw, strict)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(message)
  })

  it.each([
    'http://localhost:9000/hook',
    'http://127.0.0.1:9000/hook',
    'http://[::1]:9000/hook',
    'https://app.localhost/hook',
  ])('accepts loopback %s when the operator allows it', (raw) => {
    expect(checkEndpoint(raw, local).ok).toBe(true)
  })

  it('still refuses private addresses when loopback is allowed', () => {
    expect(checkEndpoint('https://192.168.0.10/hook', local).ok).toBe(false)
    expect(checkEndpoint('http://hooks.example.com/hook', local).ok).toBe(false)
  })
})
