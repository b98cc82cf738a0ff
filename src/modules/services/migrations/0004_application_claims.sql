-- An approval claims its part before it writes to the registry (so a withdrawal, a refusal or
-- another approval cannot slip in between the write and the decision); a claim older than ten
-- minutes is a crashed approval and may be taken over. The form's hash tells a reused
-- idempotency key with other data (409) from a repeat.
alter table services.task add column claimed_by text;
alter table services.task add column claimed_at timestamptz;
alter table services.application add column content_hash text;
