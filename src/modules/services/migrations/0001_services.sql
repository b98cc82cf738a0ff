-- Public services: the catalogue, eligibility rules with versions, and citizens' opt-in to screening.
create schema if not exists services;

-- One row per service; `entry` holds the catalogue fields (names, texts in ko and en, documents…)
-- as catalogue-types.ts describes them. The rule lives in rule_version.
create table services.service (
  id             text primary key,
  agency         text not null,
  field          text not null,
  kind           text not null check (kind in ('benefit', 'reminder', 'procedure')),
  region_sido    text,
  region_sigungu text,
  life_events    text[] not null default '{}',
  entry          jsonb not null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index service_agency on services.service (agency);
create index service_region on services.service (region_sido, region_sigungu);

-- A rule's versions: a draft is edited in the console; publishing it gives it an effective date
-- from which it decides (the version in force on a date is the published one with the latest
-- effective_from on or before it). Published versions are never changed.
create table services.rule_version (
  service_id     text not null references services.service (id),
  version        integer not null,
  source         text not null,
  status         text not null check (status in ('draft', 'published')),
  effective_from date,
  note           text,
  created_by     text not null,
  created_at     timestamptz not null default now(),
  published_by   text,
  published_at   timestamptz,
  primary key (service_id, version),
  check (status = 'draft' or effective_from is not null)
);
create index rule_version_published on services.rule_version (service_id, effective_from desc) where status = 'published';

-- Citizens who asked to be screened (혜택 알리미): their facts are read through the mediator
-- under the purpose "eligibility screening" only while they are opted in.
create table services.screening (
  citizen_id     uuid primary key,
  opted_in_at    timestamptz not null default now(),
  withdrawn_at   timestamptz
);

-- Proactive notices sent: one per citizen, service and occasion (a birth, a move, a scan day), so
-- a retried job or a second scan tells no one twice.
create table services.notice (
  citizen_id uuid not null,
  service_id text not null references services.service (id),
  occasion   text not null,
  sent_at    timestamptz not null default now(),
  primary key (citizen_id, service_id, occasion)
);
