-- Webhook deliveries: the outbox of provider notifications. A delivery is written in the same
-- transaction as the event it announces, with the exact bytes that will be sent and signed.

create table webhook_deliveries (
  id text primary key,
  provider_id uuid not null references providers (id),
  event_id uuid references events (id),
  claim_id uuid references claims (id),
  event_type text not null,
  payload text not null,
  status text not null check (status in ('pending', 'delivered', 'exhausted')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_owner text,
  lease_expires_at timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_provider on webhook_deliveries (provider_id, created_at desc, id desc);
create index webhook_deliveries_claim on webhook_deliveries (claim_id) where claim_id is not null;

create table webhook_attempts (
  id uuid primary key default gen_random_uuid(),
  delivery_id text not null references webhook_deliveries (id),
  attempt integer not null,
  attempted_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  error text
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempt);

-- A 410 Gone turns a provider's endpoint off until the provider sets it again. During a secret
-- rotation the previous secret keeps signing beside the new one until the overlap ends.
alter table providers add column webhook_disabled_at timestamptz;
alter table providers add column webhook_disabled_reason text;
alter table providers add column previous_webhook_secret_jwe text;
alter table providers add column previous_webhook_secret_until timestamptz;
