-- MyData (docs/mydata.md): who may receive a citizen's data (recipients), on what terms (policies
-- and data agreements), the citizen's consent records with their signed, hash-chained revisions
-- (the GovStack Consent building block's model, ISO/IEC TS 27560's record), consent requests,
-- transfers and the correction requests of the "my data" page.

-- who receives data: an agency system (reads through the mediator as its client subsystem) or a
-- registered private third party (pulls through the MyData API with its key)
create table mydata.recipient (
  id text primary key,                       -- hanbank-loans
  kind text not null check (kind in ('agency', 'third-party')),
  name_ko text not null,
  name_en text not null,
  client_id text,                            -- its X-Road client subsystem, when it has one
  url text,
  api_key_hash bytea unique,
  created_by text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create unique index recipient_client on mydata.recipient (client_id) where client_id is not null;

-- GovStack Policy: the rules of the controller that agreements are governed by
create table mydata.policy (
  id uuid primary key,
  version integer not null default 1,
  name text not null,
  url text not null,
  jurisdiction text not null default 'KR',
  industry_sector text,
  data_retention_period_days integer not null,
  geographic_restriction text,
  storage_location text,
  third_party_data_sharing boolean not null default false,
  controller text not null,                  -- recipient id (or 'platform')
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- GovStack DataAgreement: one purpose a citizen can consent to, with the items (registry fields
-- of mediated services) the recipient gets and for how long
create table mydata.data_agreement (
  id uuid primary key,
  version integer not null default 1,
  recipient_id text not null references mydata.recipient(id),
  policy_id uuid references mydata.policy(id),
  purpose_ko text not null,
  purpose_en text not null,
  description_ko text not null default '',
  description_en text not null default '',
  lawful_basis text not null check (lawful_basis in ('consent', 'legal_obligation', 'contract', 'vital_interest', 'public_task', 'legitimate_interest')),
  legal_reference text,                      -- 개인정보 보호법 제15조 제1항 제1호 …
  data_use text,                             -- null | data_source | data_using_service
  dpia text not null default '',
  items jsonb not null,                      -- [{ "service": "KR/GOV/…/resident", "items": ["name", …] }]
  modes text[] not null default '{once}',    -- once, periodic
  max_validity_days integer not null,        -- how long a consent to it may last
  retention_days integer not null,           -- how long the recipient may keep what it received
  active boolean not null default true,
  forgettable boolean not null default false,
  lifecycle text not null default 'complete' check (lifecycle in ('draft', 'complete')),
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- GovStack Individual: the citizen as the consent service knows them
create table mydata.individual (
  id uuid primary key,
  external_id text,                          -- the citizen id (resident record id)
  external_id_type text,
  identity_provider_id text,
  created_at timestamptz not null default now()
);
create unique index individual_external on mydata.individual (external_id, external_id_type) where external_id is not null;

-- a citizen's consent to one agreement: the current state; every change is a revision below
create table mydata.consent_record (
  id uuid primary key,
  agreement_id uuid not null references mydata.data_agreement(id),
  agreement_version integer not null,
  agreement_revision_hash text not null,
  individual_id uuid not null references mydata.individual(id),
  citizen_id text,                           -- set when the individual is a known citizen
  recipient_id text not null references mydata.recipient(id),
  items jsonb not null,                      -- the chosen subset of the agreement's items
  mode text not null check (mode in ('once', 'periodic')),
  interval_days integer,                     -- periodic: at most one transfer per interval
  opt_in boolean not null,
  state text not null check (state in ('given', 'withdrawn', 'expired', 'fulfilled', 'unsigned')),
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  last_transfer_at timestamptz,
  token_hash bytea unique,                   -- the recipient's pull token, bound to this record
  request_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index consent_record_citizen on mydata.consent_record (citizen_id, created_at desc);
create index consent_record_agreement on mydata.consent_record (agreement_id);
create index consent_record_recipient on mydata.consent_record (recipient_id, created_at desc);

-- GovStack Revision: the serialized snapshot of an object at each change, chained per object by
-- the predecessor's hash and signature
create table mydata.revision (
  id uuid primary key,
  schema_name text not null,                 -- consentRecord | dataAgreement | policy
  object_id text not null,
  seq integer not null,
  signed_without_object_id boolean not null default false,
  serialized_snapshot text not null,
  serialized_hash text not null,             -- SHA-256, base64url
  timestamp timestamptz not null,
  authorized_by_individual uuid,
  authorized_by_other text,
  predecessor_hash text,
  predecessor_signature text,
  unique (schema_name, object_id, seq)
);

-- GovStack Signature: the platform's signature (JWS, ES256) over each revision
create table mydata.signature (
  id uuid primary key,
  payload text not null,
  signature text not null,
  verification_method text not null,
  verification_payload text not null,
  verification_payload_hash text not null,
  verification_signed_by text not null,
  verification_signed_as text,
  verification_jws_header text,
  timestamp timestamptz not null,
  signed_without_object_reference boolean not null default false,
  object_type text not null,
  object_reference text not null
);
create index signature_object on mydata.signature (object_type, object_reference);

create function mydata.append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = 'HN002';
end $$;
create trigger revision_append_only before update or delete on mydata.revision for each row execute function mydata.append_only();
create trigger signature_append_only before update or delete on mydata.signature for each row execute function mydata.append_only();

-- a recipient asks for consent: the citizen opens the link, signs in and agrees (or not)
create table mydata.consent_request (
  id uuid primary key,
  agreement_id uuid not null references mydata.data_agreement(id),
  recipient_id text not null references mydata.recipient(id),
  citizen_hint text,                         -- a citizen id the recipient already knows (agencies)
  items jsonb,                               -- a subset of the agreement's items (default: all)
  mode text not null,
  interval_days integer,
  validity_days integer not null,
  return_url text,
  status text not null default 'pending' check (status in ('pending', 'consented', 'declined', 'expired')),
  consent_id uuid,
  token_delivered boolean not null default false,
  token_sealed text,                         -- the pull token, sealed, until the recipient collects it once
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

-- GovStack Webhook: third parties told of consent changes
create table mydata.webhook (
  id uuid primary key,
  recipient_id text references mydata.recipient(id),
  payload_url text not null,
  content_type text not null default 'application/json',
  secret_key text not null,
  events text[] not null,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

-- corrections a citizen asks of the agency that owns an item
create table mydata.correction (
  id uuid primary key,
  citizen_id text not null,
  agency text not null,                      -- member code
  service text not null,
  field text not null,
  requested_value text not null,
  reason text not null,
  status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
  decided_by text,
  decision_note text,
  decided_at timestamptz,
  created_at timestamptz not null default now()
);
create index correction_citizen on mydata.correction (citizen_id, created_at desc);
create index correction_agency on mydata.correction (agency, status, created_at);

-- readers each citizen has already seen: a new one may raise an alert
create table mydata.alert_setting (
  citizen_id text primary key,
  new_recipient boolean not null default false,
  watermark timestamptz not null default now()   -- the access log is followed from here (a minute's overlap)
);
create table mydata.known_reader (
  citizen_id text not null,
  reader text not null,
  first_seen timestamptz not null default now(),
  primary key (citizen_id, reader)
);
create table mydata.alert (
  id bigserial primary key,
  citizen_id text not null,
  reader text not null,
  institution text not null,
  service text not null,
  at timestamptz not null,
  seen boolean not null default false
);
create index alert_citizen on mydata.alert (citizen_id, id desc);
