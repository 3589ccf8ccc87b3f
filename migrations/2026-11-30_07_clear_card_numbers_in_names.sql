-- Display names and support contacts holding a card number are refused now, but ones stored
-- before that check may hold one, which claim pages, the console and the operator's review would
-- show in clear. This clears them, so the provider sets them again and the check applies:
--   a display name holding one: display_name and display_name_approved, with the request's time
--   and any refusal reason (the request is gone, so nothing waits for review);
--   a support contact holding one: support_contact and support_contact_approved, likewise.
-- A card number here is a run of 13 to 19 digits with at most one separator between two digits
-- (a space, tab, no-break or figure space, or - . _ + /), not part of a longer run. Luhn is not
-- checked: a number that long has no place in a name or a contact, and clearing one costs the
-- provider only setting it again.
-- Each provider cleared gets one audit row (settings.cleared, by Cashout) with what the fields
-- held, the numbers masked as logs mask them.
with card (run) as (
  values (
    '(?<![0-9][ \t\u00a0\u2007\u202f._+/-]?)[0-9](?:[ \t\u00a0\u2007\u202f._+/-]?[0-9]){12,18}(?![ \t\u00a0\u2007\u202f._+/-]?[0-9])'
  )
),
held as (
  select
    p.id,
    card.run,
    p.display_name,
    p.display_name_approved,
    p.support_contact,
    p.support_contact_approved,
    coalesce(p.display_name ~ card.run or p.display_name_approved ~ card.run, false) as in_name,
    coalesce(p.support_contact ~ card.run or p.support_contact_approved ~ card.run, false)
      as in_contact
  from providers p cross join card
),
cleared as (
  select * from held where in_name or in_contact
),
audit as (
  insert into audit_log
    (provider_id, livemode, actor_type, actor_id, actor_label, action, target, before, after,
     created_at)
  select
    id, null, 'system', null, 'Cashout', 'settings.cleared', 'claim page',
    case when in_name then jsonb_build_object(
      'display_name', regexp_replace(display_name, run, '[card number]', 'g'),
      'display_name_approved', regexp_replace(display_name_approved, run, '[card number]', 'g')
    ) else '{}'::jsonb end
    || case when in_contact then jsonb_build_object(
      'support_contact', regexp_replace(support_contact, run, '[card number]', 'g'),
      'support_contact_approved',
      regexp_replace(support_contact_approved, run, '[card number]', 'g')
    ) else '{}'::jsonb end,
    case when in_name then
      '{"display_name": null, "display_name_approved": null}'::jsonb
    else '{}'::jsonb end
    || case when in_contact then
      '{"support_contact": null, "support_contact_approved": null}'::jsonb
    else '{}'::jsonb end,
    now()
  from cleared
)
update providers p
set display_name = case when c.in_name then null else p.display_name end,
    display_name_approved = case when c.in_name then null else p.display_name_approved end,
    display_name_requested_at = case when c.in_name then null else p.display_name_requested_at end,
    display_name_rejected_reason =
      case when c.in_name then null else p.display_name_rejected_reason end,
    support_contact = case when c.in_contact then null else p.support_contact end,
    support_contact_approved =
      case when c.in_contact then null else p.support_contact_approved end,
    support_contact_requested_at =
      case when c.in_contact then null else p.support_contact_requested_at end,
    support_contact_rejected_reason =
      case when c.in_contact then null else p.support_contact_rejected_reason end,
    updated_at = now()
from cleared c
where p.id = c.id;
