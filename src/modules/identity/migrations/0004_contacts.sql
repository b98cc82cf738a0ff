-- Contact details a citizen gives for single sign-on (the email and phone scopes), encrypted at
-- rest (platform field encryption, context identity.account:<id>:<field>). Not verified yet:
-- released with email_verified / phone_number_verified false (docs/identity.md).
alter table identity.account add column email_enc text;
alter table identity.account add column phone_enc text;
alter table identity.account add column contacts_updated_at timestamptz;
