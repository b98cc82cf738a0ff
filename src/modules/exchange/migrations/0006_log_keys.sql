-- The public key of every platform key that signed message-log entries, kept here for as long as
-- the log: the platform JWKS drops a retired key after its retention (`hanaro keys prune`), and
-- the entries it signed must still verify years later.
create table exchange.log_key (
  kid text primary key,
  public_jwk jsonb not null,
  first_used_at timestamptz not null default now()
);
