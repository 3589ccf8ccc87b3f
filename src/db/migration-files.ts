import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Migration, MigrationError } from './migrator.ts'

const NAME = /^\d{4}-\d{2}-\d{2}[\w.-]*\.sql$/

/**
 * The project's own migrations folder: the nearest `migrations/` above this module, whether it
 * runs from `src/db/` or from a bundle in `dist/`.
 */
export const migrationsDir = findUp('migrations', dirname(fileURLToPath(import.meta.url)))

function findUp(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, name)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) return join(from, name)
  }
}

/** Reads `*.sql` files from a folder; every file must carry an ISO date prefix. */
export async function loadMigrationFiles(dir: string = migrationsDir): Promise<Migration[]> {
  const entries = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort()
  const badlyNamed = entries.filter((name) => !NAME.test(name))
  if (badlyNamed.length > 0) {
    throw new MigrationError(
      `Migration files must start with an ISO date (YYYY-MM-DD): ${badlyNamed.join(', ')}`,
    )
  }
  return Promise.all(
    entries.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })),
  )
}
