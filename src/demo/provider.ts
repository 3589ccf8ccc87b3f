import { SYSTEM } from '../audit/record.ts'
import { issueLink } from '../console/links.ts'
import type { AppDeps } from '../deps.ts'
import { findKey } from '../keys/auth.ts'
import { providerBalance } from '../ledger/balance.ts'
import { creditFloat } from '../ledger/credit.ts'
import { registerProvider } from '../providers/register.ts'
import { findProviderByName } from '../providers/repository.ts'
import { type DemoCredentials, readDemoFile, writeDemoFile } from './demo-file.ts'
import { testCardNumber } from './test-card.ts'

type Deps = Pick<AppDeps, 'db' | 'vault' | 'clock' | 'config' | 'logger' | 'webhooks'>

/** Where `npm run demo` listens for webhooks unless that port is taken. */
export const DEMO_RECEIVER_PORT = 4020
/** The demo float is topped up to AUD 10,000 whenever it falls under AUD 1,000. */
export const FLOAT_TARGET = 1_000_000n
export const FLOAT_FLOOR = 100_000n

export interface DemoProvider extends DemoCredentials {
  availableMinor: bigint
  created: boolean
  /** A one-time setup link while the demo console has no member; the sign-in page after. */
  consoleUrl: string
  consoleSetup: boolean
}

/**
 * The embedded server's ready-made provider: reused from `<dataDir>/demo.json` while its key
 * still works, registered afresh otherwise, and its float topped up to AUD 10,000 when low.
 */
export async function ensureDemoProvider({
  deps,
  dataDir,
}: {
  deps: Deps
  dataDir: string
}): Promise<DemoProvider> {
  const saved = readDemoFile(dataDir)
  const key = saved ? await findKey(deps.db, saved.api_key) : undefined
  const reusable =
    saved && key && !key.revoked_at && !key.livemode && key.provider_name === saved.name
  const credentials = reusable ? saved : await registerDemo(deps)
  if (!reusable) writeDemoFile(dataDir, credentials)
  const provider = await findProviderByName(deps.db, credentials.name)
  if (!provider) throw new Error(`demo provider ${credentials.name} vanished`)
  // The demo runs in test mode: its key is a test key and its float play money.
  const scope = { providerId: provider.id, livemode: false }
  let balance = await providerBalance(deps.db, scope, 'AUD')
  if (balance.available_minor < FLOAT_FLOOR) {
    await creditFloat({
      deps,
      actor: SYSTEM,
      input: {
        provider: { id: provider.id },
        livemode: false,
        amountMinor: FLOAT_TARGET - balance.available_minor,
        reference: `demo-float-${crypto.randomUUID()}`,
      },
    })
    balance = await providerBalance(deps.db, scope, 'AUD')
  }
  const console = await demoConsole(deps, provider.id)
  return {
    ...credentials,
    availableMinor: balance.available_minor,
    created: !reusable,
    consoleUrl: console.url,
    consoleSetup: console.setup,
  }
}

/** Until someone has taken the demo console, each start prints a fresh setup link for it. */
async function demoConsole(deps: Deps, providerId: string) {
  const member = await deps.db
    .selectFrom('console_members')
    .select('id')
    .where('provider_id', '=', providerId)
    .executeTakeFirst()
  if (member) return { url: `${deps.config.publicUrl}/console`, setup: false }
  const link = await issueLink(deps.db, {
    providerId,
    kind: 'setup',
    role: 'owner',
    actor: SYSTEM,
    publicUrl: deps.config.publicUrl,
    now: deps.clock.now(),
  })
  return { url: link.url, setup: true }
}

async function registerDemo(deps: Deps): Promise<DemoCredentials> {
  const name = await freeName(deps)
  const now = deps.clock.now()
  const expDate = `${String((now.getUTCFullYear() + 5) % 100).padStart(2, '0')}12`
  const registered = await registerProvider({
    deps,
    input: {
      name,
      pan: testCardNumber(),
      expDate,
      // A made-up PIN for a test card, which no deployment paying real money accepts anyway.
      ipin: '7391',
      endpoint: `http://127.0.0.1:${DEMO_RECEIVER_PORT}/webhooks`,
    },
  })
  return {
    name,
    api_key: registered.apiKey.token,
    webhook_secret: registered.webhookSecret,
  }
}

async function freeName(deps: Deps): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'demo' : `demo-${n}`
    if (!(await findProviderByName(deps.db, name))) return name
  }
}
