-- Payouts: one attempt to pay a claim through the rail. The row is also its own job: a worker
-- leases due rows (SKIP LOCKED) and calls the rail with the payout id as client_transaction_id.

create table payouts (
  id uuid primary key,
  claim_id uuid not null references claims (id),
  provider_id uuid not null references providers (id),
  attempt integer not null check (attempt > 0),
  status text not null check (
    status in ('pending', 'sent', 'processing', 'settled', 'failed', 'unknown')
  ),
  method text not null check (method in ('au_bank_npp_aud', 'au_payid_npp_aud')),
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  -- What the rail is sent, encrypted: the full destination and the callback token, a random
  -- value of this payout's alone. Every retry sends the same request; only the token's hash is
  -- kept in the clear, to check callbacks. The masked destination is what people see.
  request_jwe text not null,
  callback_url text not null,
  callback_token_sha256 text not null,
  destination_masked jsonb not null,
  withdrawal_id text,
  failure_code text,
  failure_reason text,
  rail_calls integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (claim_id, attempt)
);
create index payouts_due on payouts (next_attempt_at) where status in ('pending', 'sent', 'unknown');
create index payouts_claim on payouts (claim_id, attempt desc);
-- At most one payout of a claim may be in flight: the database's own guard against paying twice.
create unique index payouts_one_active_per_claim on payouts (claim_id)
  where status in ('pending', 'sent', 'processing', 'unknown');
