-- Agency registries (module registries). One generic store: a registry is a schema (fields with
-- types and a personal-data flag); its records are JSON objects checked against that schema.

create table registries.registry (
  id serial primary key,
  code text not null,                 -- 'resident' (the GovStack {registryName})
  version text not null,              -- '1.0' (the GovStack {versionNumber})
  agency text not null,               -- owning member code in instance KR, e.g. 'MOIS'
  subsystem text not null,            -- the owner's subsystem that provides it, e.g. 'resident-registry'
  name_ko text not null,
  name_en text not null,
  description_ko text not null default '',
  description_en text not null default '',
  fields jsonb not null,              -- RegistryField[]
  is_disabled boolean not null default false,
  created_at timestamptz not null default now(),
  modified_at timestamptz not null default now(),
  modified_by text not null default 'system:migration',
  unique (code, version)
);

-- the current version of every record
create table registries.record (
  registry_id int not null references registries.registry (id),
  id uuid not null,
  subject_id uuid,                    -- the resident the record is about (null if about no one)
  data jsonb not null,                -- field values; 'rrn' fields hold field-encrypted text
  rrn_index text,                     -- blind index of the record's 'rrn' field, if it has one
  version int not null default 1,
  changed_at timestamptz not null default now(),
  changed_by text not null,
  reason text,
  primary key (registry_id, id)
);
create index record_subject on registries.record (subject_id, registry_id) where subject_id is not null;
create unique index record_rrn on registries.record (registry_id, rrn_index) where rrn_index is not null;

-- every earlier version, and a last row for a deleted record: current + history = the whole story
create table registries.record_history (
  registry_id int not null,
  id uuid not null,
  version int not null,
  operation text not null check (operation in ('create', 'update', 'delete')),
  subject_id uuid,
  data jsonb not null,
  changed_at timestamptz not null,
  changed_by text not null,
  reason text,
  primary key (registry_id, id, version)
);

-- keys of agency systems calling the Data and Database APIs directly (owners of a registry);
-- everyone else reads through the information mediator
create table registries.api_key (
  id serial primary key,
  client text not null,               -- KR/GOV/MOIS/resident-registry
  agency text not null,               -- MOIS
  key_hash bytea not null unique,     -- sha-256 of the key; the key itself is shown once
  label text not null default '',
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
