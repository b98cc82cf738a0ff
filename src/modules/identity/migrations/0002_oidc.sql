-- The OpenID Provider's storage (oidc-adapter.ts): oidc-provider's models (sessions,
-- interactions, authorization codes, access and refresh tokens, grants, clients, …) as JSON, one
-- row per model instance, with the columns it looks them up by.
create table identity.oidc_payload (
  model text not null,
  id text not null,
  payload jsonb not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oidc_payload_grant on identity.oidc_payload (grant_id) where grant_id is not null;
create index oidc_payload_uid on identity.oidc_payload (uid) where uid is not null;
create index oidc_payload_user_code on identity.oidc_payload (user_code) where user_code is not null;
create index oidc_payload_expires on identity.oidc_payload (expires_at) where expires_at is not null;
