import type { Context } from 'hono'
import type { AppEnv } from './env.ts'

/** Cookies are `Secure` when the service is served over https (its public URL says which). */
export function secureCookies<E extends AppEnv>(c: Context<E>): boolean {
  return c.var.deps.config.publicUrl.startsWith('https:')
}
