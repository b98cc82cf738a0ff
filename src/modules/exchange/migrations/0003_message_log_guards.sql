-- The message log is append-only like platform.audit_log: changing or removing an entry needs
-- someone who can switch the trigger off, and `hanaro exchange verify-log` still finds it
-- through the hash chain and the entry signatures.
create function exchange.message_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'exchange.message_log is append-only';
end $$;
create trigger message_log_append_only before update or delete on exchange.message_log
  for each row execute function exchange.message_log_append_only();
create trigger message_log_no_truncate before truncate on exchange.message_log
  for each statement execute function exchange.message_log_append_only();
