const TABLES = [
  'providers',
  'api_keys',
  'rules',
  'claims',
  'events',
  'ledger_accounts',
  'ledger_transfers',
  'payouts',
  'webhook_deliveries',
  'webhook_attempts',
]

/**
 * Everything stored, as text, but for when a key was last used (reading with a key is allowed
 * to touch that): two snapshots around a fuzzing run must be equal. The providers named in
 * `busy` are left out with their deliveries: their endpoint keeps them retrying by themselves,
 * and the provider's row keeps the endpoint's health.
 */
export async function snapshot(
  query: (sql: string) => Promise<{ rows: unknown }[]>,
  busy: string[] = [],
) {
  const names = busy.map((name) => `'${name.replaceAll("'", "''")}'`).join(', ')
  const theirs = `select d.id from webhook_deliveries d join providers p on p.id = d.provider_id where p.name in (${names})`
  const where: Record<string, string> =
    busy.length === 0
      ? {}
      : {
          providers: `where t.name not in (${names})`,
          webhook_deliveries: `where t.id not in (${theirs})`,
          webhook_attempts: `where t.delivery_id not in (${theirs})`,
        }
  const parts: string[] = []
  for (const table of TABLES) {
    const [row] = await query(
      `select coalesce(jsonb_agg(to_jsonb(t) - 'last_used_at' order by to_jsonb(t)::text), '[]')::text as rows from ${table} t ${where[table] ?? ''}`,
    )
    parts.push(`${table}: ${String(row?.rows)}`)
  }
  return parts.join('\n')
}
