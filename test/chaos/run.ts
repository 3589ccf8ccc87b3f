import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { base64url } from 'jose'
import pg from 'pg'
import { BenchSetupError, createBenchDatabase } from '../../src/bench/postgres.ts'
import { freePort, runMigrations, type Service, startService } from '../../src/bench/processes.ts'
import { randomBytes } from '../../src/crypto/bytes.ts'
import { testCardNumber } from '../../src/demo/test-card.ts'
import { SEND_BUDGET_WINDOW_MS } from '../../src/webhooks/budget.ts'
import { WEBHOOK_TIMEOUT_MS } from '../../src/webhooks/transport.ts'
import {
  abuserRefused,
  answeredSendTimes,
  attemptsByProvider,
  type Check,
  causeOfWait,
  claimStates,
  cleanClientSide,
  type FirstSend,
  firstSends,
  ledgerBalances,
  noCardSecrets,
  nothingWaitedOnOthers,
  oneRailPayoutPerSettledClaim,
  oneSettledWebhookPerSettledClaim,
  percentile,
  tarpitTimedOut,
  waitsByProvider,
  webhooksKeepPace,
} from './checks.ts'
import { type ChaosProvider, claimDriver, type DriverStats, planClaims } from './driver.ts'
import { cashoutFleet, type Fleet } from './fleet.ts'
import { runFuzzer } from './fuzz/fuzzer.ts'
import { snapshot } from './fuzz/snapshot.ts'
import { abuse, startSink, startTarpit, steadyClaims, type Tarpit } from './hostile.ts'
import { playOperator, railPayouts } from './operator.ts'
import { startProxy } from './proxy.ts'
import { type Random, seeded } from './random.ts'
import { type ChaosReceiver, type ReceiverMode, startChaosReceiver } from './receiver.ts'

const SANDBOX_HEADERS = { 'app-id': 'sandbox-app-id', 'secret-key': 'sandbox-secret-key' }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const key = () => base64url.encode(randomBytes(32))
/** WEBHOOK_SEND_BUDGET while the faults run: Cashout's default, 20 per provider per 10 minutes. */
const SEND_BUDGET = 20
// Bounds on the normal providers' webhooks (see webhooksKeepPace and nothingWaitedOnOthers).
// Measured at CI sizes, seeds 1, 2, 3 and 7 on both APIs, on a two-core machine busy with other
// work: of the claim.settled first sends clear of the run's faults, each provider's p95 was
// 0.1–0.8 s without the hostile providers and 0.0–0.8 s with them (max 1.0 s); sends their
// endpoint answered took at most 1.0 s either way. The bounds leave twice that and more for a
// busier machine, and stay well under the 15 s that waiting behind the tarpit would cost.
const SETTLED_P95_MS = 2000
const LATE_MS = 5000
const ANSWERED_MS = 5000
/** How far past its timeout a send to the tarpit may end: timers and a busy event loop. */
const TIMEOUT_SLACK_MS = 5000
/** How long a webhook worker's lease lasts (LEASE_MS in src/webhooks/worker.ts). */
const WEBHOOK_LEASE_MS = 60_000

interface Options {
  seed: number
  claims: number
  concurrency: number
  fuzzRequests: number
  adminUrl: string
  /** Which of Hello Clever's APIs Cashout pays through: CHAOS_API, withdraw by default. */
  api: 'withdraw' | 'payouts_v1'
  /** The tarpit and the abuser beside the others: CHAOS_HOSTILE=0 leaves them out, to compare. */
  hostile: boolean
}

