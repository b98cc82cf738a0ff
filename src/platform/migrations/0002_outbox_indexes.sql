-- The worker prunes done jobs by age and operators list dead letters by topic; without these
-- both would read the whole outbox, which is mostly done rows.
create index outbox_done on platform.outbox (done_at) where status = 'done';
create index outbox_dead on platform.outbox (topic, id) where status = 'dead';
