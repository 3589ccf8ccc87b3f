import { Kysely, type KyselyConfig, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Logger } from '../log/logger.ts'
import type { Database, Db } from './schema.ts'

const INT8_OID = 20

export interface PostgresOptions {
  url: string
  poolMax: number
  logger: Logger
  /** Kysely's query log: tests count the statements an operation makes with it. */
  log?: KyselyConfig['log']
  /** The socket `pg` talks through, where the runtime's own needs help (Workers). */
  stream?: pg.PoolConfig['stream']
}

/**
 * Kysely over a `pg` pool. `int8` columns come back as `bigint` (money is bigint minor
 * units), matching what PGlite returns, so code behaves the same on both.
 */
export function createPostgresDb({ url, poolMax, logger, log, stream }: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 10_000,
    ...(stream ? { stream } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
  // A connection closed by `destroy` is not a failure (on Workers, closing one cancels its read).
  pool.on('error', (error) => {
    if (!pool.ending) logger.warn('idle database connection failed', { error })
  })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) })
}