function options(): Options {
  const env = process.env
  const seed = Number(env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31))
  return {
    seed,
    claims: Number(env.CHAOS_CLAIMS ?? 2000),
    concurrency: Number(env.CHAOS_CONCURRENCY ?? 24),
    fuzzRequests: Number(env.CHAOS_FUZZ ?? 100_000),
    api: env.CHAOS_API === 'payouts_v1' ? 'payouts_v1' : 'withdraw',
    hostile: env.CHAOS_HOSTILE !== '0',
    adminUrl:
      env.CHAOS_DATABASE_URL ??
      env.TEST_DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres',
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`)

/**
 * `npm run test:chaos`: thousands of seeded claims through a balancer to Cashout processes that
 * are killed and restarted, beside a second process for part of the run, paying through the
 * standalone sandbox with its faults, to a webhook receiver that fails, stalls and drops; then
 * the invariants, and a fuzzer that must draw no 5xx.
 */
async function main() {
  const opts = options()
  const run = `${opts.seed}-${Date.now().toString(36)}`
  const out = join('test-output', 'chaos', run)
  mkdirSync(out, { recursive: true })
  say(
    `chaos seed ${opts.seed} on ${opts.api}: replay with CHAOS_SEED=${opts.seed} CHAOS_API=${opts.api} CHAOS_CLAIMS=${opts.claims} CHAOS_FUZZ=${opts.fuzzRequests} npm run test:chaos`,
  )
  const started = Date.now()
  const database = await createBenchDatabase(opts.adminUrl, {
    name: 'test:chaos',
    variable: 'CHAOS_DATABASE_URL',
  })
  const db = new pg.Client({ connectionString: database.url })
  const cleanups: (() => Promise<unknown>)[] = []
  let checks: Check[] = []
  try {
    const secrets = {
      ENCRYPTION_KEYS: `chaos:${key()}`,
      HMAC_KEY: key(),
      OPERATOR_TOKEN: key(),
      // Not a secret, but migrate reads it too. Registration stays open (the fuzzer tries it
      // within the per-address limit).
      REGISTRATION_OPEN: 'true',
    }
    // The budget of on-demand sends is one number for every provider, counted per process.
    // While the faults run it is the real one, so the abuser meets the limit a provider would;
    // the normal providers spend none of it then. settle() replays every delivery the outage
    // left waiting, as a provider would, which takes far more than that: it runs on a process
    // started afresh with a budget to match, once the abuser has stopped.
    let phase: 'faults' | 'settle' = 'faults'
    await runMigrations(database.url, secrets)
    await db.connect()

    const sandbox = await startSandbox(out)
    cleanups.push(() => sandbox.stop())
    const webhookSecrets = new Map<string, string>()
    const receiver = await startChaosReceiver(webhookSecrets)
    cleanups.push(() => receiver.close())
    let proxyUrl = ''
    const fleet = await cashoutFleet({
      slots: 2,
      logFile: (slot) => join(out, `cashout-${slot}.log`),
      env: (port) => ({
        ...secrets,
        DATABASE_URL: database.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: proxyUrl,
        CALLBACK_BASE_URL: proxyUrl,
        TRUST_PROXY: 'true',
        RAIL: 'sandbox',
        SANDBOX_URL: `${sandbox.url}/api`,
        HELLO_CLEVER_API: opts.api,
        // Callbacks retry 3 times 15 minutes apart, i.e. 27 s at the sandbox's 1/100 time.
        RAIL_CONFIRMATION_ALERT_MINUTES: '1',
        RAIL_TIMEOUT_MS: '100',
        ALLOW_LOOPBACK_ENDPOINTS: 'true',
        SWEEP_INTERVAL_MS: '1000',
        SHUTDOWN_GRACE_MS: '500',
        WEBHOOK_SEND_BUDGET: phase === 'faults' ? String(SEND_BUDGET) : '100000',
        LOG_LEVEL: 'info',
      }),
    })
    cleanups.push(() => fleet.stopAll())
    const proxy = await startProxy(() => fleet.live())
    proxyUrl = proxy.url
    cleanups.push(() => proxy.close())
    await fleet.start(0)

    const setup = seeded(opts.seed)
    const { providers, pans, ipins } = await registerProviders(
      proxy.url,
      secrets.OPERATOR_TOKEN,
      setup,
      opts.claims,
      webhookSecrets,
      receiver.url,
    )
    const plans = planClaims(setup, opts.claims, providers.length, run)
    say(
      `${providers.length} providers, ${plans.length} claims planned; Cashout behind ${proxy.url}`,
    )
    const hostile = opts.hostile
      ? await hostileProviders(
          proxy.url,
          secrets.OPERATOR_TOKEN,
          seeded(opts.seed + 4),
          opts.claims,
        )
      : undefined
    if (hostile) {
      cleanups.push(() => hostile.close())
      say(
        `beside them ${hostile.tarpit.name}, whose endpoint never answers, and ${hostile.abuser.name}, which hammers test sends and replays`,
      )
    }

    const stats: DriverStats = {
      generated: 0,
      insufficientFloat: 0,
      unexpected: [],
      replayMismatches: 0,
      retries: 0,
    }
    const play = claimDriver(proxy.url, providers, stats)
    let done = 0
    let finished = false
    const faults = { receiverModes: {} as Record<string, number>, secondStarted: false }
    const stalls: [number, number][] = []
    const span = { from: Date.now(), to: 0, starts: 0 }
    const hostileRun = hostile
      ? Promise.all([
          abuse({
            baseUrl: proxy.url,
            key: hostile.abuser.key,
            random: seeded(opts.seed + 5),
            finished: () => finished,
          }),
          steadyClaims({
            play: claimDriver(proxy.url, [hostile.tarpit], stats),
            random: seeded(opts.seed + 6),
            run,
            finished: () => finished,
            max: Math.ceil(opts.claims / 10),
          }),
        ])
      : undefined
    const chaos = Promise.all([
      killLoop(
        fleet,
        seeded(opts.seed + 1),
        () => finished,
        () => done / plans.length,
        faults,
      ),
      receiverLoop(receiver, seeded(opts.seed + 2), () => finished, faults.receiverModes, stalls),
      progressLoop(
        () => finished,
        () => `${done}/${plans.length} claims played, ${fleet.stats().kills} kills`,
      ),
    ])
    let next = 0
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < plans.length) {
          const index = next++
          await play(plans[index] as (typeof plans)[number], index)
          done++
        }
      }),
    )
    finished = true
    span.to = Date.now()
    await chaos
    const [abused, tarpitClaims] = (await hostileRun) ?? []
    // Every process the abuser may have reached, each with a budget of its own.
    span.starts = fleet.stats().starts
    say(`played ${plans.length} claims in ${Math.round((Date.now() - started) / 1000)} s; settling`)

    receiver.setMode('ok')
    phase = 'settle'
    await Promise.all([fleet.stop(0), fleet.stop(1)])
    await fleet.start(0)
    const operator = playOperator(proxy.url, secrets.OPERATOR_TOKEN, sandbox.url)
    const settled = await settle(db, proxy.url, providers, operator)
    say(`settled: ${settled}`)
    if (hostile) {
      // When kills came faster than the tarpit's 15 s timeout, every send to it so far was cut
      // short with its process, and no timeout has been seen yet: with the kills over, the next
      // lease ends within its 60 s, and the send after it times out.
      const waited = await firstTarpitAttempt(
        db,
        hostile.tarpit.name,
        WEBHOOK_LEASE_MS + WEBHOOK_TIMEOUT_MS + TIMEOUT_SLACK_MS,
      )
      if (waited >= 1000)
        say(`waited ${Math.round(waited / 1000)} s for the tarpit's first timeout`)
    }

    const query = async (text: string) => (await db.query<{ rows: unknown }>(text)).rows
    // The tarpit's deliveries go on timing out and retrying by themselves meanwhile.
    const background = hostile ? [hostile.tarpit.name] : []
    const before = await snapshot(query, background)
    const fuzz = await runFuzzer({
      baseUrl: fleet.url(0),
      apiKey: (providers[0] as ChaosProvider).key,
      providerName: (providers[0] as ChaosProvider).name,
      operatorToken: secrets.OPERATOR_TOKEN,
      claimIds: (await db.query<{ id: string }>('select id from claims limit 5')).rows.map(
        (r) => r.id,
      ),
      requests: opts.fuzzRequests,
      concurrency: 32,
      random: seeded(opts.seed + 3),
    })
    const after = await snapshot(query, background)

    const withdrawals = await railPayouts(db, sandbox.url)
    // Read while the settling process still runs: a lease held past its end is one it holds.
    const normal = providers.map((p) => p.name)
    const sends = await firstSends(db, normal, span.from, span.to)
    const answered = await answeredSendTimes(db, normal, span.from, span.to)
    const causes = {
      downs: fleet.downs(),
      gaps: fleet.gaps(),
      stalls,
      attempts: await attemptsByProvider(db, normal, span.from - 60_000),
    }
    const cause = (send: FirstSend) =>
      causeOfWait(send, causes, { lateMs: LATE_MS, leaseMs: WEBHOOK_LEASE_MS })
    // Every first send with its cause, for a failure of the checks below to be read from.
    writeFileSync(
      join(out, 'webhook-waits.json'),
      JSON.stringify({
        span,
        causes: { ...causes, attempts: Object.fromEntries(causes.attempts) },
        sends: sends.map((s) => ({ ...s, cause: cause(s) })),
      }),
    )
    const tarpitSeen = hostile?.tarpitServer.stats()
    const hostileChecks =
      hostile && abused && tarpitSeen
        ? [
            abuserRefused(
              abused,
              {
                budget: SEND_BUDGET,
                processes: span.starts,
                windowSeconds: SEND_BUDGET_WINDOW_MS / 1000,
              },
              hostile.sink.received(),
            ),
            await tarpitTimedOut(db, { name: hostile.tarpit.name, ...tarpitSeen }, fleet.pids(), {
              timeoutMs: WEBHOOK_TIMEOUT_MS,
              slackMs: TIMEOUT_SLACK_MS,
            }),
          ]
        : []
    // Read; now the held sends may end, so the processes stop without waiting them out.
    await hostile?.tarpitServer.close()
    await fleet.stopAll()
    checks = [
      await claimStates(db),
      await oneRailPayoutPerSettledClaim(db, withdrawals),
      await oneSettledWebhookPerSettledClaim(db, receiver.accepted, receiver.invalid(), normal),
      await ledgerBalances(db),
      await noCardSecrets(
        db,
        {
          pans: [...pans, ...(hostile?.pans ?? []), ...fuzz.cards],
          ipins: [...ipins, ...(hostile?.ipins ?? [])],
        },
        [join(out, 'cashout-0.log'), join(out, 'cashout-1.log'), join(out, 'sandbox.log')],
      ),
      cleanClientSide(stats),
      {
        name: `the fuzzer's ${fuzz.sent} hostile requests drew no 5xx and broke no contract`,
        ok:
          fuzz.serverErrors.length === 0 &&
          fuzz.contractBreaks.length === 0 &&
          fuzz.networkErrors === 0,
        detail: `${JSON.stringify(fuzz.byStatus)}${fuzz.networkErrors ? `; ${fuzz.networkErrors} network errors` : ''}${fuzz.serverErrors.length ? `; 5xx: ${JSON.stringify(fuzz.serverErrors.slice(0, 3))}` : ''}${fuzz.contractBreaks.length ? `; broken: ${JSON.stringify(fuzz.contractBreaks.slice(0, 3))}` : ''}`,
      },
      {
        name: 'the fuzzer changed nothing stored',
        ok: before === after,
        detail: before === after ? 'every table unchanged' : 'stored data changed during fuzzing',
      },
      webhooksKeepPace(sends, normal, cause, SETTLED_P95_MS),
      nothingWaitedOnOthers(sends, answered, cause, { lateMs: LATE_MS, answeredMs: ANSWERED_MS }),
      ...hostileChecks,
    ]
    const report = {
      seed: opts.seed,
      claims: opts.claims,
      seconds: Math.round((Date.now() - started) / 1000),
      api: opts.api,
      operator_resolutions: operator.resolved,
      faults: {
        kills: fleet.stats().kills,
        starts: fleet.stats().starts,
        two_instances: faults.secondStarted,
        balancer_refusals: proxy.refused(),
        receiver_modes: faults.receiverModes,
        receiver_refusals: receiver.refused(),
        client_retries: stats.retries,
        outcomes: countBy(plans.map((p) => p.outcome)),
        actions: countBy(plans.map((p) => p.action)),
      },
      webhook_waits_ms: waitsByProvider(sends, normal, 'claim.settled', cause),
      hostile:
        hostile && tarpitSeen
          ? {
              tarpit_claims: tarpitClaims,
              tarpit: summariseTarpit(tarpitSeen),
              abuser: { ...abused, serverErrors: abused?.serverErrors.length ?? 0 },
              abuser_endpoint_received: hostile.sink.received(),
            }
          : 'left out (CHAOS_HOSTILE=0)',
      checks,
    }
    writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
    say('')
    say(`faults: ${JSON.stringify(report.faults)}`)
    say(`hostile: ${JSON.stringify(report.hostile)}`)
    for (const check of checks)
      say(`${check.ok ? 'PASS' : 'FAIL'}  ${check.name}\n      ${check.detail}`)
    say(
      `\n${checks.every((c) => c.ok) ? 'all invariants hold' : 'INVARIANTS BROKEN'} — seed ${opts.seed}, ${report.seconds} s, logs in ${out}`,
    )
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
    await db.end().catch(() => {})
    await database.drop()
  }
  process.exit(checks.length > 0 && checks.every((c) => c.ok) ? 0 : 1)
}

