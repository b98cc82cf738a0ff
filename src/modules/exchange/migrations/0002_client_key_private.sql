-- Private keys of client subsystems that sign in-process: the demo clients and Hanaro's own
-- modules calling through the mediator (mediatedCall, `hanaro exchange call`). Production clients
-- keep their private key themselves and only exchange.client_key (the public half) is stored.
-- private_enc is the private JWK sealed with platform.crypto.encrypt under the context
-- `exchange.client_key_private:<kid>`, so a sealed key copied to another row does not open.
create table exchange.client_key_private (
  kid text primary key references exchange.client_key (kid) on delete cascade,
  private_enc text not null,
  created_at timestamptz not null default now()
);
