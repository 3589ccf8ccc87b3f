-- Reminders before a claim's link lapses. A rule may set expiry_reminder_seconds: that long
-- before a claim made under it expires, the sweep sends `claim.expiring` once while the claim
-- is still open. Null is no reminder. A reminder is shorter than the rule's claim lifetime, and
-- at least a minute (the sweep's own pace makes a shorter one meaningless).
alter table rules add column expiry_reminder_seconds integer check (
  expiry_reminder_seconds is null
  or (expiry_reminder_seconds >= 60 and expiry_reminder_seconds < claim_lifetime_seconds)
);

-- remind_at: when the claim's reminder is due, fixed at generate (expires_at minus the rule's
-- reminder), null when there is none or it would fall at or before the claim's creation (a claim
-- asked with an expires_in shorter than the reminder). A later expiry moves it by as much.
-- reminded_at: when the reminder was sent; once set it is never sent again, even if the claim
-- is reopened or given more time. Claims made before this migration have no reminder.
alter table claims add column remind_at timestamptz;
alter table claims add column reminded_at timestamptz;

-- The sweep's question, "which open claims have a reminder due and not yet sent", reads only
-- the claims that could still be reminded.
create index claims_reminder_due on claims (remind_at)
  where status = 'open' and reminded_at is null and remind_at is not null;
