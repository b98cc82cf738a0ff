-- Information mediator (module exchange): the X-Road-style directory, access rights, client keys,
-- the signed hash-chained message log, and GovStack pub/sub.

create table exchange.member (
  instance text not null default 'KR',
  member_class text not null check (member_class in ('GOV', 'COM', 'NGO')),
  member_code text not null,
  name_ko text not null,
  name_en text not null,
  created_at timestamptz not null default now(),
  primary key (instance, member_class, member_code)
);

create table exchange.subsystem (
  instance text not null default 'KR',
  member_class text not null,
  member_code text not null,
  subsystem_code text not null,
  name_ko text not null default '',
  name_en text not null default '',
  created_at timestamptz not null default now(),
  primary key (instance, member_class, member_code, subsystem_code),
  foreign key (instance, member_class, member_code) references exchange.member
);

-- a REST service published by a provider subsystem
create table exchange.service (
  instance text not null default 'KR',
  member_class text not null,
  member_code text not null,
  subsystem_code text not null,
  service_code text not null,
  service_version text not null default 'v1',
  title_ko text not null default '',
  title_en text not null default '',
  provider text not null,             -- 'registry:<code>/<version>' (in-process) or an http(s) base URL
  openapi jsonb not null,             -- the service's OpenAPI description
  personal_data boolean not null default true,
  log_bodies boolean not null default false,
  timeout_ms int not null default 5000,
  is_disabled boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (instance, member_class, member_code, subsystem_code, service_code),
  foreign key (instance, member_class, member_code, subsystem_code) references exchange.subsystem
);

-- granted by the providing agency, per client subsystem and service; publishing grants nothing
create table exchange.access_right (
  id serial primary key,
  service_id text not null,           -- KR/GOV/MOIS/resident-registry/resident
  client_id text not null,            -- KR/GOV/MOHW/welfare-services
  granted_by text not null,
  granted_at timestamptz not null default now(),
  legal_basis text,                   -- e.g. '사회보장급여법 제19조'
  revoked_at timestamptz,
  revoked_by text
);
create unique index access_right_active on exchange.access_right (service_id, client_id) where revoked_at is null;
create index access_right_client on exchange.access_right (client_id) where revoked_at is null;

-- public keys of client subsystems; a request is signed with the private key the client holds
create table exchange.client_key (
  kid text primary key,
  client_id text not null,            -- KR/GOV/MOHW/welfare-services
  public_jwk jsonb not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index client_key_client on exchange.client_key (client_id);

-- the message log: one entry per exchange, hash-chained (seq order) and signed
create table exchange.message_log (
  seq bigint primary key,
  x_road_id text not null,
  at timestamptz not null,
  client_id text not null,
  service_id text not null,
  user_id text,                       -- X-Road-UserId: the citizen the request is about
  issue text,                         -- X-Road-Issue: case or purpose
  method text not null,
  path text not null,
  status int not null,
  error text,                         -- X-Road-Error type, if it failed
  request_hash text not null,
  response_hash text not null,
  request_signature text,             -- the client's RFC 9421 Signature header (evidence of who asked)
  request_body text,                  -- only where the service logs bodies
  response_body text,
  duration_ms real not null,
  prev_hash text not null,
  hash text not null,
  kid text not null,                  -- platform key that signed `hash`
  signature text not null
);
create index message_log_x_road_id on exchange.message_log (x_road_id);
create index message_log_client on exchange.message_log (client_id, seq);
create index message_log_service on exchange.message_log (service_id, seq);

-- pub/sub (GovStack IM): event types published by a provider subsystem, subscriptions, events
create table exchange.event_type (
  publisher_id text not null,         -- KR/GOV/MOIS/resident-registry
  event_type text not null,           -- birth-registered
  title_ko text not null default '',
  title_en text not null default '',
  schema jsonb,
  created_at timestamptz not null default now(),
  primary key (publisher_id, event_type)
);

create table exchange.subscription (
  id uuid primary key,
  publisher_id text not null,
  event_type text not null,
  subscriber_id text not null,        -- client subsystem
  mode text not null check (mode in ('push', 'pull')),
  push_url text,
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  foreign key (publisher_id, event_type) references exchange.event_type
);
create unique index subscription_active on exchange.subscription (publisher_id, event_type, subscriber_id) where deleted_at is null;

create table exchange.event (
  id uuid primary key,
  publisher_id text not null,
  event_type text not null,
  payload jsonb not null,
  published_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index event_type_time on exchange.event (publisher_id, event_type, published_at);

-- one row per (event, subscription): push attempts or pull confirmation
create table exchange.delivery (
  event_id uuid not null references exchange.event (id),
  subscription_id uuid not null references exchange.subscription (id),
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts int not null default 0,
  last_error text,
  delivered_at timestamptz,
  primary key (event_id, subscription_id)
);
create index delivery_pending on exchange.delivery (subscription_id) where status = 'pending';
