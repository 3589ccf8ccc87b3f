import { type Config, ConfigError, parseConfig } from '../config.ts'

/** The worker's bindings: Hyperdrive, plus every variable README lists, as vars or secrets. */
export interface Env {
  HYPERDRIVE?: Hyperdrive
  [variable: string]: unknown
}

/**
 * Variables that only mean something to a Node process, refused on Workers rather than ignored:
 * a setting that silently does nothing is how an operator is misled.
 */
const NODE_ONLY: Record<string, string> = {
  PORT: 'Workers choose the port',
  HOST: 'Workers choose the interface',
  DATABASE_URL: 'the database is the HYPERDRIVE binding',
  DATABASE_POOL_MAX: 'each request has its own connection through Hyperdrive, which pools',
  DATA_DIR: 'there is no embedded database on Workers',
  SWEEP_INTERVAL_MS: 'the cron trigger in wrangler.toml runs the sweep',
  SANDBOX_TIME_SCALE: 'the sandbox cannot run inside a worker; set SANDBOX_URL',
  TRUST_PROXY: "client addresses come from Cloudflare's CF-Connecting-IP",
  DEMO: 'the demo provider needs the embedded default',
  SHUTDOWN_GRACE_MS: 'Workers end requests themselves',
}

/**
 * The configuration from the bindings: every string variable goes through the same schema as
 * on Node; the database is Hyperdrive's connection string. Problems are all named at once.
 */
export function workerConfig(env: Env): Config {
  const problems: string[] = []
  const record: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue
    if (name in NODE_ONLY) problems.push(`${name}: not used on Workers (${NODE_ONLY[name]})`)
    else record[name] = value
  }
  if (!env.HYPERDRIVE) problems.push('HYPERDRIVE: binding missing (see wrangler.toml)')
  if (!record.PUBLIC_URL) problems.push('PUBLIC_URL: required on Workers')
  if (!record.SANDBOX_URL) {
    problems.push(
      'SANDBOX_URL: required on Workers (test mode pays through a sandbox, which cannot run inside one)',
    )
  }
  let config: Config | undefined
  try {
    config = parseConfig({ ...record, DATABASE_URL: env.HYPERDRIVE?.connectionString })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    problems.push(...error.problems)
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems)
  return { ...config, clientIpSource: 'cloudflare' }
}
