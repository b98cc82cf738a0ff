-- The assistant's conversations: a session remembers its language and what it is in the middle of
-- (an eligibility check); messages are kept with identifiers masked. Both are deleted after 30
-- days (a periodic task). A session started by a signed-in citizen belongs to them only.
create schema if not exists assistant;

create table assistant.session (
  id          uuid primary key,
  citizen_id  uuid,
  channel     text not null default 'web' check (channel in ('web', 'api', 'messenger', 'cli')),
  lang        text not null default 'ko',
  state       jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index session_updated on assistant.session (updated_at);

create table assistant.message (
  id          bigint generated always as identity primary key,
  session_id  uuid not null references assistant.session (id) on delete cascade,
  role        text not null check (role in ('user', 'assistant')),
  text_masked text not null,
  intent      text,
  confidence  real,
  at          timestamptz not null default now()
);
create index message_session on assistant.message (session_id, id);
create index message_at on assistant.message (at);
