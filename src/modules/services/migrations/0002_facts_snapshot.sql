-- The screening system's working copy of what the registries answered through the mediator about
-- each opted-in citizen (encrypted, context services.facts:<citizen id>), so that a population
-- scan decides a million citizens in minutes instead of reading each through the mediator again.
-- Written at each mediated read; dropped when the citizen opts out; refreshed when older than the
-- scan's window.
create table services.facts_snapshot (
  citizen_id uuid primary key,
  answers_enc text not null,
  read_at     timestamptz not null default now()
);