async function startSandbox(out: string): Promise<Service> {
  const port = await freePort()
  return startService({
    script: ['dist/bin/sandbox.mjs'],
    port,
    env: {
      SANDBOX_PORT: String(port),
      SANDBOX_TIME_SCALE: '0.01',
      SANDBOX_BALANCE_MINOR: String(Number.MAX_SAFE_INTEGER),
      LOG_LEVEL: 'info',
    },
    readyPath: '/sandbox/magic',
    readyHeaders: SANDBOX_HEADERS,
    onOutput: (chunk) => writeFileSync(join(out, 'sandbox.log'), chunk, { flag: 'a' }),
  })
}

async function api(
  baseUrl: string,
  method: string,
  path: string,
  bearer: string | undefined,
  body?: unknown,
) {
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (res.status === 502) throw new Error('no backend')
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    } catch {
      await sleep(200)
    }
  }
}

/**
 * Three providers with different fees; the last gets a float too small for all its claims, so
 * some generates are refused for want of money while others go through.
 */
async function registerProviders(
  baseUrl: string,
  operator: string,
  random: Random,
  claims: number,
  webhookSecrets: Map<string, string>,
  endpoint: string,
) {
  const providers: ChaosProvider[] = []
  const pans: string[] = []
  const ipins: string[] = []
  for (let i = 0; i < 3; i++) {
    const registered = await registerProvider(baseUrl, operator, random, {
      name: (n) => `chaos-${i}-${n}`,
      endpoint,
      float: i === 2 ? claims * 1500 : claims * 25_000,
      reference: `chaos-${i}`,
    })
    webhookSecrets.set(registered.provider.name, registered.webhookSecret)
    providers.push(registered.provider)
    pans.push(registered.pan)
    ipins.push(registered.ipin)
  }
  return { providers, pans, ipins }
}

