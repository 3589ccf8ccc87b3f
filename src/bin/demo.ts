import { parseArgs } from 'node:util'
import { DemoError } from '../demo/api.ts'
import { DEMO_RECEIVER_PORT } from '../demo/provider.ts'
import { runDemo } from '../demo/walkthrough.ts'

const USAGE = `Usage: npm run demo [-- --auto] [--payid you@example.com] [--points 2500]

Against a running Cashout (CASHOUT_URL, default http://localhost:$PORT or 8080): readies the demo
provider, starts a webhook receiver that checks signatures, sets a rule and generates a claim.
--auto also cashes the claim out on its page and waits for the webhooks.
Sandbox PayIDs that fail on purpose: fail@example.com (fixable), blocked@example.com (final).`

/** `npm run demo`: a guided cashout against the server `npm start` runs. */
async function main() {
  let args: ReturnType<typeof parse>
  try {
    args = parse()
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`)
    process.exit(2)
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const points = Number(args.points)
  if (!Number.isSafeInteger(points) || points < 1) {
    process.stderr.write(`--points must be a whole number of points, not ${args.points}\n`)
    process.exit(2)
  }
  const env = process.env
  const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))
  try {
    const result = await runDemo({
      baseUrl: (env.CASHOUT_URL ?? `http://localhost:${env.PORT ?? 8080}`).replace(/\/+$/, ''),
      dataDir: env.DATA_DIR ?? './data',
      auto: args.auto,
      payid: args.payid,
      points,
      receiverPort: Number(env.DEMO_RECEIVER_PORT ?? DEMO_RECEIVER_PORT),
      registrationToken: env.REGISTRATION_TOKEN,
      timeoutMs: 60_000,
      print: (line) => process.stdout.write(`${line}\n`),
      stopped,
    })
    process.exit(result.outcome === 'claim.settled' || result.outcome === 'stopped' ? 0 : 1)
  } catch (error) {
    if (!(error instanceof DemoError)) throw error
    process.stderr.write(`\n✗ ${error.message}\n`)
    process.exit(1)
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      auto: { type: 'boolean', default: false },
      payid: { type: 'string', default: 'jane@example.com' },
      points: { type: 'string', default: '2500' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  return values
}

void main()
