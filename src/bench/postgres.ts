import pg from 'pg'

export class BenchSetupError extends Error {}

/**
 * A fresh database for one run on the server `adminUrl` names; dropped afterwards. `run` names
 * the command and the variable that points it elsewhere, for the message when Postgres is away.
 */
export async function createBenchDatabase(
  adminUrl: string,
  run = { name: 'bench', variable: 'BENCH_DATABASE_URL' },
) {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  try {
    await admin.connect()
  } catch (error) {
    throw new BenchSetupError(
      `Could not reach Postgres at ${redactPassword(adminUrl)} (${error instanceof Error ? error.message : String(error)}).\nnpm run ${run.name} runs on real Postgres: start one, or set ${run.variable} to a server where the user may create databases, e.g.\n  ${run.variable}=postgres://postgres@127.0.0.1:5432/postgres npm run ${run.name}`,
    )
  }
  const name = `cashout_${run.name.replace(/\W/g, '_')}_${Date.now().toString(36)}`
  try {
    await admin.query(`create database ${name}`)
    const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    return {
      url: url.toString(),
      version: `PostgreSQL ${version?.server_version ?? '?'}`,
      async drop() {
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    }
  } catch (error) {
    await admin.end()
    throw new BenchSetupError(
      `Could not create a database for npm run ${run.name}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

function redactPassword(url: string) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the given URL'
  }
}
