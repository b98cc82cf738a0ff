-- One-stop life-event applications (행복출산, 전입, 안심상속) and the back office's tasks
-- (docs/services.md, "One-stop applications"). An application fans out to one task per agency
-- part; each task is decided by an official of its agency, and an approval writes the change back
-- to that agency's registry.

-- The form data holds personal data (names, addresses): encrypted, context services.application:<id>.
create table services.application (
  id               uuid primary key,
  bundle           text not null check (bundle in ('birth', 'move', 'death')),
  applicant_id     uuid not null,
  -- the citizen the application is about (the applicant, or the deceased)
  subject_id       uuid not null,
  name             text not null,
  form_enc         text not null,
  documents        uuid[] not null default '{}',
  -- a double-submitted application is one: the same applicant, bundle and key answer the first
  idempotency_key  text not null,
  status           text not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'SENDBACK', 'REJECTED')),
  ended            boolean not null default false,
  created_at       timestamptz not null,
  registered_at    timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (applicant_id, bundle, idempotency_key)
);
create index application_applicant on services.application (applicant_id, registered_at desc);
create index application_registered on services.application (registered_at);

-- A part of an application for one agency. `waiting` parts open when the part they follow is
-- approved (the benefits of a birth follow its registration). `due_at` is the SLA; a part past it
-- is escalated (level 1 at the SLA, 2 at twice it).
create table services.task (
  id               uuid primary key,
  application_id   uuid not null references services.application (id),
  kind             text not null,
  agency           text not null,
  role             text not null default 'case-worker',
  after_kind       text,
  status           text not null check (status in ('waiting', 'open', 'sendback', 'approved', 'rejected', 'cancelled')),
  assignee_id      text,
  assignee_name    text,
  sla_hours        integer not null,
  due_at           timestamptz,
  escalation       integer not null default 0,
  note             text,
  result           jsonb,
  decided_by       text,
  decided_at       timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (application_id, kind)
);
create index task_queue on services.task (agency, role, status, due_at);
create index task_overdue on services.task (due_at) where status = 'open';
create index task_assignee on services.task (assignee_id) where assignee_id is not null;

-- The application's history as the applicant and officials see it (status tracking); the platform
-- audit log keeps the same steps hash-chained.
create table services.application_event (
  id               bigint generated always as identity primary key,
  application_id   uuid not null references services.application (id),
  task_id          uuid,
  kind             text not null,
  actor            text not null,
  note             text,
  at               timestamptz not null default now()
);
create index application_event_app on services.application_event (application_id, id);

-- Uploaded documents (POST /documents): bytes encrypted, context services.document:<id>.
create table services.document (
  id               uuid primary key,
  owner            text not null,
  file_name        text not null,
  media_type       text not null,
  size             integer not null,
  content_enc      text not null,
  created_at       timestamptz not null default now()
);
