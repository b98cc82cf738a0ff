-- Deferred issuance (docs/credentials.md, "Deferred issuance"): documents an official of the
-- approving agency must approve first, and the refresh tokens a wallet needs to keep asking for
-- them while it waits.

-- A credential request waiting for (or past) an official's decision. The holder keys come from
-- the key proofs checked when the wallet asked; the credentials are issued at approval, kept
-- sealed until the wallet collects them, then dropped (the row stays, without them).
create table credentials.deferred_request (
  id uuid primary key,
  transaction_hash text not null unique,   -- keyed hash of the transaction_id the wallet polls with
  citizen_id uuid not null,
  configuration_id text not null,
  agency text not null,                    -- the approving agency's member code
  holder_keys jsonb not null,              -- public JWKs, one credential each
  status text not null default 'pending' check (status in ('pending', 'issuing', 'approved', 'refused', 'delivered')),
  credentials text,                        -- sealed JSON array of credentials (approved, not yet delivered)
  decided_by text,                         -- official:<account id>
  decided_at timestamptz,
  reason text,                             -- a refusal's reason, shown to the citizen
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  delivered_at timestamptz
);
create index deferred_request_queue on credentials.deferred_request (agency, created_at) where status = 'pending';
create index deferred_request_citizen on credentials.deferred_request (citizen_id, created_at desc);

-- Refresh tokens (RFC 6749 §6), issued with access tokens that grant a document needing approval:
-- a wallet may wait days for the decision, longer than an access token lives. Rotated at each
-- use; a used one presented again revokes its whole family.
create table credentials.refresh_token (
  token_hash text primary key,             -- keyed hash
  family uuid not null,
  citizen_id uuid not null,
  configuration_ids text[] not null,
  client_id text,                          -- the wallet client of an authorization code grant
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,         -- the family's: rotation does not extend it
  used_at timestamptz,
  revoked_at timestamptz
);
create index refresh_token_family on credentials.refresh_token (family);
