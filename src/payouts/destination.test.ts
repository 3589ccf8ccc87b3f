import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import {
  abnValid,
  type Destination,
  DestinationSchema,
  describeDestination,
  formatBsb,
  maskDestination,
  normaliseMobile,
  PAYID_TYPES,
  parseDestination,
} from './destination.ts'

const ok = (input: unknown) => {
  const result = parseDestination(input)
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.destination
}

const errorsOf = (input: unknown) => {
  const result = parseDestination(input)
  return result.ok ? [] : result.errors
}

/** An email address of exactly `length` characters, all in a plain local part. */
const emailOfLength = (length: number) =>
  `${'a'.repeat(length - '@example.com'.length)}@example.com`

/** A valid ABN and bank account, for tests that are about something else. */
const ABN = '51824753556'
const VALID_BANK = {
  type: 'bank',
  account_name: 'Mary Smith',
  bsb: '062000',
  account_number: '12345678',
}

describe('PayID destinations', () => {
  it.each([
    ['email', ' Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['mobile', '0412 345 678', '+61-412345678'],
    ['mobile', '+61 412 345 678', '+61-412345678'],
    ['mobile', '61412345678', '+61-412345678'],
    ['mobile', '+61-412-345-678', '+61-412345678'],
    ['mobile', '412 345 678', '+61-412345678'],
    ['abn', '51 824 753 556', ABN],
    ['org_id', ' Acme  Pty Ltd ', 'Acme Pty Ltd'],
    ['org_id', "O'Neil & Sons-Co.", "O'Neil & Sons-Co."],
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
    ['email', 'ja ne@example.com', 'email address'],
    ['email', 'jane@example.com.', 'email address'],
    ['email', 'jane@-example.com', 'email address'],
    ['email', 'jane@example-.com', 'email address'],
    ['mobile', '0212345678', 'Australian mobile'],
    ['mobile', '041234567', 'Australian mobile'],
    ['mobile', '04123456789', 'Australian mobile'],
    ['mobile', '+61 412 345 6789', 'Australian mobile'],
    ['mobile', '1 0412 345 678', 'Australian mobile'],
    ['abn', '1234567890', '11 digits'],
    ['abn', '518247535560', '11 digits'],
    ['abn', '151824753556', '11 digits'],
    ['abn', '51824753557', 'not a valid ABN'],
    ['org_id', 'A', 'organisation ID'],
    ['org_id', '-Acme', 'organisation ID'],
    ['org_id', 'Acme-', 'organisation ID'],
    ['org_id', 'Acme@Home', 'organisation ID'],
    ['email', 'jane\u200b@example.com', 'invisible'],
    ['org_id', 'Acme\u2060Pty', 'invisible'],
    ['mobile', '０４１２３４５６７８', 'full-width'],
    ['email', '', 'Enter your PayID'],
    ['abn', '   ', 'Enter your PayID'],
  ])('refuses %s %j', (payid_type, payid, message) => {
    const errors = errorsOf({ type: 'payid', payid_type, payid })
    expect(errors).toEqual([{ field: 'payid', message: expect.stringContaining(message) }])
  })

  it('refuses a PayID type it does not know, naming the type field', () => {
    expect(errorsOf({ type: 'payid', payid_type: 'fax', payid: 'x' })).toEqual([
      { field: 'payid_type', message: 'Choose email, mobile, ABN or organisation ID.' },
    ])
  })

  it('refuses a PayID that is not text', () => {
    expect(errorsOf({ type: 'payid', payid_type: 'mobile', payid: 412345678 })).toEqual([
      { field: 'payid', message: 'Must be text.' },
    ])
  })

  it('accepts an email of 254 characters and refuses one of 255', () => {
    const longest = emailOfLength(254)
    expect(ok({ type: 'payid', payid_type: 'email', payid: longest })).toMatchObject({
      payid: longest,
    })
    expect(errorsOf({ type: 'payid', payid_type: 'email', payid: emailOfLength(255) })).toEqual([
      { field: 'payid', message: 'Enter an email address like name@example.com.' },
    ])
  })

  it('refuses a PayID over 320 characters as sent, before trimming', () => {
    const padded = ` ${emailOfLength(254)}`.padEnd(320, ' ')
    expect(ok({ type: 'payid', payid_type: 'email', payid: padded })).toMatchObject({
      payid: emailOfLength(254),
    })
    expect(errorsOf({ type: 'payid', payid_type: 'email', payid: `${padded} ` })).toEqual([
      { field: 'payid', message: 'Must be at most 320 characters.' },
    ])
  })

  it.each([
    'jane@x.io',
    'jane@mail.example.com',
    'jane@example.com.au',
    'jane@x.y.com.au',
    "o'brien+cash_out@example.com",
    `jane@${'d'.repeat(63)}.com`,
    `jane@example.${'c'.repeat(63)}`,
  ])('accepts the email %s', (payid) => {
    expect(ok({ type: 'payid', payid_type: 'email', payid })).toMatchObject({ payid })
  })

  it.each([`jane@${'d'.repeat(64)}.com`, `jane@example.${'c'.repeat(64)}`])(
    'refuses a domain label over 63 characters: %s',
    (payid) => {
      expect(errorsOf({ type: 'payid', payid_type: 'email', payid })).toEqual([
        { field: 'payid', message: expect.stringContaining('email address') },
      ])
    },
  )

  it('accepts an organisation ID of 2 to 256 characters', () => {
    const longest = `A${'b'.repeat(254)}C`
    expect(ok({ type: 'payid', payid_type: 'org_id', payid: 'AB' })).toMatchObject({ payid: 'AB' })
    expect(ok({ type: 'payid', payid_type: 'org_id', payid: longest })).toMatchObject({
      payid: longest,
    })
    expect(errorsOf({ type: 'payid', payid_type: 'org_id', payid: `${longest}D` })).toEqual([
      { field: 'payid', message: expect.stringContaining('organisation ID') },
    ])
  })

  it('accepts every PayID type it documents', () => {
    const examples = { email: 'jane@example.com', mobile: '0412345678', abn: ABN, org_id: 'Acme' }
    for (const payid_type of PAYID_TYPES) {
      expect(ok({ type: 'payid', payid_type, payid: examples[payid_type] })).toMatchObject({
        type: 'payid',
        payid_type,
      })
    }
  })

  it('validates ABN check digits', () => {
    expect(abnValid(ABN)).toBe(true)
    expect(abnValid('53004085616')).toBe(true)
    expect(abnValid('12345678901')).toBe(false)
  })

  it.each([
    ['one digit too many', `${ABN}0`],
    ['a digit in front', `1${ABN}`],
    ['nothing', ''],
    ['spaces', '51 824 753 556'],
  ])('says an ABN with %s is not valid, even if its first 11 digits are', (_name, abn) => {
    expect(abnValid(abn)).toBe(false)
  })

  it('normalises mobiles or says no', () => {
    expect(normaliseMobile('(04) 1234 5678')).toBe('+61-412345678')
    expect(normaliseMobile('+44 7700 900123')).toBeUndefined()
    expect(normaliseMobile('0412 345 6789')).toBeUndefined()
    expect(normaliseMobile('90412345678')).toBeUndefined()
  })
})

describe('bank destinations', () => {
  const BANK = VALID_BANK

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

  it('drops surrounding white space, including a pasted byte-order mark, from every field', () => {
    expect(
      ok({
        type: 'bank',
        account_name: '\ufeffMary Smith ',
        bsb: '\ufeff062-000 ',
        account_number: ' 1234 5678\ufeff',
      }),
    ).toEqual({ ...BANK, account_name: 'Mary Smith' })
  })

  it.each([
    [{ bsb: '06200' }, 'bsb', '6 digits'],
    [{ bsb: '0620001' }, 'bsb', '6 digits'],
    [{ bsb: '062-00a' }, 'bsb', '6 digits'],
    [{ bsb: '   ' }, 'bsb', '6 digits'],
    [{ account_number: '123' }, 'account_number', '4 to 9 digits'],
    [{ account_number: '1234567890' }, 'account_number', '4 to 9 digits'],
    [{ account_number: '1234567a' }, 'account_number', '4 to 9 digits'],
    [{ account_name: 'Mary-Jane Smith' }, 'account_name', 'apostrophes only'],
    [{ account_name: '   ' }, 'account_name', 'Enter the name'],
    [{ account_name: 'Ｍａｒｙ' }, 'account_name', 'full-width'],
    [{ account_name: 'Mary\u200bSmith' }, 'account_name', 'invisible'],
    [{ bsb: '０６２０００' }, 'bsb', 'full-width'],
    [{ bsb: '062\u200b000' }, 'bsb', 'invisible'],
    [{ account_number: '1234\u200d5678' }, 'account_number', 'invisible'],
    [{ account_number: '１２３４５６７８' }, 'account_number', 'full-width'],
    [{ bsb: 62000 }, 'bsb', 'Must be text.'],
  ])('refuses %j with one message', (override, field, message) => {
    const errors = errorsOf({ ...BANK, ...override })
    expect(errors).toEqual([{ field, message: expect.stringContaining(message) }])
  })

  it.each([
    '4111 1111 1111 1111',
    '4111111111111111',
    '6392 1100 0000 0000 002',
    'Mary Smith 4111 1111 1111 1111',
    "4111 1111 1111 1111 O'Brien",
  ])('refuses a card number as the name on the account (%j), with one plain message', (name) => {
    expect(errorsOf({ ...BANK, account_name: name })).toEqual([
      { field: 'account_name', message: 'Enter the name on the account, not a card number.' },
    ])
  })

  it('keeps to the other rules first: a card number with dashes is refused for its dashes', () => {
    expect(errorsOf({ ...BANK, account_name: '4111-1111-1111-1111' })).toEqual([
      { field: 'account_name', message: expect.stringContaining('apostrophes only') },
    ])
  })

  it('accepts a name with digits that are no card: too few, or failing the check digit', () => {
    for (const name of ['Mary Smith 2', 'Unit 12 Trust 2026', '4111 1111 1111 1112']) {
      expect(ok({ ...BANK, account_name: name })).toMatchObject({ account_name: name })
    }
  })

  it('accepts account numbers of 4 and of 9 digits', () => {
    expect(ok({ ...BANK, account_number: '1234' })).toMatchObject({ account_number: '1234' })
    expect(ok({ ...BANK, account_number: '123-456-789' })).toMatchObject({
      account_number: '123456789',
    })
  })

  it('accepts an account name of 140 characters and refuses one of 141', () => {
    const longest = `Mary ${'a'.repeat(135)}`
    expect(ok({ ...BANK, account_name: longest })).toMatchObject({ account_name: longest })
    expect(errorsOf({ ...BANK, account_name: `${longest}a` })).toEqual([
      { field: 'account_name', message: 'Use at most 140 characters.' },
    ])
  })

  it('counts the 140 after collapsing spaces, and the 200 on the text as sent', () => {
    const spaced = `Mary${' '.repeat(192)}Lamb`
    expect(spaced).toHaveLength(200)
    expect(ok({ ...BANK, account_name: spaced })).toMatchObject({ account_name: 'Mary Lamb' })
    expect(errorsOf({ ...BANK, account_name: `${spaced} ` })).toEqual([
      { field: 'account_name', message: 'Must be at most 200 characters.' },
    ])
  })

  it.each([
    ['bsb', '062-000', 20],
    ['account_number', '1234-5678', 30],
  ])('accepts %s padded to its limit of %i characters, and refuses one more', (key, value, max) => {
    const padded = value.padEnd(max, ' ')
    expect(ok({ ...BANK, [key]: padded })).toMatchObject({ [key]: value.replace('-', '') })
    expect(errorsOf({ ...BANK, [key]: `${padded} ` })).toEqual([
      { field: key, message: `Must be at most ${max} characters.` },
    ])
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
  const BANK = VALID_BANK
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

  it.each([
    ['null', null],
    ['text', 'jane@example.com'],
    ['a list', [PAYID]],
  ])('refuses a body that is %s as a whole', (_name, input) => {
    expect(errorsOf(input)).toEqual([{ field: 'body', message: 'Choose PayID or bank account.' }])
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

  it('as a schema, reports its own checks as custom issues at the field', () => {
    const result = DestinationSchema.safeParse({ ...BANK, bsb: '0620001' })
    expect(result.error?.issues).toEqual([
      { code: 'custom', path: ['bsb'], message: 'A BSB has 6 digits, like 062-000.' },
    ])
    const payid = DestinationSchema.safeParse({ ...PAYID, payid: 'nope' })
    expect(payid.error?.issues).toEqual([
      {
        code: 'custom',
        path: ['payid'],
        message: 'Enter an email address like name@example.com.',
      },
    ])
  })

  it('as a schema, says what to enter for each missing field', () => {
    const messages = (input: unknown) =>
      DestinationSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message])
    expect(messages({ type: 'payid', payid_type: 'email' })).toEqual([
      ['payid', 'Enter your PayID.'],
    ])
    expect(messages({ type: 'bank' })).toEqual([
      ['account_name', 'Enter the name on the account.'],
      ['bsb', 'A BSB has 6 digits, like 062-000.'],
      ['account_number', 'An account number has 4 to 9 digits.'],
    ])
  })
})

describe('the OpenAPI description', () => {
  type Property = { description?: string; example?: unknown }
  type Branch = { properties: Record<string, Property> }
  /** Built inside each test, so a schema the generator cannot document fails a test. */
  const documented = () => {
    const app = new OpenAPIHono()
    app.openapi(
      createRoute({
        method: 'post',
        path: '/destination',
        request: { body: { content: { 'application/json': { schema: DestinationSchema } } } },
        responses: { 204: { description: 'Accepted.' } },
      }),
      (c) => c.body(null, 204),
    )
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } })
    const schemas = doc.components?.schemas as Record<string, unknown> | undefined
    const schema = schemas?.Destination as { description?: string } | undefined
    if (!schema) throw new Error('no Destination component in the document')
    // Each kind is its own component, which the union refers to by name.
    const payid = schemas?.PayIdDestination as Branch
    const bank = schemas?.BankDestination as Branch
    return {
      description: schema.description,
      payid: payid.properties,
      bank: bank.properties,
      schemas: schemas as Record<string, { description?: string; discriminator?: unknown }>,
    }
  }
  /** The `code` spans of a description: the values and names it promises. */
  const quoted = (text = '') => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1])

  it('lets a client pick the kind by `type`, each kind named and described', () => {
    const { schemas } = documented()
    expect(schemas.Destination?.discriminator).toEqual({
      propertyName: 'type',
      mapping: {
        payid: '#/components/schemas/PayIdDestination',
        bank: '#/components/schemas/BankDestination',
      },
    })
    expect(schemas.PayIdDestination?.description).toMatch(/^A PayID: an email/)
    expect(schemas.BankDestination?.description).toMatch(/^An Australian bank account/)
  })

  it('names each kind and its fields, as the two branches have them', () => {
    const { description, payid, bank } = documented()
    expect(quoted(description)).toEqual([...Object.keys(payid), ...Object.keys(bank)])
  })

  it('lists exactly the PayID types the parser takes', () => {
    expect(quoted(documented().payid.payid_type?.description)).toEqual([...PAYID_TYPES])
  })

  it('describes every field but the kind', () => {
    const { payid, bank } = documented()
    for (const [key, property] of [...Object.entries(payid), ...Object.entries(bank)]) {
      if (key !== 'type') expect(property.description, key).toMatch(/\w/)
    }
  })

  it('gives examples the parser accepts as they are', () => {
    const { payid, bank } = documented()
    const email = payid.payid?.example
    expect(ok({ type: 'payid', payid_type: 'email', payid: email })).toMatchObject({
      payid: email,
    })
    const account = {
      account_name: bank.account_name?.example,
      bsb: bank.bsb?.example,
      account_number: bank.account_number?.example,
    }
    expect(ok({ type: 'bank', ...account })).toMatchObject({
      account_name: account.account_name,
      account_number: account.account_number,
    })
  })

  it('accepts both BSB forms it promises', () => {
    const forms = quoted(documented().bank.bsb?.description)
    expect(forms).toHaveLength(2)
    for (const bsb of forms) {
      expect(ok({ ...VALID_BANK, bsb })).toMatchObject({ bsb: '062000' })
    }
  })
})

