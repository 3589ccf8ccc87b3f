-- The browser that cashed a claim out on its page, the only one shown the claim's status after.
-- Its cookie holds a random secret; only the secret's SHA-256 is stored, so this table never
-- holds a usable cookie. Written by the submit that won, replaced when a reopened claim is
-- cashed out again. Status cookies issued before this table (an HMAC of the claim alone, which
-- any holder of an old form could obtain) are no longer honoured.
create table claim_viewers (
  claim_id uuid primary key references claims (id),
  secret_sha256 text not null,
  created_at timestamptz not null
);
