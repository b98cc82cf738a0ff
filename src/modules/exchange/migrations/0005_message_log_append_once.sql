-- The message log's fast path (message-log.ts): a batch and its access records written in ONE
-- autocommitted statement, `with access as (insert …) select exchange.message_log_append_once(…)`,
-- one round trip and one commit. When the head is not the expected one (another process wrote
-- meanwhile) it raises SQLSTATE HN001 with the true head in DETAIL ("<seq> <hash>"), so that the
-- whole statement, access records included, is undone; the writer then takes the locked path
-- (message_log_append in a transaction), which cannot miss twice.
create function exchange.message_log_append_once(expected_seq bigint, expected_hash text, entries jsonb) returns bigint
language plpgsql volatile as $$
declare
  r record;
begin
  select * into r from exchange.message_log_append(expected_seq, expected_hash, entries);
  if not r.appended then
    raise exception 'the message log head moved' using errcode = 'HN001', detail = r.head_seq || ' ' || r.head_hash;
  end if;
  return r.head_seq;
end $$;