/** Registers one provider with a test card, credits its float and sets a rule with a fee. */
async function registerProvider(
  baseUrl: string,
  operator: string,
  random: Random,
  p: { name: (n: number) => string; endpoint: string; float: number; reference: string },
) {
  const pan = testCardNumber()
  const ipin = String(random.int(1000, 9999))
  const name = p.name(random.int(1000, 9999))
  const registered = await api(baseUrl, 'POST', '/cashout/register', undefined, {
    name,
    pan,
    expDate: '3912',
    ipin,
    consent: true,
    endpoint: p.endpoint,
  })
  if (registered.status !== 200) throw new Error(`register: ${JSON.stringify(registered.body)}`)
  const apiKey = String(registered.body.api_key)
  if (p.float > 0) {
    await api(baseUrl, 'POST', `/operator/providers/${name}/credit`, operator, {
      livemode: false,
      amount_minor: p.float,
      reference: p.reference,
    })
  }
  await api(baseUrl, 'PUT', '/cashout/rules', apiKey, {
    rate: { points: 1, cash_minor: 1 },
    fee: {
      fixed_minor: random.int(0, 50),
      bps: random.int(0, 200),
      payer: random.pick(['provider', 'customer']),
    },
    claim_lifetime_seconds: 86_400,
  })
  return {
    provider: { name, key: apiKey } satisfies ChaosProvider,
    webhookSecret: String(registered.body.webhook_secret),
    pan,
    ipin,
  }
}

