-- An endpoint that fails attempt after attempt is paused rather than sent to at full rate: after
-- a number of failed attempts in a row over some time, only one probe goes out at a time, each
-- pause longer than the last, until one is delivered. `webhook_failing` counts the failed
-- attempts in a row, since `webhook_failing_since`; `webhook_resume_at` is when the next probe
-- may go (null when the endpoint is not paused).
alter table providers add column webhook_failing integer not null default 0;
alter table providers add column webhook_failing_since timestamptz;
alter table providers add column webhook_resume_at timestamptz;
-- The length of the current pause, doubled by each failed probe.
alter table providers add column webhook_pause_seconds integer not null default 0;
