-- Digital documents (docs/credentials.md): credential offers, single-use nonces, the credentials
-- issued (never their contents: only what status and audit need), and status lists.

-- A credential offer (pre-authorized code flow): the code and the optional transaction code are
-- stored only as keyed hashes.
create table credentials.offer (
  id uuid primary key,
  code_hash text not null unique,
  citizen_id uuid not null,
  configuration_ids text[] not null,
  tx_code_hash text,                       -- null: no transaction code asked
  tx_failures int not null default 0,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  redeemed_at timestamptz,
  revoked_at timestamptz
);
create index offer_citizen on credentials.offer (citizen_id);

-- c_nonce values from the nonce endpoint: one use each (a proof's replay fails), a few minutes
create table credentials.nonce (
  value text primary key,
  expires_at timestamptz not null
);

-- a status list (IETF Token Status List): 2 bits per credential (0 valid, 1 invalid, 2 suspended)
create table credentials.status_list (
  id text primary key,
  bits int not null check (bits in (1, 2, 4, 8)),
  size int not null,                       -- entries; a credential takes a random free one (status.ts)
  version bigint not null default 0,       -- bumped on every change, for the served token's cache
  created_at timestamptz not null default now()
);

create table credentials.credential (
  id uuid primary key,
  citizen_id uuid not null,
  configuration_id text not null,
  format text not null,                    -- dc+sd-jwt | mso_mdoc
  list_id text not null references credentials.status_list,
  idx int not null,
  status smallint not null default 0,      -- 0 valid, 1 invalid (revoked), 2 suspended
  status_reason text,
  holder_jkt text,                         -- RFC 7638 thumbprint of the holder key it is bound to
  issued_at timestamptz not null default now(),
  expires_at timestamptz not null,
  notification_id text,
  notified_event text,
  unique (list_id, idx)
);
create index credential_citizen on credentials.credential (citizen_id);
create index credential_list_status on credentials.credential (list_id) where status <> 0;
