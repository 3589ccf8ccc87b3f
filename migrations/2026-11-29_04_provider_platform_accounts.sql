-- The platform's side of the ledger, kept per provider. Until now one `funding`, one `paid_out`
-- and one `fees` row per mode and currency took every provider's credits and settlements, so
-- all providers queued on the same row locks, and those rows belonged to no provider, so no
-- table could be split by provider_id. Now each provider has its own three platform-side
-- accounts in each mode and currency its float has; a transfer only ever touches accounts of
-- the provider it names, and the platform's totals are sums over providers.

alter table ledger_accounts drop constraint ledger_accounts_check;

insert into ledger_accounts (provider_id, livemode, kind, currency)
select f.provider_id, f.livemode, k.kind, f.currency
from (
  select distinct provider_id, livemode, currency from ledger_accounts where provider_id is not null
) as f
cross join (values ('funding'), ('paid_out'), ('fees')) as k (kind);

-- The old shared rows. One that money moved through stays, its balance and transfers untouched,
-- as the history of what was credited and settled before this migration (the ledger still sums
-- to zero and every balance still equals its transfers); platform totals add it to the sums over
-- providers. One that nothing ever moved through (a balance of zero and no transfer) is deleted.
delete from ledger_accounts as a
where a.provider_id is null and a.balance = 0
  and not exists (
    select 1 from ledger_transfers as t where a.id in (t.debit_account_id, t.credit_account_id)
  );

-- Every new row names its provider. NOT VALID leaves the old shared rows that stay as they are,
-- and because an update is checked as an insert is, no money can move through them again. Their
-- unique index has nothing left to guard.
alter table ledger_accounts add constraint ledger_accounts_provider_required
  check (provider_id is not null) not valid;
drop index ledger_accounts_platform_kind;
