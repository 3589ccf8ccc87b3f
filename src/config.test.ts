import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config.ts'

function problemsOf(record: Record<string, string>): string[] {
  try {
    parseConfig(record)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      database: { kind: 'pglite', dataDir: './data' },
      logLevel: 'info',
      operatorToken: undefined,
    })
  })

  it('derives PUBLIC_URL from PORT when it is not set', () => {
    expect(parseConfig({ PORT: '3001' }).publicUrl).toBe('http://localhost:3001')
  })

  const KEY = 'A'.repeat(43)
  const keys = {
    ENCRYPTION_KEYS: `k1:${KEY}`,
    HMAC_KEY: KEY,
    RAIL: 'sandbox',
    REGISTRATION_OPEN: 'true',
  }

  it('chooses Postgres when DATABASE_URL is set', () => {
    const config = parseConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/cashout', ...keys })
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:p@db:5432/cashout',
      poolMax: 10,
    })
    expect(config.allowLoopbackEndpoints).toBe(false)
  })

  it('requires shared keys with Postgres, and allows loopback endpoints only when embedded', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://db/x', RAIL: 'sandbox' }).join()).toContain(
      'required with DATABASE_URL',
    )
    expect(parseConfig({}).allowLoopbackEndpoints).toBe(true)
    expect(parseConfig({ ALLOW_LOOPBACK_ENDPOINTS: 'false' }).allowLoopbackEndpoints).toBe(false)
  })

  describe('where it listens, and loopback webhook endpoints', () => {
    const postgres = { DATABASE_URL: 'postgres://db/x', ...keys }

    it('listens on loopback when embedded, and only then allows loopback endpoints', () => {
      expect(parseConfig({})).toMatchObject({ host: '127.0.0.1', allowLoopbackEndpoints: true })
      for (const host of ['localhost', '::1', '127.0.0.2']) {
        expect(parseConfig({ HOST: host }).allowLoopbackEndpoints).toBe(true)
      }
    })

    it('exposed embedded (HOST=0.0.0.0) refuses loopback endpoints, so no demo by default', () => {
      const config = parseConfig({ HOST: '0.0.0.0' })
      expect(config).toMatchObject({ host: '0.0.0.0', allowLoopbackEndpoints: false, demo: false })
      expect(parseConfig({ HOST: '192.168.1.5' }).allowLoopbackEndpoints).toBe(false)
    })

    it.each([[{ HOST: '0.0.0.0' }], [{ HOST: '::' }], [{ HOST: '10.0.0.4', ...postgres }]])(
      'refuses loopback endpoints asked for while listening beyond loopback %#',
      (env) => {
        const problems = problemsOf({ ...env, ALLOW_LOOPBACK_ENDPOINTS: 'true' })
        expect(problems).toEqual([
          expect.stringMatching(/^ALLOW_LOOPBACK_ENDPOINTS and HOST: .*loopback/),
        ])
        expect(problems[0]).toContain(env.HOST)
      },
    )

    it('refuses the demo while listening beyond loopback, naming HOST', () => {
      expect(problemsOf({ HOST: '0.0.0.0', DEMO: 'true' })).toEqual([
        expect.stringMatching(/^DEMO: .*HOST=0\.0\.0\.0/),
      ])
    })

    it('keeps the Postgres defaults: all interfaces, no loopback endpoints unless asked', () => {
      expect(parseConfig(postgres)).toMatchObject({
        host: '0.0.0.0',
        allowLoopbackEndpoints: false,
      })
      // Asked for on purpose with HOST unset (a Worker has no HOST; local rehearsals use it): a
      // Node listener then stays on loopback, or anyone on the network could map local ports.
      expect(parseConfig({ ...postgres, ALLOW_LOOPBACK_ENDPOINTS: 'true' })).toMatchObject({
        host: '127.0.0.1',
        allowLoopbackEndpoints: true,
      })
      expect(
        parseConfig({ ...postgres, HOST: '127.0.0.1', ALLOW_LOOPBACK_ENDPOINTS: 'true' })
          .allowLoopbackEndpoints,
      ).toBe(true)
      expect(parseConfig({ ...postgres, HOST: '127.0.0.1' }).allowLoopbackEndpoints).toBe(false)
    })
  })

  describe('who may register', () => {
    const { REGISTRATION_OPEN: _, ...shared } = { DATABASE_URL: 'postgres://db/x', ...keys }
    const TOKEN = 'registration-token-0123456789'

    it('keeps the embedded default open, and closes it with REGISTRATION_TOKEN', () => {
      expect(parseConfig({})).toMatchObject({
        registrationOpen: true,
        registrationToken: undefined,
      })
      expect(parseConfig({ REGISTRATION_TOKEN: TOKEN })).toMatchObject({
        registrationOpen: false,
        registrationToken: TOKEN,
      })
    })

    it('refuses to start a shared deployment open unless REGISTRATION_OPEN=true says so on purpose', () => {
      const problems = problemsOf(shared)
      expect(problems).toEqual([
        expect.stringMatching(
          /^REGISTRATION_TOKEN or REGISTRATION_OPEN: required with DATABASE_URL/,
        ),
      ])
      // Why, in the operator's words: anyone could register and make Cashout send requests.
      expect(problems[0]).toMatch(/anyone .*register/i)
      expect(problems[0]).toMatch(/outbound|requests/i)
      expect(problems[0]).toContain('REGISTRATION_OPEN=true')
    })

    it('starts a shared deployment closed with a token, or open when asked', () => {
      expect(parseConfig({ ...shared, REGISTRATION_TOKEN: TOKEN })).toMatchObject({
        registrationOpen: false,
        registrationToken: TOKEN,
      })
      expect(parseConfig({ ...shared, REGISTRATION_OPEN: 'true' }).registrationOpen).toBe(true)
      // Open, with a token for the operator's own tooling (never rate limited).
      expect(
        parseConfig({ ...shared, REGISTRATION_OPEN: 'true', REGISTRATION_TOKEN: TOKEN }),
      ).toMatchObject({ registrationOpen: true, registrationToken: TOKEN })
    })

    it('refuses registration closed to everyone, and a value that is not a boolean', () => {
      expect(problemsOf({ REGISTRATION_OPEN: 'false' })).toEqual([
        expect.stringMatching(/^REGISTRATION_OPEN: false needs REGISTRATION_TOKEN/),
      ])
      expect(problemsOf({ ...shared, REGISTRATION_OPEN: 'yes' })).toEqual([
        'REGISTRATION_OPEN: must be true or false',
      ])
    })
  })

  it('gives each provider a budget of on-demand sends, 20 per 10 minutes unless set', () => {
    expect(parseConfig({}).webhookSendBudget).toBe(20)
    expect(parseConfig({ WEBHOOK_SEND_BUDGET: '500' }).webhookSendBudget).toBe(500)
    expect(problemsOf({ WEBHOOK_SEND_BUDGET: '0' })).toEqual([
      'WEBHOOK_SEND_BUDGET: must be between 1 and 100000',
    ])
  })

  it('reads a keyring: the first encryption key is current, every key decrypts', () => {
    const second = 'B'.repeat(43)
    const config = parseConfig({ ENCRYPTION_KEYS: `new:${second}, old:${KEY}`, HMAC_KEY: KEY })

    expect(config.keys?.encryption.map((k) => k.kid)).toEqual(['new', 'old'])
    expect(config.keys?.encryption[0]?.key).toHaveLength(32)
    expect(config.keys?.hmac).toHaveLength(32)
  })

  it.each([
    [{ ENCRYPTION_KEYS: `k1:${KEY}` }, 'set both or neither'],
    [{ ENCRYPTION_KEYS: 'k1:short', HMAC_KEY: KEY }, '32 bytes in base64url'],
    [{ ENCRYPTION_KEYS: `k1:${KEY},k1:${KEY}`, HMAC_KEY: KEY }, 'unique'],
    [{ ...keys, HMAC_KEY: 'x' }, '32 bytes'],
  ])('refuses a bad keyring %#', (env, message) => {
    expect(problemsOf(env).join()).toContain(message)
  })

  it('readies a demo provider only by default when embedded on the sandbox, or when asked', () => {
    expect(parseConfig({}).demo).toBe(true)
    expect(parseConfig({ DEMO: 'false' }).demo).toBe(false)
    expect(parseConfig({ DATABASE_URL: 'postgres://db/x', ...keys }).demo).toBe(false)
    expect(parseConfig({ ALLOW_LOOPBACK_ENDPOINTS: 'false' }).demo).toBe(false)
    const postgres = { DATABASE_URL: 'postgres://db/x', ...keys }
    expect(parseConfig({ ...postgres, DEMO: 'true', ALLOW_LOOPBACK_ENDPOINTS: 'true' }).demo).toBe(
      true,
    )
    expect(problemsOf({ ...postgres, DEMO: 'true' }).join()).toContain(
      'DEMO: needs ALLOW_LOOPBACK_ENDPOINTS=true',
    )
    expect(
      parseConfig({
        RAIL: 'hello-clever',
        HELLO_CLEVER_APP_ID: 'a',
        HELLO_CLEVER_SECRET_KEY: 'b',
        PUBLIC_URL: 'https://cashout.example.com',
      }).demo,
    ).toBe(false)
  })

  describe('rails', () => {
    const live = {
      RAIL: 'hello-clever',
      HELLO_CLEVER_APP_ID: 'app',
      HELLO_CLEVER_SECRET_KEY: 'secret',
      PUBLIC_URL: 'https://cashout.example.com',
    }

    it('pays test mode through the in-process sandbox, with no live rail, by default', () => {
      const config = parseConfig({})
      expect(config.testRail).toMatchObject({ baseUrl: undefined, appId: 'sandbox-app-id' })
      expect(config.liveRail).toBeUndefined()
      expect(config.helloCleverApi).toBe('withdraw')
      expect(config.confirmationAlertMs).toBe(20 * 60_000)
    })

    it('with RAIL=hello-clever, live mode pays through Hello Clever and test mode still through the sandbox', () => {
      const config = parseConfig({ ...live, HELLO_CLEVER_API: 'payouts_v1' })
      expect(config.liveRail).toEqual({
        baseUrl: 'https://api.cleverhub.co/api',
        appId: 'app',
        secretKey: 'secret',
      })
      expect(config.testRail.baseUrl).toBeUndefined()
      expect(config.helloCleverApi).toBe('payouts_v1')
      expect(config.callbackBaseUrl).toBe('https://cashout.example.com')
    })

    it('refuses a shared database that does not say which rail it means', () => {
      const problems = problemsOf({ DATABASE_URL: 'postgres://db/x', ...keys, RAIL: '' })
      expect(problems).toEqual([
        expect.stringMatching(/^RAIL: required with DATABASE_URL: sandbox/),
      ])
    })

    it('refuses Hello Clever settings where no live rail is configured', () => {
      const problems = problemsOf({
        HELLO_CLEVER_APP_ID: 'app',
        HELLO_CLEVER_BASE_URL: 'https://x.test',
      })
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'HELLO_CLEVER_APP_ID',
        'HELLO_CLEVER_BASE_URL',
      ])
      expect(problems[0]).toContain('SANDBOX_URL')
    })

    it('names every problem of a live rail that could never work', () => {
      const problems = problemsOf({
        RAIL: 'hello-clever',
        CALLBACK_BASE_URL: 'http://cashout.internal',
      })
      expect(problems).toEqual([
        'HELLO_CLEVER_APP_ID and HELLO_CLEVER_SECRET_KEY: required when RAIL is hello-clever',
        expect.stringMatching(/^PUBLIC_URL: required when RAIL is hello-clever/),
        expect.stringMatching(
          /^CALLBACK_BASE_URL: must be https when RAIL is hello-clever: .*http:\/\/cashout\.internal\/rail\/… would never be called$/,
        ),
      ])
    })

    it('refuses a plain-http PUBLIC_URL for callbacks, unless the live rail is on this machine', () => {
      const http = { ...live, PUBLIC_URL: 'http://localhost:8080' }
      expect(problemsOf(http)).toEqual([expect.stringMatching(/^PUBLIC_URL: must be https/)])
      const rehearsal = parseConfig({ ...http, HELLO_CLEVER_BASE_URL: 'http://127.0.0.1:4010/api' })
      expect(rehearsal.liveRail?.baseUrl).toBe('http://127.0.0.1:4010/api')
      expect(
        parseConfig({ ...live, CALLBACK_BASE_URL: 'https://hooks.example.com' }).callbackBaseUrl,
      ).toBe('https://hooks.example.com')
    })

    it.each([
      [{ HELLO_CLEVER_API: 'v2' }, 'HELLO_CLEVER_API: must be withdraw or payouts_v1'],
      [{ RAIL: 'stripe' }, 'RAIL: must be sandbox or hello-clever'],
      [
        { RAIL_CONFIRMATION_ALERT_MINUTES: '0' },
        'RAIL_CONFIRMATION_ALERT_MINUTES: must be between 1 and 1440',
      ],
      [{ SANDBOX_URL: 'ftp://sandbox' }, 'SANDBOX_URL: must be an http or https URL'],
    ])('refuses %j', (env, message) => {
      expect(problemsOf(env)).toEqual([message])
    })
  })

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://pay.example.com/' }).publicUrl).toBe(
      'https://pay.example.com',
    )
  })

  it('treats empty and blank values as unset', () => {
    const config = parseConfig({ DATABASE_URL: '', PORT: '  ', LOG_LEVEL: '' })
    expect(config.database.kind).toBe('pglite')
    expect(config.port).toBe(8080)
  })

  it('ignores variables it does not know', () => {
    expect(() => parseConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow()
  })

  it('names every problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://files.example.com',
      DATABASE_URL: 'mysql://localhost/x',
      LOG_LEVEL: 'loud',
      OPERATOR_TOKEN: 'short',
      DATABASE_POOL_MAX: '0',
    })
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      [
        'DATABASE_POOL_MAX',
        'DATABASE_URL',
        'LOG_LEVEL',
        'OPERATOR_TOKEN',
        'PORT',
        'PUBLIC_URL',
      ].sort(),
    )
  })

  it.each([
    ['0', 'between 1 and 65535'],
    ['65536', 'between 1 and 65535'],
    ['80.5', 'whole number'],
    ['-1', 'whole number'],
  ])('refuses PORT=%s', (port, message) => {
    expect(problemsOf({ PORT: port }).join()).toContain(message)
  })

  it('puts every problem into one readable message', () => {
    expect(() => parseConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(
      /Invalid configuration:\n {2}- PORT: .*\n {2}- LOG_LEVEL: /,
    )
  })
})
