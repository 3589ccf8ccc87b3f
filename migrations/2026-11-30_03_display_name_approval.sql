-- A provider's display name is shown on its claim pages only once the operator approves it;
-- until then the page shows the provider's plain name (acme-rewards reads "Acme Rewards"), so a
-- provider cannot put a bank's name in front of customers on its own say.
--   display_name                  the name the provider asked for (it sets this, as before)
--   display_name_approved         the name the operator approved, the one claim pages show
--   display_name_requested_at     when the provider last asked for a name, for the review queue
--   display_name_rejected_reason  why the operator refused the name asked for, while it stands
-- A request is waiting while display_name is set, differs from the approved name and has not
-- been refused. Names set before this migration were never reviewed: they wait like new ones,
-- except one that only spells the plain name, which needs no review.
alter table providers add column display_name_approved text;
alter table providers add column display_name_requested_at timestamptz;
alter table providers add column display_name_rejected_reason text;

update providers
set display_name_requested_at = updated_at,
    display_name_approved = case
      when lower(display_name) = replace(name, '-', ' ') then display_name
    end
where display_name is not null;

-- The operator's queue: requests waiting, oldest first.
create index providers_display_name_waiting on providers (display_name_requested_at)
  where display_name is not null
    and display_name is distinct from display_name_approved
    and display_name_rejected_reason is null;
