-- Payouts that wait for a person, why a payout is waiting, and batches of the v1 payouts API.

-- `held`: code cannot finish the payout alone (an amount or id that does not match, a failure
-- nobody classified, an answer lost where retrying could pay twice). Only the operator moves it.
alter table payouts drop constraint payouts_status_check;
alter table payouts add constraint payouts_status_check check (
  status in ('pending', 'sent', 'processing', 'settled', 'failed', 'unknown', 'held')
);
drop index payouts_one_active_per_claim;
create unique index payouts_one_active_per_claim on payouts (claim_id)
  where status in ('pending', 'sent', 'processing', 'unknown', 'held');

-- Which of Hello Clever's APIs carried the payout, fixed at its first call: a payout whose
-- answer was lost is only ever retried through the same API, under the same id.
alter table payouts add column rail_api text check (rail_api in ('withdraw', 'payouts_v1'));
-- What the payout is waiting on, for the customer, the provider and the operator.
alter table payouts add column waiting_on text check (
  waiting_on in ('rail_funds', 'rail_retry', 'rail_credentials', 'rail_confirmation', 'operator')
);
-- The last status the rail reported, kept even when it cannot be applied (a held payout).
alter table payouts add column rail_status text;
-- When the operator was told about this payout, so a condition is announced once.
alter table payouts add column alerted_at timestamptz;

create table payout_batches (
  -- Our id; sent as the batch's external_id, so the operator can find it in Hello Clever's portal.
  id uuid primary key,
  livemode boolean not null,
  status text not null check (
    status in ('sending', 'accepted', 'refused', 'unknown', 'completed', 'expired', 'held')
  ),
  rail_batch_uuid text,
  rail_batch_id text,
  rail_status text,
  callback_token_sha256 text not null,
  payout_count integer not null check (payout_count > 0),
  total_minor bigint not null check (total_minor > 0),
  error_code text,
  error_message text,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index payout_batches_sending on payout_batches (lease_expires_at) where status = 'sending';

alter table payouts add column batch_id uuid references payout_batches (id);
-- The payout's place in its batch's request, and its line's id at Hello Clever: the v1 document
-- gives lines no id of ours, so answers and callbacks are matched by position, then checked.
alter table payouts add column batch_line integer check (batch_line >= 0);
alter table payouts add column rail_transaction_id text;
create index payouts_batch on payouts (batch_id) where batch_id is not null;
-- What the watch looks at every sweep: accepted payouts by age, and what it has yet to announce.
create index payouts_watch on payouts (updated_at) where status in ('processing', 'held');
create index payouts_unannounced on payouts (id)
  where alerted_at is null and (status = 'held' or waiting_on = 'rail_funds');
