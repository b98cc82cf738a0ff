-- The personal-data access log (platform/access-log.ts): every read of a citizen's personal data,
-- by whom, which items, for what purpose and on what basis. MyData shows it to the citizen.
create table platform.data_access (
  id bigserial primary key,
  at timestamptz not null default now(),
  citizen_id text not null,
  reader text not null,               -- the client (KR/GOV/MOHW/welfare-services) or actor (official:42)
  institution text not null,          -- the reader's member code (MOHW)
  application text,                   -- the reading system or service, for people
  service text not null,              -- what was read (KR/GOV/MOIS/resident-registry/resident)
  items text[] not null,              -- the personal-data fields returned
  purpose text not null,
  legal_basis text,
  consent_id text,
  x_road_id text,
  channel text not null               -- exchange | registry-api | portal | …
);
create index data_access_citizen on platform.data_access (citizen_id, id);
