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
 * to touch that): two snapshots around a fuzzing run must be equal.
 */
export async function snapshot(query: (sql: string) => Promise<{ rows: unknown }[]>) {
  const parts: string[] = []
  for (const table of TABLES) {
    const [row] = await query(
      `select coalesce(jsonb_agg(to_jsonb(t) - 'last_used_at' order by to_jsonb(t)::text), '[]')::text as rows from ${table} t`,
    )
    parts.push(`${table}: ${String(row?.rows)}`)
  }
  return parts.join('\n')
}
