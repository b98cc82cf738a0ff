-- An access right whose basis is the citizen's consent (개인정보 보호법 제15조 제1항 제1호): the
-- mediator serves it only with a consent record id (X-Hanaro-Consent) that MyData confirms.
alter table exchange.access_right add column requires_consent boolean not null default false;
