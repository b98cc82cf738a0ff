-- The personal-data access log is evidence for citizens (MyData's data tracker): a record once
-- written is never changed or removed by the application. Retention (deleting records past
-- their keeping period) is an operator's job done with the trigger disabled, in the open.
create function platform.data_access_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'platform.data_access is append-only' using errcode = 'HN002';
end $$;
create trigger data_access_append_only before update or delete on platform.data_access
  for each row execute function platform.data_access_append_only();
create trigger data_access_no_truncate before truncate on platform.data_access
  for each statement execute function platform.data_access_append_only();
