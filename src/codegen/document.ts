import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely'
import { createApp } from '../app.ts'
import { systemClock } from '../clock.ts'
import { parseConfig } from '../config.ts'
import { createVault } from '../crypto/vault.ts'
import type { Database } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import type { OpenApiDocument } from '../docs/reference.ts'
import { createLogger } from '../log/logger.ts'
import { memoryRateLimiter } from '../page/rate-limit.ts'
import { railChannel } from '../payouts/rail/circuit.ts'
import { RailError } from '../payouts/rail/rail.ts'
import { providerCache } from '../providers/cache.ts'

/**
 * The public URL written into generated files, so they do not change with whoever runs the
 * generator; a deployment's own `/openapi.json` names its own.
 */
export const CANONICAL_PUBLIC_URL = 'https://cashout.example'

const nowhere = async (): Promise<never> => {
  throw new RailError({ kind: 'unavailable', detail: 'the document is built without a rail' })
}

/**
 * The document `GET /openapi.json` serves, asked of the real app. Building it reads only the
 * routes and the public URL, so the app stands on a database driver that runs nothing (Kysely's
 * DummyDriver), no rail and no network.
 */
export async function serveOpenApiDocument(
  publicUrl = CANONICAL_PUBLIC_URL,
): Promise<OpenApiDocument> {
  const config = parseConfig({ PUBLIC_URL: publicUrl })
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  })
  const deps: AppDeps = {
    config,
    db,
    clock: systemClock,
    logger: createLogger({ level: 'error', write: () => {} }),
    vault: createVault({
      encryption: [{ kid: 'unused', key: new Uint8Array(32) }],
      hmac: new Uint8Array(32),
    }),
    rails: {
      test: railChannel('sandbox', { withdraw: nowhere, createBatch: nowhere }),
      live: undefined,
    },
    limiter: memoryRateLimiter(),
    webhooks: { post: nowhere, vet: async () => false },
    cache: providerCache(),
  }
  const res = await createApp(deps).request('/openapi.json')
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`)
  return (await res.json()) as OpenApiDocument
}
