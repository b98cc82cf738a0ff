-- Whom a registry's records are about, and how many records a subject may have there
-- (definitions.ts: SubjectKind). 'self': the resident registry (record id = citizen id);
-- 'citizen': every record names a resident; 'none': records about no one.
alter table registries.registry
  add column subject text not null default 'citizen' check (subject in ('self', 'citizen', 'none')),
  add column per_subject text not null default 'many' check (per_subject in ('one', 'many'));
