import { describe, expect, it } from 'vitest'
import {
  abnValid,
  DestinationSchema,
  maskDestination,
  normaliseMobile,
  parseDestination,
} from './destination.ts'

const ok = (input: Record<string, unknown>) => {
  const result = parseDestination(input)
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.destination
}

const errorsOf = (input: Record<string, unknown>) => {
  const result = parseDestination(input)
  return result.ok ? [] : result.errors
}

describe('PayID destinations', () => {
  it.each([
    ['email', ' Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['mobile', '0412 345 678', '+61-412345678'],
    ['mobile', '+61 412 345 678', '+61-412345678'],
    ['mobile', '61412345678', '+61-412345678'],
    ['mobile', '+61-412-345-678', '+61-412345678'],
    ['abn', '51 824 753 556', '51824753556'],
    ['org_id', ' Acme  Pty Ltd ', 'Acme Pty Ltd'],
  ])('normalises %s %j', (payid_type, payid, expected) => {
    expect(ok({ type: 'payid', payid_type, payid })).toEqual({
      type: 'payid',
      payid_type,
      payid: expected,
    })
  })

  it.each([
    ['email', 'not-an-email', 'email address'],
    ['email', 'a@b', 'email address'],
    ['mobile', '0212345678', 'Australian mobile'],
    ['mobile', '041234567', 'Australian mobile'],
    ['abn', '1234567890', '11 digits'],
    ['abn', '51824753557', 'not a valid ABN'],
    ['email', 'jane\u200b@example.com', 'invisible'],
    ['mobile', '０４１２３４５６７８', 'full-width'],
    ['email', '', 'Enter your PayID'],
    ['fax', 'x', 'Choose email, mobile'],
  ])('refuses %s %j', (payid_type, payid, message) => {
    const errors = errorsOf({ type: 'payid', payid_type, payid })
    expect(errors.map((e) => e.message).join(' ')).toContain(message)
  })

  it('validates ABN check digits', () => {
    expect(abnValid('51824753556')).toBe(true)
    expect(abnValid('53004085616')).toBe(true)
    expect(abnValid('12345678901')).toBe(false)
  })

  it('normalises mobiles or says no', () => {
    expect(normaliseMobile('(04) 1234 5678')).toBe('+61-412345678')
    expect(normaliseMobile('+44 7700 900123')).toBeUndefined()
  })
})

describe('bank destinations', () => {
  it('normalises the BSB and keeps the account number', () => {
    expect(
      ok({
        type: 'bank',
        account_name: " Mary  O'Brien ",
        bsb: '062-000',
        account_number: '12345678',
      }),
    ).toEqual({
      type: 'bank',
      account_name: "Mary O'Brien",
      bsb: '062000',
      account_number: '12345678',
    })
  })

  it.each([
    [{ bsb: '06200' }, 'bsb', '6 digits'],
    [{ bsb: '062-00a' }, 'bsb', '6 digits'],
    [{ account_number: '123' }, 'account_number', '4 to 9 digits'],
    [{ account_number: '1234567890' }, 'account_number', '4 to 9 digits'],
    [{ account_name: 'Mary-Jane Smith' }, 'account_name', 'apostrophes only'],
    [{ account_name: '   ' }, 'account_name', 'Enter the name'],
    [{ account_name: 'Ｍａｒｙ' }, 'account_name', 'full-width'],
    [{ account_number: '1234\u200d5678' }, 'account_number', 'invisible'],
  ])('refuses %j', (override, field, message) => {
    const errors = errorsOf({
      type: 'bank',
      account_name: 'Mary Smith',
      bsb: '062000',
      account_number: '12345678',
      ...override,
    })
    expect(errors).toEqual([{ field, message: expect.stringContaining(message) }])
  })

  it('names every bad field at once', () => {
    const errors = errorsOf({ type: 'bank', account_name: '', bsb: '1', account_number: 'x' })
    expect(errors.map((e) => e.field)).toEqual(['account_name', 'bsb', 'account_number'])
  })

  it('refuses a missing or unknown type', () => {
    expect(errorsOf({})).toEqual([{ field: 'type', message: expect.any(String) }])
    expect(errorsOf({ type: 'card' })).toEqual([{ field: 'type', message: expect.any(String) }])
  })
})

describe('one shape, never a mix', () => {
  const PAYID = { type: 'payid', payid_type: 'email', payid: 'jane@example.com' }
  const BANK = {
    type: 'bank',
    account_name: 'Mary Smith',
    bsb: '062000',
    account_number: '12345678',
  }
  const REMOVE = 'Not a field of this request; remove it.'

  it.each([
    ['a PayID', PAYID, 'bsb', '062000'],
    ['a PayID', PAYID, 'account_number', '12345678'],
    ['a PayID', PAYID, 'account_name', 'Jane Citizen'],
    ['a bank account', BANK, 'payid', 'jane@example.com'],
    ['a bank account', BANK, 'payid_type', 'email'],
    ['a PayID', PAYID, 'nickname', 'Jane'],
    ['a bank account', BANK, 'nickname', 'Savings'],
    ['a PayID', PAYID, 'amount', 100],
  ])('refuses %s carrying %s, naming it', (_kind, valid, key, value) => {
    expect(errorsOf({ ...valid, [key]: value })).toEqual([{ field: key, message: REMOVE }])
  })

  it('names every field that does not belong', () => {
    expect(errorsOf({ ...PAYID, bsb: '062000', account_number: '12345678' })).toEqual([
      { field: 'bsb', message: REMOVE },
      { field: 'account_number', message: REMOVE },
    ])
  })

  it.each([
    ['no type', {}],
    ['no type with PayID fields', { payid_type: 'email', payid: 'jane@example.com' }],
    ['an unknown type', { ...BANK, type: 'card' }],
    ['a type in capitals', { ...PAYID, type: 'PAYID' }],
    ['a type that is not text', { ...PAYID, type: 1 }],
  ])('asks to choose a kind when given %s', (_name, input) => {
    expect(errorsOf(input)).toEqual([{ field: 'type', message: 'Choose PayID or bank account.' }])
  })

  it('is usable as a schema, giving the normalised destination', () => {
    const bank = DestinationSchema.safeParse({
      type: 'bank',
      account_name: " Mary  O'Brien ",
      bsb: '062 000',
      account_number: '1234-5678',
    })
    expect(bank.success && bank.data).toEqual({
      type: 'bank',
      account_name: "Mary O'Brien",
      bsb: '062000',
      account_number: '12345678',
    })
    const payid = DestinationSchema.safeParse({
      type: 'payid',
      payid_type: 'mobile',
      payid: '0412 345 678',
    })
    expect(payid.success && payid.data).toEqual({
      type: 'payid',
      payid_type: 'mobile',
      payid: '+61-412345678',
    })
    expect(DestinationSchema.safeParse({ ...PAYID, bsb: '062000' }).success).toBe(false)
  })
})

describe('masking', () => {
  it.each([
    [
      { type: 'bank', account_name: 'Mary Smith', bsb: '062000', account_number: '12345678' },
      { bsb: '062-000', account_number: '••••5678' },
    ],
    [
      { type: 'bank', account_name: 'Mary Smith', bsb: '062000', account_number: '1234' },
      { account_number: '••••34' },
    ],
    [
      { type: 'payid', payid_type: 'email', payid: 'jane@example.com' },
      { payid: 'j•••@example.com' },
    ],
    [{ type: 'payid', payid_type: 'mobile', payid: '+61-412345678' }, { payid: '+61-4••••5678' }],
    [{ type: 'payid', payid_type: 'abn', payid: '51824753556' }, { payid: '••••••••556' }],
  ] as const)('masks %j', (destination, expected) => {
    expect(maskDestination(destination)).toMatchObject(expected)
  })
})

describe('unknown fields named back to the sender', () => {
  it('never echo a card number sent as a field name, and stay short', () => {
    const result = parseDestination({
      type: 'payid',
      payid_type: 'email',
      payid: 'jane@example.com',
      '4111111111111111': 'x',
      ['y'.repeat(500)]: 'z',
    })
    expect(result.ok).toBe(false)
    const fields = result.ok ? [] : result.errors.map((e) => e.field)
    expect(fields).toEqual(['[card number]', 'y'.repeat(100)])
  })
})
