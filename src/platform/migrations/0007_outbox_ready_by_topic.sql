-- The ready index leads with the topic. Every claim names its topics, and a lane claims one:
-- with (topic, run_at, id) it reads its own jobs in order and stops at the batch size, where
-- (run_at, id) walked past every other topic's backlog. It also keeps the plan right when the
-- statistics are stale after a burst (a topic not seen when the queue was last analysed was
-- estimated at one row, and the claim sorted the whole queue on each call).
drop index platform.outbox_ready;
create index outbox_ready on platform.outbox (topic, run_at, id) where status in ('pending', 'running');
