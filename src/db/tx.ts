import type { Db, Tx } from './schema.ts'

/** SQLSTATEs after which the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01'])

export interface TxOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable'
  /** How many times to re-run after a serialization failure or deadlock. */
  retries?: number
}

/** Runs `fn` in one transaction; money-moving functions take the `Tx` so they cannot run outside one. */
export async function withTx<T>(
  db: Db,
  fn: (trx: Tx) => Promise<T>,
  { isolation, retries = 3 }: TxOptions = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const builder = isolation ? db.transaction().setIsolationLevel(isolation) : db.transaction()
      return await builder.execute(fn)
    } catch (error) {
      if (attempt >= retries || !RETRYABLE.has(sqlState(error) ?? '')) throw error
    }
  }
}

export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code
    return typeof code === 'string' ? code : undefined
  }
  return undefined
}
