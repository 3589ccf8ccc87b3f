-- Every secret a rotation retires keeps signing beside the current one until its own overlap
-- ends. One pair of columns held only the last retired secret, so a second rotation within the
-- overlap dropped the first secret before the time promised for it. Each entry is
-- {"jwe": the sealed secret, "until": an ISO 8601 UTC time}, oldest first; a rotation prunes
-- those whose time has passed and keeps at most three (Cashout refuses a fourth).
alter table providers add column previous_webhook_secrets jsonb not null default '[]'::jsonb;
alter table providers add constraint providers_previous_webhook_secrets_array
  check (jsonb_typeof(previous_webhook_secrets) = 'array');

-- A previous secret still in its overlap moves over with its promise; an expired one signs
-- nothing and is left behind.
update providers
set previous_webhook_secrets = jsonb_build_array(jsonb_build_object(
  'jwe', previous_webhook_secret_jwe,
  'until', to_char(previous_webhook_secret_until at time zone 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
))
where previous_webhook_secret_jwe is not null and previous_webhook_secret_until > now();

alter table providers drop column previous_webhook_secret_jwe;
alter table providers drop column previous_webhook_secret_until;