describe('masking', () => {
  const bank = (account_number: string): Destination => ({
    type: 'bank',
    account_name: 'Mary Smith',
    bsb: '062000',
    account_number,
  })

  it.each([
    ['123456789', '••••6789'],
    ['12345678', '••••5678'],
    ['123456', '••••3456'],
    ['12345', '••••45'],
    ['1234', '••••34'],
  ])('shows the account %s as %s: the last 4 digits from 6 up, else the last 2', (n, masked) => {
    expect(maskDestination(bank(n))).toEqual({
      type: 'bank',
      account_name: 'Mary Smith',
      bsb: '062-000',
      account_number: masked,
    })
  })

  it.each([
    ['email', 'jane@example.com', 'j•••@example.com'],
    ['mobile', '+61-412345678', '+61-4••••5678'],
    ['abn', ABN, '••••••••556'],
    ['org_id', 'Acme Pty Ltd', 'Ac••••'],
  ] as const)('masks the %s PayID %s as %s', (payid_type, payid, masked) => {
    expect(maskDestination({ type: 'payid', payid_type, payid })).toEqual({
      type: 'payid',
      payid_type,
      payid: masked,
    })
  })

  it('shows no more than the first character of an email stored without a domain', () => {
    expect(maskDestination({ type: 'payid', payid_type: 'email', payid: 'jane' })).toEqual({
      type: 'payid',
      payid_type: 'email',
      payid: 'j•••@',
    })
  })
})

describe('describing a destination for review', () => {
  it('shows a bank account in full, with the BSB formatted', () => {
    expect(
      describeDestination({
        type: 'bank',
        account_name: 'Mary Smith',
        bsb: '062000',
        account_number: '12345678',
      }),
    ).toBe('Mary Smith, BSB 062-000, account 12345678')
  })

  it('shows a PayID as normalised', () => {
    expect(
      describeDestination(ok({ type: 'payid', payid_type: 'mobile', payid: '0412345678' })),
    ).toBe('+61-412345678')
  })

  it('formats a BSB as three digits, a dash, three digits', () => {
    expect(formatBsb('062000')).toBe('062-000')
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
