-- The console: store owners' team members and their sessions, one-time setup and invite links,
-- an audit log of every change, what the claim page shows of a provider, suspension by the
-- operator, and a low-float alert per mode.

-- Who may sign in to a provider's console. Emails are unique across providers, so signing in
-- needs nothing but the email and the password.
create table console_members (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references providers (id),
  email text not null unique,
  role text not null check (role in ('owner', 'editor', 'viewer')),
  -- "pbkdf2-sha256$<iterations>$<salt>$<hash>": the parameters travel with the hash.
  password_hash text not null,
  password_changed_at timestamptz not null,
  -- TOTP secret sealed like a card; the last accepted time step stops a code being used twice.
  totp_secret_jwe text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  failed_sign_ins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index console_members_provider on console_members (provider_id, created_at);

-- Only the SHA-256 of a session's token is stored, so the table never holds a usable cookie.
-- A session is a member's, or the operator's (member_id null, operator true). `stage` is
-- 'totp' between a right password and a right code.
create table console_sessions (
  id uuid primary key default gen_random_uuid(),
  token_sha256 text not null unique,
  member_id uuid references console_members (id),
  operator boolean not null default false,
  stage text not null default 'signed_in' check (stage in ('signed_in', 'totp')),
  livemode boolean not null default false,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  check (operator or member_id is not null)
);
create index console_sessions_member on console_sessions (member_id) where ended_at is null;

-- Single-use links: 'setup' makes a provider's first owner, 'invite' a new member.
create table console_links (
  id uuid primary key default gen_random_uuid(),
  token_sha256 text not null unique,
  provider_id uuid not null references providers (id),
  kind text not null check (kind in ('setup', 'invite')),
  role text not null check (role in ('owner', 'editor', 'viewer')),
  created_by text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  used_by uuid references console_members (id)
);
create index console_links_provider on console_links (provider_id, created_at desc);

-- Every change made from the console, the API or by the operator: who, what, before → after.
create table audit_log (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid references providers (id),
  livemode boolean,
  actor_type text not null check (actor_type in ('member', 'key', 'operator', 'system')),
  actor_id text,
  actor_label text not null,
  action text not null,
  target text,
  before jsonb,
  after jsonb,
  created_at timestamptz not null
);
create index audit_log_provider on audit_log (provider_id, created_at desc, id desc);
create index audit_log_all on audit_log (created_at desc, id desc);

-- Who made each rule version (a member's email, a key's prefix), for the rule history.
alter table rules add column created_by text;

-- What the claim page shows, and the operator's suspension.
alter table providers add column display_name text;
alter table providers add column accent_colour text;
alter table providers add column support_contact text;
alter table providers add column suspended_at timestamptz;
alter table providers add column suspended_reason text;

-- A provider's low-float threshold per mode; `below` is set while the float is under it, so
-- `float.low` goes out once per crossing.
create table float_alerts (
  provider_id uuid not null references providers (id),
  livemode boolean not null,
  threshold_minor bigint not null check (threshold_minor >= 0),
  below boolean not null default false,
  updated_at timestamptz not null,
  primary key (provider_id, livemode)
);
