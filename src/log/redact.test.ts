import { describe, expect, it } from 'vitest'
import { luhnValid } from './luhn.ts'
import { containsCardNumber, redact, scrubCardNumbers } from './redact.ts'

describe('scrubCardNumbers', () => {
  it('masks Luhn-valid card numbers and leaves other digit runs', () => {
    expect(scrubCardNumbers('card 4111111111111111 ts 1763750000000')).toBe(
      'card [card number] ts 1763750000000',
    )
  })

  it.each([
    ['4111 1111 1111 1111', 'spaces'],
    ['4111-1111-1111-1111', 'dashes'],
    ['5555 5555-5555 4444', 'both'],
    ['3782 822463 10005', 'Amex grouping (15 digits)'],
    ['6392 1100 0000 0000 002', '19 digits'],
    ['6392-1100-0000-0000-002', '19 digits, dashes'],
    ['4111111111111111', 'no separators'],
  ])('masks a card number written as %s (%s)', (card) => {
    expect(scrubCardNumbers(`card ${card}.`)).toBe('card [card number].')
    expect(scrubCardNumbers(card)).toBe('[card number]')
    expect(scrubCardNumbers(`GET /cashout/${card}/x`)).toBe('GET /cashout/[card number]/x')
    expect(scrubCardNumbers(`{"id":"${card}"}`)).toBe('{"id":"[card number]"}')
  })

  it('masks the shortest card number, 13 digits', () => {
    expect(luhnValid('4222222222222')).toBe(true)
    expect(scrubCardNumbers('card 4222222222222')).toBe('card [card number]')
    expect(scrubCardNumbers('card 4222 2222 22222')).toBe('card [card number]')
  })

  it('leaves a 12-digit number and a 20-digit one, even when Luhn-valid: no card is that long', () => {
    for (const digits of ['411111111117', '41111111111111111115', '55555555555544440000']) {
      expect(luhnValid(digits)).toBe(true)
      expect(scrubCardNumbers(`ref ${digits}`)).toBe(`ref ${digits}`)
    }
  })

  it('masks every card in a text, each on its own', () => {
    expect(scrubCardNumbers('4111 1111 1111 1111, 5555-5555-5555-4444; 12345')).toBe(
      '[card number], [card number]; 12345',
    )
  })

  it('leaves grouped digits that fail Luhn, as it does unbroken ones', () => {
    expect(luhnValid('4111111111111112')).toBe(false)
    for (const text of ['4111 1111 1111 1112', '4111-1111-1111-1112', '4111111111111112']) {
      expect(scrubCardNumbers(text)).toBe(text)
    }
  })

  /** Every separator a person types between a card's groups, or the card field strips. */
  const SEPARATORS: [string, string][] = [
    [' ', 'a space'],
    ['  ', 'two spaces'],
    ['\u00a0', 'a no-break space'],
    ['\u2009', 'a thin space'],
    ['\u3000', 'an ideographic space'],
    ['\t', 'a tab'],
    ['-', 'a dash'],
    ['--', 'two dashes'],
    [' - ', 'a spaced dash'],
    ['.', 'a dot'],
    ['_', 'an underscore'],
    ['+', 'a plus sign'],
    ['/', 'a slash'],
    [' / ', 'a spaced slash'],
    ['%20', 'an encoded space'],
    ['%2B', 'an encoded plus sign'],
    ['%2b', 'an encoded plus sign, lower case'],
    ['%2D', 'an encoded dash'],
    ['%2E', 'an encoded dot'],
    ['%2F', 'an encoded slash'],
    ['%2f', 'an encoded slash, lower case'],
    ['%5F', 'an encoded underscore'],
    ['%5f', 'an encoded underscore, lower case'],
  ]
  const grouped = (sep: string) => ['4111', '1111', '1111', '1111'].join(sep)

  it.each(SEPARATORS)('masks a card whose groups are joined by %j (%s)', (sep) => {
    const card = grouped(sep)
    expect(scrubCardNumbers(card)).toBe('[card number]')
    expect(scrubCardNumbers(`card ${card}.`)).toBe('card [card number].')
    expect(scrubCardNumbers(`GET /cashout/${card}/x`)).toBe('GET /cashout/[card number]/x')
    expect(scrubCardNumbers(`{"id":"${card}"}`)).toBe('{"id":"[card number]"}')
  })

  const SLASHES = ['/', ' / ', '%2F', '%2f']

  it.each(SEPARATORS.filter(([sep]) => !SLASHES.includes(sep)))(
    'takes a run joined by %j (%s) whole: one that starts or ends inside an identifier is left',
    (sep) => {
      // The separator sits inside a longer run of them, so the run is whole across any mix.
      for (const text of [
        `ab12${sep} ${grouped(' ')}`,
        `${grouped(' ')} ${sep}12ab`,
        `${grouped(sep)} 1111`,
      ]) {
        expect(scrubCardNumbers(text)).toBe(text)
      }
    },
  )

  it.each(SLASHES)('a card beside an identifier across %j is its own path segment', (sep) => {
    expect(scrubCardNumbers(`ab12${sep} ${grouped(' ')}`)).toBe(`ab12${sep} [card number]`)
    expect(scrubCardNumbers(`${grouped(' ')} ${sep}12ab`)).toBe(`[card number] ${sep}12ab`)
    expect(scrubCardNumbers(`/cashout/4111111111111111${sep}12ab`)).toBe(
      `/cashout/[card number]${sep}12ab`,
    )
    // Still one run where the parts are all numbers: no card is cut out of a longer one.
    expect(scrubCardNumbers(`${grouped(sep)} 1111`)).toBe(`${grouped(sep)} 1111`)
  })

  it('leaves grouped digits that fail Luhn, whatever joins them', () => {
    for (const sep of SEPARATORS.map(([s]) => s)) {
      const text = ['4111', '1111', '1111', '1112'].join(sep)
      expect(scrubCardNumbers(text)).toBe(text)
    }
  })

  it('joins groups across a mix of separators, as typed', () => {
    expect(scrubCardNumbers('4111. 1111 -1111_/1111')).toBe('[card number]')
    expect(scrubCardNumbers('paid with 4111 \u00a0-- 1111 . 1111 + 1111, thanks')).toBe(
      'paid with [card number], thanks',
    )
  })

  it.each([
    ['/c/x/4111111111111111/1234567890123', '/c/x/[card number]/1234567890123'],
    ['/c/x/1234/4111 1111 1111 1111/5', '/c/x/1234/[card number]/5'],
    ['12/4111.1111.1111.1111', '12/[card number]'],
    ['4111%2E1111%2E1111%2E1111/12', '[card number]/12'],
    ['4111111111111111%2F1234567890123', '[card number]%2F1234567890123'],
    ['4111111111111111%2f12', '[card number]%2f12'],
    ['4111111111111111 / 2026', '[card number] / 2026'],
    [
      'No route matches GET /cashout/claims/c690774e-13d3-4d9f-a63c-1313e9ba87c7/6549142363622593.',
      'No route matches GET /cashout/claims/c690774e-13d3-4d9f-a63c-1313e9ba87c7/[card number].',
    ],
    ['/x/abc7/4111111111111111', '/x/abc7/[card number]'],
    ['/x/abc7%2F4111111111111111', '/x/abc7%2F[card number]'],
    ['/cashout/%204111111111111111', '/cashout/%20[card number]'],
    ['/cashout/%2F4111111111111111/x', '/cashout/%2F[card number]/x'],
  ])('checks each path segment on its own when the whole is no card: %s', (text, masked) => {
    expect(scrubCardNumbers(text)).toBe(masked)
  })

  it('parts a run only at slashes: other separators keep a longer number whole', () => {
    for (const text of ['2026 4111111111111111/12', '2026.4111111111111111%2F12']) {
      expect(scrubCardNumbers(text)).toBe(text)
    }
  })

  it('masks a card set off from a word by spaces and a dash, as prose writes it', () => {
    expect(scrubCardNumbers('card - 4111 1111 1111 1111 - declined')).toBe(
      'card - [card number] - declined',
    )
  })

  it('leaves a card joined to a word by one or more dashes: an identifier', () => {
    for (const text of [
      'abc-4111111111111111',
      'abc--4111111111111111',
      '4111111111111111-abc',
      '4111111111111111--abc',
      'é-4111-1111-1111-1111',
    ]) {
      expect(scrubCardNumbers(text)).toBe(text)
    }
  })

  it('leaves a card touching a letter, a digit of another script or an underscore', () => {
    for (const text of [
      'x4111111111111111',
      '4111111111111111x',
      '٣4111111111111111',
      '4111111111111111٣',
      '_4111111111111111',
      '4111111111111111_',
      'ab_4111_1111_1111_1111',
      '4111_1111_1111_1111_ab',
    ]) {
      expect(scrubCardNumbers(text)).toBe(text)
    }
  })

  it('leaves a Luhn-valid run that is part of a longer number', () => {
    // 4111 1111 1111 1111 is valid, but these are 20 digits: no card is that long.
    for (const text of [
      '4111 1111 1111 1111 1111',
      '41111111111111111111',
      '2026 4111-1111-1111-1111',
    ]) {
      expect(scrubCardNumbers(text)).toBe(text)
    }
  })

  it.each([
    ['+61 412 345 678', 'a mobile number'],
    ['0412 345 678', 'a local mobile number'],
    ['062-000', 'a BSB'],
    ['BSB 062-000 account 12345678', 'a BSB and an account number'],
    ['12345678', 'an account number'],
    ['2026-11-30T12:34:56.789Z', 'an ISO timestamp'],
    ['2026-11-30 12:34:56', 'a date and time'],
    ['1763750000000', 'a Unix time in milliseconds'],
    ['AUD 1 234 567.89', 'an amount'],
    ['amount 2500 fee 25 net 2475', 'amounts side by side'],
    ['192.168.100.200', 'an IPv4 address'],
    ['30/11/2026 12:34', 'a date written with slashes'],
    ['version 1.22.333', 'a version'],
    ['/c/1234/5678/9012', 'numbers in a path'],
    ['+61 412 345 678 / +61 2 9876 5432', 'two phone numbers'],
  ])('leaves %s (%s)', (text) => {
    expect(scrubCardNumbers(text)).toBe(text)
  })

  it('never touches a request id, even one holding a Luhn-valid digit run', () => {
    for (const id of [
      'req_4111111111111111abcdef0123456789',
      'req_abcdefabcdefabcd4111111111111111',
      'req_55555555555544444111111111111111',
      'req_3f0c9d0b8f6a4c1e9a2b7d4e5f6a7b8c',
    ]) {
      expect(scrubCardNumbers(id)).toBe(id)
      expect(scrubCardNumbers(`request ${id} failed`)).toBe(`request ${id} failed`)
    }
  })

  it('never touches a uuid, even one whose digit groups add up to a card', () => {
    expect(luhnValid('8111111111111112')).toBe(true)
    for (const uuid of [
      '41111111-1111-1111-abcd-0123456789ab',
      'abcdefab-abcd-4abc-8111-111111111112',
      'abcdefab-4111-1111-1111-1111abcdabcd',
      '41111111-1111-4111-8111-111111111111',
      // The first three groups make 4111111111111111, the last two 8111111111111112.
      '41111111-1111-1111-8abc-0123456789ab',
      'abcdefab-abcd-4ab1-8111-111111111112',
    ]) {
      expect(scrubCardNumbers(uuid)).toBe(uuid)
      expect(scrubCardNumbers(`/c/${uuid}/status`)).toBe(`/c/${uuid}/status`)
    }
  })
})

