-- Platform infrastructure: outbox (jobs and domain events), audit log, keys, seeding record.

create table platform.outbox (
  id              bigint generated always as identity primary key,
  topic           text not null,
  payload         jsonb not null default '{}'::jsonb,
  -- a producer that may retry gives a key so that the same job is queued once
  idempotency_key text unique,
  status          text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
  attempts        integer not null default 0,
  max_attempts    integer not null default 8,
  run_at          timestamptz not null default now(),
  locked_until    timestamptz,
  locked_by       text,
  last_error      text,
  created_at      timestamptz not null default now(),
  done_at         timestamptz
);
create index outbox_ready on platform.outbox (run_at, id) where status in ('pending', 'running');

create table platform.audit_log (
  seq        bigint primary key,
  at         timestamptz not null,
  actor      text not null,
  action     text not null,
  subject    text,
  data       jsonb not null default '{}'::jsonb,
  prev_hash  text not null,
  hash       text not null
);

-- append-only: changing or removing history needs a superuser to switch the trigger off,
-- and `hanaro audit verify` still finds it through the hash chain
create function platform.audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'platform.audit_log is append-only';
end $$;
create trigger audit_log_append_only before update or delete on platform.audit_log
  for each row execute function platform.audit_log_append_only();

create table platform.keys (
  kid          text primary key,
  alg          text not null check (alg in ('ES256', 'EdDSA')),
  purpose      text not null default 'signing',
  status       text not null default 'active' check (status in ('active', 'retired')),
  public_jwk   jsonb not null,
  private_enc  text not null,
  created_at   timestamptz not null default now(),
  retired_at   timestamptz
);

create table platform.seed_runs (
  seeder     text primary key,
  seed       bigint not null,
  options    jsonb not null default '{}'::jsonb,
  done_at    timestamptz not null default now()
);
