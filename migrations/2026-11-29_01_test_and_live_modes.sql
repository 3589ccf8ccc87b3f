-- Test and live modes. Every key, rule, claim, payout, delivery, ledger account and transfer
-- belongs to one mode; test money never meets live money. Everything before this migration ran
-- on the sandbox, so it is test data; each provider gets an empty live float and a live copy of
-- its current rule.

alter table api_keys add column livemode boolean not null default false;

alter table rules add column livemode boolean not null default false;
alter table claims drop constraint claims_provider_id_rule_version_fkey;
alter table rules drop constraint rules_pkey;
alter table rules add primary key (provider_id, livemode, version);

alter table claims add column livemode boolean not null default false;
alter table claims add constraint claims_rule_fkey
  foreign key (provider_id, livemode, rule_version) references rules (provider_id, livemode, version);
-- A provider's references are its own in each mode: testing "order-1" never blocks it live.
alter table claims drop constraint claims_provider_id_provider_ref_key;
alter table claims add constraint claims_provider_mode_ref_key unique (provider_id, livemode, provider_ref);
drop index claims_provider_created;
create index claims_provider_created on claims (provider_id, livemode, created_at desc, id desc);
drop index claims_customer;
create index claims_customer on claims (provider_id, livemode, customer_id, created_at)
  where customer_id is not null;

alter table payouts add column livemode boolean not null default false;

alter table webhook_deliveries add column livemode boolean not null default false;
drop index webhook_deliveries_provider;
create index webhook_deliveries_provider
  on webhook_deliveries (provider_id, livemode, created_at desc, id desc);

alter table ledger_accounts add column livemode boolean not null default false;
drop index ledger_accounts_provider_kind;
create unique index ledger_accounts_provider_kind
  on ledger_accounts (provider_id, livemode, kind, currency) where provider_id is not null;
drop index ledger_accounts_platform_kind;
create unique index ledger_accounts_platform_kind
  on ledger_accounts (livemode, kind, currency) where provider_id is null;

alter table ledger_transfers add column livemode boolean not null default false;
drop index ledger_transfers_credit_reference;
create unique index ledger_transfers_credit_reference
  on ledger_transfers (provider_id, livemode, reference) where kind = 'credit';

insert into ledger_accounts (kind, currency, livemode)
values ('funding', 'AUD', true), ('paid_out', 'AUD', true), ('fees', 'AUD', true);

insert into ledger_accounts (provider_id, kind, currency, livemode)
select p.id, k.kind, 'AUD', true
from providers p cross join (values ('available'), ('reserved')) as k (kind);

insert into rules (
  provider_id, livemode, version, currency, rate_points, rate_cash_minor, min_points, max_points,
  step_points, fee_fixed_minor, fee_bps, fee_payer, cap_daily_minor, cap_30d_minor,
  claim_lifetime_seconds, created_at
)
select distinct on (provider_id)
  provider_id, true, 1, currency, rate_points, rate_cash_minor, min_points, max_points,
  step_points, fee_fixed_minor, fee_bps, fee_payer, cap_daily_minor, cap_30d_minor,
  claim_lifetime_seconds, now()
from rules
order by provider_id, version desc;
