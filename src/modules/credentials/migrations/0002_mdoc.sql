-- ISO/IEC 18013-5 mdoc certificates (docs/credentials.md, "mdoc"): the issuing authority's root
-- (IACA) and the document signers (DS) it certifies. One of each kind is active; a retired DS
-- stays (the mdocs it signed carry it in their MSO's x5chain), a retired IACA stays published
-- while a DS it certified is unexpired.
create table credentials.mdoc_certificate (
  id text primary key,                     -- base64url SHA-256 of the DER certificate (x5t#S256)
  kind text not null check (kind in ('iaca', 'ds')),
  issuer_id text references credentials.mdoc_certificate (id),  -- a DS: the IACA that signed it
  status text not null check (status in ('active', 'retired')),
  certificate text not null,               -- DER, base64
  private_enc text not null,               -- the private JWK, sealed as platform.keys seals keys
  not_before timestamptz not null,
  not_after timestamptz not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
create unique index mdoc_certificate_active on credentials.mdoc_certificate (kind) where status = 'active';
create index mdoc_certificate_issuer on credentials.mdoc_certificate (issuer_id);
