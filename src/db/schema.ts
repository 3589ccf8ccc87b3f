import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely'
import type { MaskedDestination } from '../payouts/masked.ts'

type CreatedAt = ColumnType<Date, Date | undefined, never>
type UpdatedAt = ColumnType<Date, Date | undefined, Date>
type Json = ColumnType<Record<string, unknown>, string, string>
/** A column that may be left out on insert and is null until set. */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>

export interface SchemaMigrationsTable {
  name: string
  checksum: string
  applied_at: ColumnType<Date, never, never>
}

/** A retired webhook secret, sealed, that signs beside the current one until `until` (ISO). */
export interface PreviousSecret {
  jwe: string
  until: string
}

export interface ProvidersTable {
  id: Generated<string>
  name: string
  endpoint: string
  card_jwe: string
  card_key_id: string
  card_pan_hmac: string
  card_last4: string
  webhook_secret_jwe: string
  webhook_disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  webhook_disabled_reason: ColumnType<string | null, string | null | undefined, string | null>
  /** Failed attempts in a row to the endpoint; reset by a delivered message or a new endpoint. */
  webhook_failing: ColumnType<number, number | undefined, number>
  /** When the endpoint's failures in a row began. */
  webhook_failing_since: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** While the endpoint is paused: when the next probe may go. */
  webhook_resume_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** The current pause's length (0 when not paused); each failed probe doubles it. */
  webhook_pause_seconds: ColumnType<number, number | undefined, number>
  /** Retired secrets still honoured, oldest first; written as a JSON string. */
  previous_webhook_secrets: ColumnType<PreviousSecret[], string | undefined, string>
  /** The display name the provider asked for; claim pages show it once approved. */
  display_name: Nullable<string>
  /** The display name the operator approved: the one claim pages show (null: the plain name). */
  display_name_approved: Nullable<string>
  display_name_requested_at: Nullable<Date>
  /** Why the operator refused the name asked for; null once the provider asks again. */
  display_name_rejected_reason: Nullable<string>
  accent_colour: Nullable<string>
  /** The support contact the provider asked for; claim pages show it once approved. */
  support_contact: Nullable<string>
  /** The support contact the operator approved: the one claim pages show (null: none). */
  support_contact_approved: Nullable<string>
  support_contact_requested_at: Nullable<Date>
  /** Why the operator refused the contact asked for; null once the provider asks again. */
  support_contact_rejected_reason: Nullable<string>
  suspended_at: Nullable<Date>
  suspended_reason: Nullable<string>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface ApiKeysTable {
  id: Generated<string>
  provider_id: string
  prefix: string
  livemode: boolean
  secret_sha256: string
  label: string | null
  created_at: CreatedAt
  last_used_at: Date | null
  revoked_at: Date | null
}

export type FeePayer = 'provider' | 'customer'

export interface RulesTable {
  provider_id: string
  livemode: boolean
  version: number
  currency: string
  rate_points: bigint
  rate_cash_minor: bigint
  min_points: bigint
  max_points: bigint | null
  step_points: bigint
  fee_fixed_minor: bigint
  fee_bps: number
  fee_payer: FeePayer
  cap_daily_minor: bigint | null
  cap_30d_minor: bigint | null
  claim_lifetime_seconds: number
  /** How long before a claim expires `claim.expiring` is sent; null for no reminder. */
  expiry_reminder_seconds: number | null
  created_by: Nullable<string>
  created_at: CreatedAt
}

export type ClaimStatus =
  | 'open'
  | 'submitted'
  | 'processing'
  | 'settled'
  | 'expired'
  | 'cancelled'
  | 'failed'

/** The claim page's languages (see src/page/i18n). */
export type ClaimLocale = 'en' | 'ar' | 'zh-Hans' | 'vi'

export interface ClaimsTable {
  id: string
  provider_id: string
  livemode: boolean
  provider_ref: string
  request_sha256: string
  customer_id: string | null
  points: bigint
  rule_version: number
  currency: string
  gross_minor: bigint
  fee_minor: bigint
  fee_payer: FeePayer
  net_minor: bigint
  reserved_minor: bigint
  status: ClaimStatus
  status_reason: string | null
  /** The page language the provider fixed at generate; null follows the customer's browser. */
  locale: ColumnType<ClaimLocale | null, ClaimLocale | null | undefined, ClaimLocale | null>
  event_sequence: ColumnType<number, number | undefined, number>
  expires_at: Date
  /** When `claim.expiring` is due: the rule's reminder before expiry; null for none. */
  remind_at: Date | null
  /** When it was sent: a claim is reminded once at most. */
  reminded_at: Date | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface EventsTable {
  id: Generated<string>
  provider_id: string
  claim_id: string
  type: string
  sequence: number
  data: Json
  created_at: CreatedAt
}

export type AccountKind = 'available' | 'reserved' | 'funding' | 'paid_out' | 'fees'

export interface LedgerAccountsTable {
  id: Generated<string>
  provider_id: string | null
  livemode: boolean
  kind: AccountKind
  currency: string
  balance: ColumnType<bigint, bigint | undefined, bigint>
}

export type TransferKind = 'credit' | 'reserve' | 'release' | 'payout' | 'fee'

export interface LedgerTransfersTable {
  id: Generated<string>
  provider_id: string
  livemode: boolean
  debit_account_id: string
  credit_account_id: string
  amount_minor: bigint
  kind: TransferKind
  claim_id: string | null
  reference: string | null
  created_at: CreatedAt
}

export type PayoutStatus =
  | 'pending'
  | 'sent'
  | 'processing'
  | 'settled'
  | 'failed'
  | 'unknown'
  | 'held'
export type RailApi = 'withdraw' | 'payouts_v1'
/** What an unfinished payout is waiting on; see payouts/waiting.ts. */
export type WaitingOn =
  | 'rail_funds'
  | 'rail_retry'
  | 'rail_credentials'
  | 'rail_confirmation'
  | 'operator'
export type PayoutMethod = 'au_bank_npp_aud' | 'au_payid_npp_aud'

export interface PayoutsTable {
  id: string
  claim_id: string
  provider_id: string
  livemode: boolean
  attempt: number
  status: PayoutStatus
  method: PayoutMethod
  amount_minor: bigint
  currency: string
  request_jwe: string
  callback_url: string
  callback_token_sha256: string
  destination_masked: ColumnType<MaskedDestination, string, string>
  withdrawal_id: string | null
  failure_code: string | null
  failure_reason: string | null
  /** The destination field the rail refused, when it named one. */
  failure_field: ColumnType<string | null, string | null | undefined, string | null>
  rail_calls: ColumnType<number, number | undefined, number>
  next_attempt_at: Date
  lease_owner: string | null
  lease_expires_at: Date | null
  rail_api: ColumnType<RailApi | null, RailApi | null | undefined, RailApi | null>
  waiting_on: ColumnType<WaitingOn | null, WaitingOn | null | undefined, WaitingOn | null>
  rail_status: ColumnType<string | null, string | null | undefined, string | null>
  alerted_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  batch_id: ColumnType<string | null, string | null | undefined, string | null>
  batch_line: ColumnType<number | null, number | null | undefined, number | null>
  rail_transaction_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: Date
  updated_at: Date
}

export type BatchStatus =
  | 'sending'
  | 'accepted'
  | 'refused'
  | 'unknown'
  | 'completed'
  | 'expired'
  | 'held'

export interface PayoutBatchesTable {
  id: string
  livemode: boolean
  status: BatchStatus
  rail_batch_uuid: ColumnType<string | null, string | null | undefined, string | null>
  rail_batch_id: ColumnType<string | null, string | null | undefined, string | null>
  rail_status: ColumnType<string | null, string | null | undefined, string | null>
  callback_token_sha256: string
  payout_count: number
  total_minor: bigint
  error_code: ColumnType<string | null, string | null | undefined, string | null>
  error_message: ColumnType<string | null, string | null | undefined, string | null>
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>
  lease_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: Date
  updated_at: Date
}

export type DeliveryStatus = 'pending' | 'delivered' | 'exhausted'

export interface WebhookDeliveriesTable {
  id: string
  provider_id: string
  livemode: boolean
  event_id: string | null
  claim_id: string | null
  event_type: string
  payload: string
  status: DeliveryStatus
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Date
  lease_owner: string | null
  lease_expires_at: Date | null
  last_status: number | null
  last_error: string | null
  delivered_at: Date | null
  created_at: Date
  updated_at: Date
}

export interface WebhookAttemptsTable {
  id: Generated<string>
  delivery_id: string
  attempt: number
  attempted_at: Date
  status_code: number | null
  latency_ms: number
  error: string | null
}

export type MemberRole = 'owner' | 'editor' | 'viewer'

export interface ConsoleMembersTable {
  id: Generated<string>
  provider_id: string
  email: string
  role: MemberRole
  password_hash: string
  password_changed_at: Date
  totp_secret_jwe: Nullable<string>
  totp_enabled_at: Nullable<Date>
  totp_last_step: Nullable<bigint>
  failed_sign_ins: ColumnType<number, number | undefined, number>
  locked_until: Nullable<Date>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface ConsoleSessionsTable {
  id: Generated<string>
  token_sha256: string
  member_id: string | null
  operator: ColumnType<boolean, boolean | undefined, boolean>
  stage: ColumnType<'signed_in' | 'totp', 'signed_in' | 'totp' | undefined, 'signed_in' | 'totp'>
  livemode: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Date
  last_seen_at: Date
  expires_at: Date
  ended_at: Nullable<Date>
}

export interface ConsoleLinksTable {
  id: Generated<string>
  token_sha256: string
  provider_id: string
  kind: 'setup' | 'invite'
  role: MemberRole
  created_by: string
  created_at: Date
  expires_at: Date
  used_at: Nullable<Date>
  used_by: Nullable<string>
}

export type ActorType = 'member' | 'key' | 'operator' | 'system'

export interface AuditLogTable {
  id: Generated<string>
  provider_id: string | null
  livemode: boolean | null
  actor_type: ActorType
  actor_id: string | null
  actor_label: string
  action: string
  target: string | null
  before: ColumnType<unknown, string | null, never>
  after: ColumnType<unknown, string | null, never>
  created_at: Date
}

/** The browser whose submit won a claim: the SHA-256 of its cookie's random secret. */
export interface ClaimViewersTable {
  claim_id: string
  secret_sha256: string
  created_at: Date
}

export interface FloatAlertsTable {
  provider_id: string
  livemode: boolean
  threshold_minor: bigint
  below: ColumnType<boolean, boolean | undefined, boolean>
  updated_at: Date
}

export interface Database {
  schema_migrations: SchemaMigrationsTable
  providers: ProvidersTable
  api_keys: ApiKeysTable
  rules: RulesTable
  claims: ClaimsTable
  events: EventsTable
  ledger_accounts: LedgerAccountsTable
  ledger_transfers: LedgerTransfersTable
  payouts: PayoutsTable
  payout_batches: PayoutBatchesTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
  console_members: ConsoleMembersTable
  console_sessions: ConsoleSessionsTable
  console_links: ConsoleLinksTable
  audit_log: AuditLogTable
  float_alerts: FloatAlertsTable
  claim_viewers: ClaimViewersTable
}

export type Db = Kysely<Database>
export type Tx = Transaction<Database>

export type Provider = Selectable<ProvidersTable>
export type Rule = Selectable<RulesTable>
export type Claim = Selectable<ClaimsTable>
export type Payout = Selectable<PayoutsTable>
export type PayoutBatch = Selectable<PayoutBatchesTable>
export type Delivery = Selectable<WebhookDeliveriesTable>
export type Member = Selectable<ConsoleMembersTable>
export type ConsoleSession = Selectable<ConsoleSessionsTable>
export type AuditEntry = Selectable<AuditLogTable>
