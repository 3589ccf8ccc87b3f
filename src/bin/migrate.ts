import { ConfigError, parseConfig } from '../config.ts'
import { loadMigrationFiles } from '../db/migration-files.ts'
import { migrate } from '../db/migrator.ts'
import { openDatabase } from '../db/open.ts'
import { createLogger } from '../log/logger.ts'

/** `npm run migrate`: apply pending migrations to the configured database and exit. */
async function main() {
  const config = parseConfig(process.env)
  const logger = createLogger({
    level: config.logLevel,
    write: (line) => process.stdout.write(`${line}\n`),
  })
  const handle = await openDatabase(config.database, logger)
  try {
    const { applied } = await migrate(handle.db, await loadMigrationFiles(), logger)
    logger.info(
      applied.length > 0 ? `applied ${applied.length} migration(s)` : 'no pending migrations',
      { database: config.database.kind },
    )
  } finally {
    await handle.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
