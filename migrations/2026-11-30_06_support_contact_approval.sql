-- A provider's support contact is shown on its claim pages ("Need help?") only once the operator
-- approves it, as its display name already is: a link or number beside a payout form is where a
-- provider could send customers to a page that asks for their bank login.
--   support_contact                  the contact the provider asked for (it sets this, as before)
--   support_contact_approved         the contact the operator approved, the one claim pages show
--   support_contact_requested_at     when the provider last asked for one, for the review queue
--   support_contact_rejected_reason  why the operator refused the contact asked for, while it stands
-- Contacts set before this migration were never reviewed: they wait like new ones, and claim
-- pages show none until the operator approves them.
alter table providers add column support_contact_approved text;
alter table providers add column support_contact_requested_at timestamptz;
alter table providers add column support_contact_rejected_reason text;

update providers set support_contact_requested_at = updated_at where support_contact is not null;

-- The operator's queue: requests waiting, oldest first.
create index providers_support_contact_waiting on providers (support_contact_requested_at)
  where support_contact is not null
    and support_contact is distinct from support_contact_approved
    and support_contact_rejected_reason is null;
