-- A session's turn number: each process keeps the sessions it served in memory (sessions.ts) and
-- writes a turn only on top of the one it knows, so a conversation continued by another process
-- in between is read again instead of being overwritten.
alter table assistant.session add column turn integer not null default 1;
