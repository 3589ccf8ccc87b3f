import { expect } from 'vitest'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import { OPERATOR_TOKEN } from './app.ts'
import { Browserish } from './browserish.ts'
import { call, credit, generate, type TestProvider } from './client.ts'

/** A fresh claim's page for the provider, as a customer opens it. */
export async function freshClaimPage(app: App, provider: TestProvider): Promise<string> {
  await credit(app, provider.name, 10_000)
  const claim = (await generate(app, provider, { amount: 500, id: `r-${Math.random()}` })).body
  const page = await new Browserish(app).get(`/c/${claim.uuid}`)
  expect(page.status).toBe(200)
  return page.html
}

/** The provider asks for what its claim pages show (`display_name`, `support_contact`). */
export async function askFor(app: App, provider: TestProvider, body: Record<string, unknown>) {
  const reply = await call(app, 'POST', '/cashout/profile', { key: provider.key, body })
  expect(reply.status).toBe(200)
  return reply
}

/** The operator's decision over the API: `path` is `display-name` or `support-contact`. */
export async function decide(
  app: App,
  name: string,
  path: 'display-name' | 'support-contact',
  body: Record<string, unknown>,
) {
  return call(app, 'POST', `/operator/providers/${name}/${path}`, { key: OPERATOR_TOKEN, body })
}

export async function providerIdOf(db: Db, name: string) {
  return (
    await db.selectFrom('providers').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  ).id
}
