-- Officials (docs/identity.md): accounts of an agency with roles, enrolled with an invitation
-- code issued to the account (no RRN: the code is handed over by the agency that vouches for the
-- official), then signing in with passkeys like everyone else.
alter table identity.enrolment_code alter column citizen_id drop not null;
alter table identity.enrolment_code add column account_id uuid references identity.account;
alter table identity.enrolment_code add constraint enrolment_code_for_one check ((citizen_id is null) <> (account_id is null));
create index enrolment_code_account on identity.enrolment_code (account_id) where account_id is not null;
alter table identity.account add constraint account_official check (kind = 'citizen' or (display_name is not null and agency is not null));
create index account_agency on identity.account (agency) where kind = 'official';

-- sign-in failures by the account a passkey belongs to (per-account lockout) are counted in
-- identity.attempt under the key 'sign-in:account:<id>'
