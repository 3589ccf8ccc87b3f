-- The claim page speaks the customer's language.
--   claims.locale: the language a provider fixed for the claim at generate (null: the page
--     follows the customer's browser);
--   payouts.failure_field: the destination field the rail refused, when it named one, so the
--     page can say which field to check in its own words rather than show stored English.
alter table claims add column locale text
  check (locale is null or locale in ('en', 'ar', 'zh-Hans', 'vi'));
alter table payouts add column failure_field text
  check (failure_field is null
    or failure_field in ('payid', 'payid_type', 'account_name', 'bsb', 'account_number'));
