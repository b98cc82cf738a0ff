-- The verifier (docs/credentials.md, "Verifier"): registered relying parties and their
-- presentation requests (OpenID4VP 1.0 with DCQL).

-- A relying party: a bank, an employer, a landlord, or an agency's counter. Its client_id is
-- `x509_hash:<base64url SHA-256 of its certificate>`; the request objects it sends are signed
-- with the certificate's key, kept sealed with the platform's field encryption.
create table credentials.relying_party (
  id text primary key,                     -- e.g. rp-hana-bank, agency:KR/GOV/MOIS
  name_ko text not null,
  name_en text not null,
  kind text not null check (kind in ('private', 'agency')),
  purpose_ko text not null,
  purpose_en text not null,
  api_key_hash text unique,                -- keyed hash of the API key (null: the counter page only)
  certificate text not null,               -- DER, base64
  client_id text not null unique,
  private_key text not null,               -- sealed private JWK
  created_by text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

-- A presentation request: what was asked, and once answered, what was verified. The disclosed
-- claims are kept only until the relying party has read them or the request expires.
create table credentials.presentation_request (
  id uuid primary key,
  relying_party_id text not null references credentials.relying_party (id),
  nonce text not null,
  state text not null unique,
  dcql jsonb not null,
  purpose_ko text not null,
  purpose_en text not null,
  redirect_uri text,                       -- same-device: where the wallet sends the person back
  response_code text unique,
  status text not null default 'pending' check (status in ('pending', 'verified', 'failed')),
  result jsonb,
  error text,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  answered_at timestamptz
);
create index presentation_request_rp on credentials.presentation_request (relying_party_id, created_at desc);
