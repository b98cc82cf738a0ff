-- The authorization code flow (docs/credentials.md, "Authorization code flow"): the wallets that
-- may use it, and each authorization from its request through the citizen's decision to the
-- code the wallet redeems.

-- A wallet app (an OAuth public client): its redirect URIs match exactly.
create table credentials.wallet_client (
  id text primary key,                     -- the client_id
  name_ko text not null,
  name_en text not null,
  redirect_uris jsonb not null,            -- array of strings
  created_by text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table credentials.authorization (
  id uuid primary key,                     -- random; the consent page is /credentials/authorize/{id}
  client_id text not null references credentials.wallet_client (id),
  redirect_uri text not null,
  state text,
  code_challenge text not null,            -- PKCE, S256
  configuration_ids text[] not null,
  offer_id uuid references credentials.offer (id),  -- the offer named by issuer_state
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,         -- sign in and decide before this
  citizen_id uuid,                         -- who decided
  decision text check (decision in ('allowed', 'denied')),
  decided_at timestamptz,
  code_hash text unique,                   -- keyed hash of the authorization code
  code_expires_at timestamptz,
  redeemed_at timestamptz
);
create index authorization_expires on credentials.authorization (expires_at);

-- An offer may carry the authorization code grant (its issuer_state, as a keyed hash) instead of,
-- or besides, a pre-authorized code.
alter table credentials.offer alter column code_hash drop not null;
alter table credentials.offer add column issuer_state_hash text unique;
