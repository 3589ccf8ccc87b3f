-- Providers, their API keys and conversion rules; claims with their events; the float ledger.

create table providers (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
  endpoint text not null,
  -- PAN and expiry as a JWE (dir + A256GCM); only the last four digits in the clear.
  card_jwe text not null,
  card_key_id text not null,
  card_pan_hmac text not null,
  card_last4 text not null check (card_last4 ~ '^[0-9]{4}$'),
  -- The webhook signing secret must be readable to sign, so it is encrypted like the card.
  webhook_secret_jwe text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index providers_card_pan_hmac on providers (card_pan_hmac);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references providers (id),
  prefix text not null unique,
  secret_sha256 text not null,
  label text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_provider on api_keys (provider_id, created_at);

create table rules (
  provider_id uuid not null references providers (id),
  version integer not null check (version > 0),
  currency text not null check (currency = 'AUD'),
  rate_points bigint not null check (rate_points > 0),
  rate_cash_minor bigint not null check (rate_cash_minor > 0),
  min_points bigint not null check (min_points > 0),
  max_points bigint check (max_points is null or max_points >= min_points),
  step_points bigint not null check (step_points > 0),
  fee_fixed_minor bigint not null check (fee_fixed_minor >= 0),
  fee_bps integer not null check (fee_bps between 0 and 10000),
  fee_payer text not null check (fee_payer in ('provider', 'customer')),
  cap_daily_minor bigint check (cap_daily_minor > 0),
  cap_30d_minor bigint check (cap_30d_minor > 0),
  claim_lifetime_seconds integer not null check (claim_lifetime_seconds between 300 and 2592000),
  created_at timestamptz not null default now(),
  primary key (provider_id, version)
);

create table claims (
  id uuid primary key,
  provider_id uuid not null references providers (id),
  provider_ref text not null,
  request_sha256 text not null,
  customer_id text,
  points bigint not null check (points > 0),
  rule_version integer not null,
  currency text not null,
  gross_minor bigint not null check (gross_minor > 0),
  fee_minor bigint not null check (fee_minor >= 0),
  fee_payer text not null check (fee_payer in ('provider', 'customer')),
  net_minor bigint not null check (net_minor > 0),
  reserved_minor bigint not null check (reserved_minor = net_minor + fee_minor),
  status text not null check (
    status in ('open', 'submitted', 'processing', 'settled', 'expired', 'cancelled', 'failed')
  ),
  status_reason text,
  event_sequence integer not null default 0,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider_id, provider_ref),
  foreign key (provider_id, rule_version) references rules (provider_id, version)
);
create index claims_provider_created on claims (provider_id, created_at desc, id desc);
create index claims_open_expiry on claims (expires_at) where status = 'open';
create index claims_customer on claims (provider_id, customer_id, created_at)
  where customer_id is not null;

create table events (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references providers (id),
  claim_id uuid not null references claims (id),
  type text not null,
  sequence integer not null,
  data jsonb not null,
  created_at timestamptz not null default now(),
  unique (claim_id, sequence)
);
create index events_provider_created on events (provider_id, created_at);

-- Double-entry ledger. A transfer moves an amount from one account to another; balances are
-- kept on the accounts in the same transaction, so the sum of all balances is always zero.
create table ledger_accounts (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid references providers (id),
  kind text not null check (kind in ('available', 'reserved', 'funding', 'paid_out', 'fees')),
  currency text not null,
  balance bigint not null default 0,
  check ((provider_id is null) = (kind in ('funding', 'paid_out', 'fees'))),
  -- A provider's float can never go negative, whatever the code does.
  check (kind not in ('available', 'reserved') or balance >= 0)
);
create unique index ledger_accounts_provider_kind
  on ledger_accounts (provider_id, kind, currency) where provider_id is not null;
create unique index ledger_accounts_platform_kind
  on ledger_accounts (kind, currency) where provider_id is null;

insert into ledger_accounts (kind, currency)
values ('funding', 'AUD'), ('paid_out', 'AUD'), ('fees', 'AUD');

create table ledger_transfers (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references providers (id),
  debit_account_id uuid not null references ledger_accounts (id),
  credit_account_id uuid not null references ledger_accounts (id),
  amount_minor bigint not null check (amount_minor > 0),
  kind text not null check (kind in ('credit', 'reserve', 'release', 'payout', 'fee')),
  claim_id uuid references claims (id),
  reference text,
  created_at timestamptz not null default now(),
  check (debit_account_id <> credit_account_id)
);
create index ledger_transfers_provider on ledger_transfers (provider_id, created_at);
create index ledger_transfers_claim on ledger_transfers (claim_id) where claim_id is not null;
create unique index ledger_transfers_credit_reference
  on ledger_transfers (provider_id, reference) where kind = 'credit';

create function ledger_transfers_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'ledger transfers are immutable';
end;
$$;
create trigger ledger_transfers_immutable before update or delete on ledger_transfers
  for each row execute function ledger_transfers_immutable();
