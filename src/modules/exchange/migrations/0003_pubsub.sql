-- Pub/sub additions (GovStack IM pub/sub API): event types are deleted softly (subscriptions and
-- deliveries keep pointing at them, and a publisher may create the type again), subscriptions
-- keep their GovStack options (TTL, FIFO), events get the `sequence` number the API shows and
-- pulls follow, and a delivery stopped by the publisher or subscriber is 'cancelled'.

alter table exchange.event_type add column deleted_at timestamptz;

alter table exchange.subscription add column options jsonb not null default '{}'::jsonb;

alter table exchange.event add column sequence bigint generated always as identity;
create unique index event_sequence on exchange.event (sequence);

alter table exchange.delivery drop constraint delivery_status_check;
alter table exchange.delivery add constraint delivery_status_check
  check (status in ('pending', 'delivered', 'failed', 'cancelled'));
alter table exchange.delivery add column last_attempt_at timestamptz;