/**
 * The two hostile providers, each with its own endpoint: the tarpit's takes connections and
 * never answers; the abuser's answers at once, since what it abuses is Cashout's willingness to
 * send. Only the tarpit makes claims (on a float of its own), so its endpoint always has
 * messages waiting.
 */
async function hostileProviders(baseUrl: string, operator: string, random: Random, claims: number) {
  const tarpitServer = await startTarpit()
  const sink = await startSink()
  const tarpit = await registerProvider(baseUrl, operator, random, {
    name: (n) => `chaos-tarpit-${n}`,
    endpoint: tarpitServer.url,
    float: claims * 25_000,
    reference: 'chaos-tarpit',
  })
  const abuser = await registerProvider(baseUrl, operator, random, {
    name: (n) => `chaos-abuser-${n}`,
    endpoint: sink.url,
    float: 0,
    reference: 'chaos-abuser',
  })
  return {
    tarpit: tarpit.provider,
    abuser: abuser.provider,
    tarpitServer,
    sink,
    pans: [tarpit.pan, abuser.pan],
    ipins: [tarpit.ipin, abuser.ipin],
    close: () => Promise.all([tarpitServer.close(), sink.close()]),
  }
}

/** SIGKILLs a running Cashout every few seconds and brings it back; the second one comes and goes. */
async function killLoop(
  fleet: Fleet,
  random: Random,
  finished: () => boolean,
  progress: () => number,
  faults: { secondStarted: boolean },
) {
  while (!finished()) {
    await sleep(random.int(1500, 4000))
    if (finished()) return
    const wantSecond = progress() > 0.2 && progress() < 0.75
    if (wantSecond && !fleet.isRunning(1)) {
      faults.secondStarted = true
      await fleet.start(1)
      continue
    }
    if (!wantSecond && fleet.isRunning(1)) {
      await (random.chance(0.5) ? fleet.stop(1) : fleet.kill(1))
      continue
    }
    const slot = random.pick([0, 1].filter((s) => fleet.isRunning(s)))
    await fleet.kill(slot)
    await sleep(random.int(200, 1500))
    await fleet.start(slot)
  }
}

