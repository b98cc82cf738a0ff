-- Identity (docs/identity.md): accounts bound to residents or officials, passkeys, server-side
-- sessions, enrolment codes and the attempt counters that rate-limit guessing.

create table identity.account (
  id uuid primary key,
  kind text not null check (kind in ('citizen', 'official')),
  citizen_id uuid unique,                  -- the resident record (citizen accounts)
  display_name text,                       -- officials; a citizen's name comes from the registry
  agency text,                             -- officials: member code (MOHW)
  roles text[] not null default '{}',      -- officials: case-worker | agency-admin | platform-admin | auditor
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((kind = 'citizen') = (citizen_id is not null))
);

create table identity.passkey (
  id text primary key,                     -- WebAuthn credential id, base64url
  account_id uuid not null references identity.account,
  public_key bytea not null,               -- COSE public key
  counter bigint not null default 0,
  transports text[] not null default '{}',
  device_type text,                        -- singleDevice | multiDevice
  backed_up boolean not null default false,
  name text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkey_account on identity.passkey (account_id);

create table identity.session (
  id_hash text primary key,                -- SHA-256 of the cookie's token; the token itself is never stored
  account_id uuid not null references identity.account,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,         -- absolute end
  method text not null,                    -- passkey | enrolment | demo
  authenticated_at timestamptz not null default now(),  -- last proof of presence (step-up)
  ended_at timestamptz,
  ended_reason text
);
create index session_account on identity.session (account_id) where ended_at is null;

create table identity.enrolment_code (
  id uuid primary key,
  code_hash text not null unique,          -- keyed hash (platform blind index) of the normalised code
  citizen_id uuid not null,
  issued_by text not null,
  issued_at timestamptz not null default now(),
  expires_at timestamptz not null,
  failed_attempts int not null default 0,
  used_at timestamptz,
  revoked_at timestamptz
);
create index enrolment_code_citizen on identity.enrolment_code (citizen_id);

-- WebAuthn challenges: one use, a few minutes
create table identity.challenge (
  id text primary key,
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null,
  account_id uuid,
  expires_at timestamptz not null
);

-- failed attempts per key (an address, an account) for rate limits that hold across processes
create table identity.attempt (
  key text not null,
  at timestamptz not null default now()
);
create index attempt_key on identity.attempt (key, at);