describe('containsCardNumber', () => {
  it('is true exactly when the text holds what logs would mask', () => {
    for (const text of [
      '4111 1111 1111 1111',
      'Acme 4111.1111.1111.1111 Rewards',
      '4111_1111_1111_1111@example.com',
      'https://help.example.com/4111-1111-1111-1111',
      'Jane 4111111111111111',
    ]) {
      expect(containsCardNumber(text)).toBe(true)
    }
    for (const text of [
      'Acme Rewards',
      'Acme 24/7 Rewards 2026',
      '1300 123 456',
      '4111 1111 1111 1112',
      'req_4111111111111111abcdef0123456789',
      '',
    ]) {
      expect(containsCardNumber(text)).toBe(false)
    }
  })

  it('still finds a card after text that is already masked', () => {
    expect(containsCardNumber('[card number] and 4111 1111 1111 1111')).toBe(true)
    expect(containsCardNumber('[card number]')).toBe(false)
  })
})

describe('redact', () => {
  it('replaces values under secret-looking keys at any depth', () => {
    const out = redact({
      pan: '4111111111111111',
      ipin: '1234',
      nested: { authorization: 'Bearer abc', webhook_secret: 'whsec_x', amount: 10 },
      list: [{ api_key: 'k' }],
    })
    expect(out).toEqual({
      pan: '[redacted]',
      ipin: '[redacted]',
      nested: { authorization: '[redacted]', webhook_secret: '[redacted]', amount: 10 },
      list: [{ api_key: '[redacted]' }],
    })
  })

  it.each([
    'access_token',
    'refresh_token',
    'id_token',
    'token',
    'apikey',
    'apiKey',
    'api_key',
    'secretkey',
    'secret_key',
    'appid',
    'app_id',
    'exp_date',
    'expdate',
    'cvv',
    'cvc',
    'pin',
    'password',
    'passphrase',
    'secret',
    'client_secret',
    'Authorization',
    'cookie',
    'set-cookie',
    'account_number',
    'bsb',
    'payid',
    'destination',
  ])('redacts whatever sits under %s', (key) => {
    expect(redact({ [key]: 'x', other: 'y' })).toEqual({ [key]: '[redacted]', other: 'y' })
    expect(redact({ [key]: { nested: 1 } })).toEqual({ [key]: '[redacted]' })
  })

  it('matches whole key names: a key that only contains a secret word is kept', () => {
    const fields = {
      timespan: '5m',
      pinned: true,
      token_count: 3,
      destination_id: 'dst_1',
      tokenizer: 'x',
      bsb_valid: true,
    }
    expect(redact(fields)).toEqual(fields)
  })

  it('masks card numbers in string fields at any depth, and leaves other values alone', () => {
    const out = redact({
      note: 'customer pasted 4111111111111111 into the name',
      detail: { reason: 'card 5555-5555-5555-4444 declined', attempts: [1, 'again 4222222222222'] },
      amount: 2500,
      ok: false,
      gone: null,
      missing: undefined,
    })
    expect(out).toEqual({
      note: 'customer pasted [card number] into the name',
      detail: { reason: 'card [card number] declined', attempts: [1, 'again [card number]'] },
      amount: 2500,
      ok: false,
      gone: null,
      missing: undefined,
    })
  })

  it('passes null and other plain values through as they are', () => {
    expect(redact(null)).toBeNull()
    expect(redact(undefined)).toBeUndefined()
    expect(redact(42)).toBe(42)
    expect(redact(true)).toBe(true)
    expect(redact({ a: null })).toEqual({ a: null })
  })

  it('keeps only name, message, code and stack of errors, scrubbed', () => {
    const error = Object.assign(new Error('bad card 4111111111111111'), { code: '23505', pan: 'x' })
    const out = redact(error) as Record<string, unknown>
    expect(out.name).toBe('Error')
    expect(out.message).toBe('bad card [card number]')
    expect(out.code).toBe('23505')
    expect(out).not.toHaveProperty('pan')
    expect(String(out.stack)).not.toContain('4111111111111111')
    expect(out.stack).toContain('bad card [card number]')
    expect(Object.keys(out).sort()).toEqual(['code', 'message', 'name', 'stack'])
  })

  it('carries an error code only when it is a string', () => {
    const plain = redact(new Error('x')) as Record<string, unknown>
    expect(plain).not.toHaveProperty('code')
    const numeric = redact(Object.assign(new Error('x'), { code: 42 })) as Record<string, unknown>
    expect(numeric).not.toHaveProperty('code')
    const nested = Object.assign(new Error('x'), { code: { pan: '4111111111111111' } })
    expect(redact(nested)).not.toHaveProperty('code')
  })

  it('leaves out a stack the error does not have', () => {
    const error = new TypeError('no stack')
    error.stack = undefined
    expect(redact(error)).toEqual({ name: 'TypeError', message: 'no stack' })
  })

  it('masks grouped card numbers in string fields and errors, keeps ids', () => {
    const error = new Error('no route for /cashout/4111-1111-1111-1111')
    const out = redact({
      note: 'paid with 4111 1111 1111 1111',
      request_id: 'req_4111111111111111abcdef0123456789',
      nested: { list: ['5555-5555-5555-4444'] },
      error,
    }) as Record<string, unknown>
    expect(out.note).toBe('paid with [card number]')
    expect(out.request_id).toBe('req_4111111111111111abcdef0123456789')
    expect(out.nested).toEqual({ list: ['[card number]'] })
    expect((out.error as Record<string, unknown>).message).toBe(
      'no route for /cashout/[card number]',
    )
  })

  it('turns bigints and dates into JSON-safe values', () => {
    expect(redact({ n: 12n, at: new Date('2026-01-01T00:00:00Z') })).toEqual({
      n: '12',
      at: '2026-01-01T00:00:00.000Z',
    })
  })

  it('stops at a depth limit instead of recursing forever', () => {
    const deep: Record<string, unknown> = {}
    let cursor = deep
    for (let i = 0; i < 20; i++) {
      cursor.next = {}
      cursor = cursor.next as Record<string, unknown>
    }
    expect(JSON.stringify(redact(deep))).toContain('[nested]')
  })

  it('keeps six levels of objects and cuts the seventh', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : { next: nest(levels - 1) })
    expect(redact(nest(6))).toEqual(nest(6))
    expect(JSON.stringify(redact(nest(7)))).toBe(
      JSON.stringify(nest(6)).replace('"leaf"', '"[nested]"'),
    )
  })

  it('stops at the same limit through arrays, so a cycle ends', () => {
    const list: unknown[] = []
    list.push(list)
    const out = JSON.stringify(redact(list))
    expect(out).toBe('[[[[[["[nested]"]]]]]]')
    const record: Record<string, unknown> = { amount: 1 }
    record.self = record
    expect(JSON.stringify(redact(record))).toContain('[nested]')
  })
})