async function receiverLoop(
  receiver: ChaosReceiver,
  random: Random,
  finished: () => boolean,
  seen: Record<string, number>,
  stalls: [number, number][],
) {
  while (!finished()) {
    const mode = random.weighted<ReceiverMode>({ ok: 55, fail: 15, stall: 10, down: 20 })
    seen[mode] = (seen[mode] ?? 0) + 1
    receiver.setMode(mode)
    const since = Date.now()
    await sleep(random.int(1000, 4000))
    // While it stalls, the providers' own sends wait out their timeout and hold their slots.
    if (mode === 'stall') stalls.push([since, Date.now()])
  }
  receiver.setMode('ok')
}

async function progressLoop(finished: () => boolean, line: () => string) {
  let last = Date.now()
  while (!finished()) {
    await sleep(500)
    if (Date.now() - last > 10_000) {
      say(`  … ${line()}`)
      last = Date.now()
    }
  }
}

/**
 * With faults over, waits for every payout to end and every webhook of these providers to land
 * (the tarpit's never do). Deliveries that wait out the retry schedule (minutes to hours) are
 * sent again through the replay API, as a provider would after an outage.
 */
async function settle(
  db: pg.Client,
  baseUrl: string,
  providers: ChaosProvider[],
  operator: ReturnType<typeof playOperator>,
) {
  const deadline = Date.now() + 240_000
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n ?? 0)
  for (;;) {
    const busy =
      (await count(
        "select count(*) as n from claims where status in ('submitted', 'processing')",
      )) +
      (await count(
        "select count(*) as n from payouts where status in ('pending', 'sent', 'unknown', 'processing', 'held')",
      ))
    if (busy === 0) break
    if (Date.now() > deadline) {
      const stuck = await db.query(
        `select p.id, p.status, p.waiting_on, p.failure_code, p.rail_api, p.rail_calls,
           p.next_attempt_at, p.batch_line, b.status as batch_status, c.status as claim_status
         from payouts p join claims c on c.id = p.claim_id
         left join payout_batches b on b.id = p.batch_id
         where p.status in ('pending', 'sent', 'unknown', 'processing', 'held') limit 10`,
      )
      return `gave up with ${busy} claims and payouts still moving: ${JSON.stringify(stuck.rows)}`
    }
    await operator.round()
    await sleep(1000)
  }
  const keys = new Map<string, string>()
  for (const p of providers) {
    const row = await db.query<{ id: string }>('select id from providers where name = $1', [p.name])
    keys.set(row.rows[0]?.id ?? '', p.key)
  }
  const ids = [...keys.keys()]
  let replayed = 0
  for (;;) {
    const pending = await db.query<{ id: string; provider_id: string }>(
      "select id, provider_id from webhook_deliveries where status = 'pending' and next_attempt_at > now() + interval '2 seconds' and provider_id = any($1)",
      [ids],
    )
    const left = Number(
      (
        await db.query<{ n: string }>(
          "select count(*) as n from webhook_deliveries where status = 'pending' and provider_id = any($1)",
          [ids],
        )
      ).rows[0]?.n ?? 0,
    )
    if (left === 0) {
      return `all payouts final (${operator.resolved.length} resolved by the operator); ${replayed} deliveries replayed after the outage`
    }
    if (Date.now() > deadline) return `gave up with ${left} deliveries pending`
    for (const d of pending.rows) {
      const reply = await api(
        baseUrl,
        'POST',
        `/cashout/webhooks/deliveries/${d.id}/replay`,
        keys.get(d.provider_id),
      )
      if (reply.status === 200) replayed++
    }
    await sleep(1000)
  }
}

/** Waits, at most `ms`, until a send to the tarpit has been recorded; how long it waited. */
async function firstTarpitAttempt(db: pg.Client, name: string, ms: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < ms) {
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from webhook_attempts a
       join webhook_deliveries d on d.id = a.delivery_id
       join providers p on p.id = d.provider_id where p.name = $1`,
      [name],
    )
    if (Number(rows[0]?.n ?? 0) > 0) break
    await sleep(1000)
  }
  return Date.now() - started
}

function summariseTarpit(stats: ReturnType<Tarpit['stats']>) {
  const held = [...stats.held, ...stats.stillOpen]
  return {
    connections: stats.connections,
    messages: stats.messages,
    held_ms: { p50: percentile(held, 0.5), max: Math.max(0, ...held) },
    still_open: stats.stillOpen.length,
    held_twice_at_once: stats.doubled.length,
  }
}

function countBy(items: string[]) {
  const counts: Record<string, number> = {}
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1
  return counts
}

main().catch((error) => {
  if (!(error instanceof BenchSetupError)) throw error
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
})
