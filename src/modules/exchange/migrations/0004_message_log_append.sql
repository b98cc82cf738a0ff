-- Appending to the message log (message-log.ts) with the log's lock held for as short a time as
-- possible. The writer hashes and signs its batch in advance, continuing from the head it
-- expects; this function takes the lock, reads the true head (inside a volatile function each
-- statement sees a fresh snapshot, so after the lock), and inserts the batch only if the head is
-- the expected one. Otherwise it inserts nothing and returns the true head; the writer, still
-- holding the lock in the same transaction, re-hashes from it and calls again. Writers in several
-- processes thus form one gap-free chain, and the lock is held for one call and the commit.
-- 4621202611 is MESSAGE_LOG_LOCK in message-log.ts.
create function exchange.message_log_append(expected_seq bigint, expected_hash text, entries jsonb,
  out appended boolean, out head_seq bigint, out head_hash text)
language plpgsql volatile as $$
begin
  perform pg_advisory_xact_lock(4621202611);
  select m.seq, m.hash into head_seq, head_hash from exchange.message_log m order by m.seq desc limit 1;
  head_seq := coalesce(head_seq, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));
  appended := head_seq = expected_seq and head_hash = expected_hash;
  if not appended then
    return;
  end if;
  insert into exchange.message_log (seq, x_road_id, at, client_id, service_id, user_id, issue, method, path,
      status, error, request_hash, response_hash, request_signature, request_body, response_body, duration_ms,
      prev_hash, hash, kid, signature)
    select r.seq, r.x_road_id, r.at, r.client_id, r.service_id, r.user_id, r.issue, r.method, r.path, r.status, r.error,
      r.request_hash, r.response_hash, r.request_signature, r.request_body, r.response_body, r.duration_ms,
      r.prev_hash, r.hash, r.kid, r.signature
    from jsonb_to_recordset(entries) as r(seq bigint, x_road_id text, at timestamptz, client_id text,
      service_id text, user_id text, issue text, method text, path text, status int, error text, request_hash text,
      response_hash text, request_signature text, request_body text, response_body text, duration_ms real,
      prev_hash text, hash text, kid text, signature text)
    order by r.seq;
  select m.seq, m.hash into head_seq, head_hash from exchange.message_log m order by m.seq desc limit 1;
end $$;
