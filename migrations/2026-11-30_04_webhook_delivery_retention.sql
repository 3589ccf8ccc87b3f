-- The delivery log keeps 30 days: the sweep deletes delivered and exhausted deliveries (and
-- their attempts) last changed before then, a batch at a time. This index finds them without
-- reading the pending ones or the rest of the table.
create index webhook_deliveries_finished on webhook_deliveries (updated_at)
  where status in ('delivered', 'exhausted');
