import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db } from '../db/schema.ts'

/**
 * What belongs to one invocation of the worker. Workers forbid using one request's socket from
 * another, so the app (built once per isolate) reaches the database through the invocation it
 * is serving: each request, and each piece of work started after a response, has its own
 * connection, and closes only that.
 */
export interface Invocation {
  db: Db
  /** Work the request created, to start once its response is out. */
  wake: { payouts: boolean; webhooks: boolean }
}

export interface InvocationScope {
  run<T>(invocation: Invocation, work: () => Promise<T>): Promise<T>
  current(): Invocation
  /** A database handle that is always the current invocation's. */
  db: Db
}

export function invocationScope(): InvocationScope {
  const storage = new AsyncLocalStorage<Invocation>()
  const current = () => {
    const invocation = storage.getStore()
    if (!invocation) throw new Error('the database was used outside a request or a scheduled run')
    return invocation
  }
  // Kysely's methods are looked up on the current invocation's instance and bound to it.
  const db = new Proxy({} as Db, {
    get(_, property) {
      const target = current().db
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { run: (invocation, work) => storage.run(invocation, work), current, db }
}
