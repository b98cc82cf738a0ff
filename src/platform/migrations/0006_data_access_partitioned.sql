-- The personal-data access log grows with every read of personal data (tens of millions of rows a
-- year for a country), so it becomes range-partitioned by month of `at` (UTC months): a month
-- can be detached and archived without touching the rest, and a time-bounded query reads only
-- its months. The records already written, their ids and the id sequence stay as they were.
--
-- Key: (citizen_id, at, id). It is the one index the table needs: a citizen's page (newest first,
-- optionally from/to) is a backward scan of it in each partition; id alone stays unique because it
-- comes from one sequence. It holds the citizen id so the table can be distributed by citizen
-- (Citus requires the distribution column in every unique key) and the partition key because
-- PostgreSQL requires that in every unique key of a partitioned table.

lock table platform.data_access in access exclusive mode;
alter table platform.data_access rename to data_access_unpartitioned;
alter table platform.data_access_unpartitioned rename constraint data_access_pkey to data_access_unpartitioned_pkey;
drop index platform.data_access_citizen;

create table platform.data_access (
  id bigint not null default nextval('platform.data_access_id_seq'),
  at timestamptz not null default now(),
  citizen_id text not null,
  reader text not null,
  institution text not null,
  application text,
  service text not null,
  items text[] not null,
  purpose text not null,
  legal_basis text,
  consent_id text,
  x_road_id text,
  channel text not null,
  constraint data_access_pkey primary key (citizen_id, at, id)
) partition by range (at);
-- the sequence would otherwise go with the old table
alter sequence platform.data_access_id_seq owned by platform.data_access.id;

-- append-only, as before (0005): row triggers on a partitioned table are cloned onto every
-- partition, present and future; TRUNCATE triggers are not, so each partition gets its own
create trigger data_access_append_only before update or delete on platform.data_access
  for each row execute function platform.data_access_append_only();
create trigger data_access_no_truncate before truncate on platform.data_access
  for each statement execute function platform.data_access_append_only();

-- catches what no month partition takes (a clock far off, a month not created in time), so an
-- insert never fails for want of a partition
create table platform.data_access_default partition of platform.data_access default;
create trigger data_access_no_truncate before truncate on platform.data_access_default
  for each statement execute function platform.data_access_append_only();

-- Creates the partition of the UTC month that contains `month` (platform.data_access_YYYY_MM).
-- Records of that month already in the default partition move into it: the default partition is
-- detached, the month created, its records copied and removed from the detached default (which
-- has no row triggers while detached), and the default attached again, all in the caller's
-- transaction. Returns null when the partition existed, otherwise the number of records moved.
-- Called by ensureAccessLogPartitions (platform/access-log.ts) under an advisory lock.
create function platform.data_access_add_partition(month date) returns bigint language plpgsql as $$
declare
  first date := date_trunc('month', month::timestamp)::date;
  lo timestamptz := first::timestamp at time zone 'UTC';
  hi timestamptz := (first + interval '1 month')::timestamp at time zone 'UTC';
  part text := 'data_access_' || to_char(first, 'YYYY_MM');
  strays boolean := false;
  moved bigint := 0;
begin
  if to_regclass(format('platform.%I', part)) is not null then
    return null;
  end if;
  if to_regclass('platform.data_access_default') is not null then
    perform 1 from platform.data_access_default where at >= lo and at < hi limit 1;
    strays := found;
  end if;
  if strays then
    alter table platform.data_access detach partition platform.data_access_default;
  end if;
  execute format('create table platform.%I partition of platform.data_access for values from (%L) to (%L)', part, lo, hi);
  execute format('create trigger data_access_no_truncate before truncate on platform.%I
    for each statement execute function platform.data_access_append_only()', part);
  if strays then
    execute format('insert into platform.%I select * from platform.data_access_default where at >= %L and at < %L', part, lo, hi);
    get diagnostics moved = row_count;
    delete from platform.data_access_default where at >= lo and at < hi;
    alter table platform.data_access attach partition platform.data_access_default default;
  end if;
  return moved;
end $$;

-- months of the records there are (at most five years back; older ones stay in the default
-- partition) up to three months ahead
do $$
declare
  this_month date := date_trunc('month', now() at time zone 'UTC')::date;
  m date;
begin
  select date_trunc('month', min(at) at time zone 'UTC')::date into m from platform.data_access_unpartitioned;
  m := greatest(least(coalesce(m, this_month), this_month), (this_month - interval '60 months')::date);
  while m <= this_month + interval '3 months' loop
    perform platform.data_access_add_partition(m);
    m := (m + interval '1 month')::date;
  end loop;
end $$;

insert into platform.data_access (id, at, citizen_id, reader, institution, application, service, items, purpose, legal_basis, consent_id, x_road_id, channel)
  select id, at, citizen_id, reader, institution, application, service, items, purpose, legal_basis, consent_id, x_road_id, channel
  from platform.data_access_unpartitioned;
drop table platform.data_access_unpartitioned;
