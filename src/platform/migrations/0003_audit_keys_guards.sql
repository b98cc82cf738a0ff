-- Guards for the audit log and the key store (platform/audit.ts, platform/keys.ts).

-- TRUNCATE fires no row trigger: without this one statement would empty the audit log, and an
-- empty log verifies as intact
create trigger audit_log_no_truncate before truncate on platform.audit_log
  for each statement execute function platform.audit_log_append_only();

-- at most one active key per algorithm and purpose, whatever two processes do at once
create unique index keys_one_active on platform.keys (alg, purpose) where status = 'active';
