-- Notifications (docs/notify.md): agency services with their API keys, templates with versions,
-- one row per message and channel, the citizen's inbox (알림함), preferences and push
-- subscriptions. The queue itself is the platform outbox (one job per message, topic
-- `notify.<channel>`), claimed in batches by the notify lanes (lanes.ts).

-- an agency's sending service (GOV.UK Notify's "service"): who it is, how it sends, its limits
create table notify.service (
  id uuid primary key,
  agency text not null,                        -- MOHW
  name_ko text not null,
  name_en text not null,
  email_from text,                             -- display address; the platform's own when null
  email_reply_to text,
  sms_sender text,                             -- 발신번호 (pre-registered), e.g. 0215880000
  alimtalk_sender_key text,
  rate_limit_per_min integer not null default 3000 check (rate_limit_per_min > 0),
  daily_limits jsonb not null default '{"email": 250000, "sms": 250000, "push": 250000, "alimtalk": 250000, "inbox": 250000}',
  callback_url text,
  callback_token_enc text,                     -- bearer token sent with callbacks, and the HMAC key
  team jsonb not null default '[]',            -- addresses and numbers a team key may send to
  created_by text not null,
  created_at timestamptz not null default now(),
  archived_at timestamptz
);

create table notify.api_key (
  id uuid primary key,
  service_id uuid not null references notify.service (id),
  name text not null,
  kind text not null check (kind in ('test', 'team', 'live')),
  secret_enc text not null,                    -- HS256 needs the secret itself, so it is encrypted, not hashed
  created_by text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_key_service on notify.api_key (service_id);

-- a template's identity; its content is in versions. service_id null: the platform's own
-- templates, which modules send to citizens by code (mydata.new-reader, services.birth-benefits…)
create table notify.template (
  id uuid primary key,
  service_id uuid references notify.service (id),
  code text not null,
  name text not null,
  category text not null check (category in ('transactional', 'reminder', 'alert', 'urgent', 'emergency', 'advertising')),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);
create unique index template_code on notify.template (coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid), code);

-- immutable: a message names the version it was made from
create table notify.template_version (
  template_id uuid not null references notify.template (id),
  version integer not null,
  content jsonb not null,                      -- { ko: { email: {subject, body}, sms: {body, title?}, push: {...}, alimtalk: {...}, inbox: {...} }, en: {...} }
  placeholders text[] not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (template_id, version)
);

-- one message to one recipient over one channel
create table notify.notification (
  id uuid primary key,
  service_id uuid references notify.service (id),       -- null: sent by a platform module
  api_key_id uuid references notify.api_key (id),
  key_kind text not null check (key_kind in ('test', 'team', 'live', 'platform')),
  template_id uuid references notify.template (id),
  template_version integer,
  channel text not null check (channel in ('email', 'sms', 'push', 'alimtalk', 'inbox')),
  lang text not null check (lang in ('ko', 'en')),
  category text not null,
  citizen_id uuid,
  recipient_masked text not null,              -- h***@example.kr, 010-****-5678
  payload_enc text not null,                   -- recipient and rendered message (personal data): encrypted
  reference text,
  idempotency_key text,
  request_id text,                             -- a GovStack batch (requestUid)
  callback_url text,                           -- per request (GovStack); else the service's
  status text not null default 'created'
    check (status in ('created', 'sending', 'pending', 'sent', 'delivered', 'permanent-failure', 'temporary-failure', 'technical-failure', 'cancelled')),
  status_reason text,
  provider text,
  provider_ref text,
  send_after timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz not null default now()
);
create unique index notification_idempotency on notify.notification (coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid), idempotency_key) where idempotency_key is not null;
create index notification_service on notify.notification (service_id, created_at desc, id desc);
create index notification_citizen on notify.notification (citizen_id, created_at desc) where citizen_id is not null;
create index notification_request on notify.notification (request_id) where request_id is not null;
create index notification_provider_ref on notify.notification (provider, provider_ref) where provider_ref is not null;

-- messages sent today per service and channel, for the daily limits
create table notify.usage (
  service_id uuid not null references notify.service (id),
  day date not null,
  channel text not null,
  count integer not null,
  primary key (service_id, day, channel)
);

-- 알림함: every notice to a signed-in citizen, readable in the portal
create table notify.inbox (
  id uuid primary key,
  citizen_id uuid not null,
  notification_id uuid not null unique references notify.notification (id),
  title_enc text not null,
  body_enc text not null,
  url text,
  category text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index inbox_citizen on notify.inbox (citizen_id, created_at desc, id desc);

-- how a citizen wants to hear from government
create table notify.preference (
  citizen_id uuid primary key,
  channels text[] not null default '{inbox,email,sms}',  -- order of preference; the inbox always gets a copy
  lang text not null default 'ko' check (lang in ('ko', 'en')),
  quiet_start time not null default '21:00',
  quiet_end time not null default '08:00',
  opted_out text[] not null default '{}',                  -- categories
  updated_at timestamptz not null default now()
);

create table notify.push_subscription (
  id uuid primary key,
  citizen_id uuid not null,
  endpoint text not null unique,
  p256dh text not null,
  auth text not null,
  user_agent text,
  created_at timestamptz not null default now(),
  gone_at timestamptz
);
create index push_subscription_citizen on notify.push_subscription (citizen_id) where gone_at is null;

-- provider delivery receipts, applied once each
create table notify.receipt (
  provider text not null,
  provider_ref text not null,
  status text not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  primary key (provider, provider_ref, status)
);

-- demo mode only: what the local SMTP server and SMS/AlimTalk gateway received (/dev/mail, /dev/sms)
create table notify.captured (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('email', 'sms', 'alimtalk')),
  message_key text,                            -- Message-ID / grouping key: duplicates are visible
  recipient text not null,
  subject text,
  body text not null,
  raw text,
  received_at timestamptz not null default now()
);
create index captured_channel on notify.captured (channel, id desc);
