import { DataTable, ErrorSummary, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { messages, type MessageKey } from './messages.ts';
import type { Contacts } from './contacts.ts';
import type { Passkey } from './passkeys.ts';

// Sign-in, enrolment and account pages (KRDS markup). Everything reads without JavaScript; only
// the passkey ceremonies need it (the island /identity/passkeys.js), and say so in <noscript>.

const t = (ctx: Pick<PageContext, 'lang'>, key: MessageKey, params?: Record<string, string | number>) => messages(ctx.lang, key, params);
export const PASSKEY_SCRIPT = '/identity/passkeys.js';

function Notice({ ctx, done }: { ctx: PageContext; done?: MessageKey }) {
  return <StatusNotice text={done && t(ctx, done)} />;
}

function Errors({ ctx, errors }: { ctx: PageContext; errors: Array<{ href: string; key: MessageKey }> }) {
  return <ErrorSummary title={t(ctx, 'error_title')} errors={errors.map((e) => ({ href: e.href, text: t(ctx, e.key) }))} />;
}

/** The live region and error slot the passkey island writes to. */
function PasskeyStatus() {
  // empty (no box) until the island writes to it and gives it the notice style
  return <div id="passkey-status" role="status" aria-live="polite"></div>;
}

export function renderSignIn(ctx: PageContext, opts: { demoCitizens: boolean; done?: MessageKey; next?: string }) {
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'sign_in_title')}>
      <h1 class="hn-title">{t(ctx, 'sign_in_title')}</h1>
      <p class="hn-lead">{t(ctx, 'sign_in_lead')}</p>
      <Notice ctx={ctx} done={opts.done} />
      <section class="hn-section" aria-labelledby="passkey-sign-in">
        <h2 id="passkey-sign-in" class="hn-subtitle">
          {t(ctx, 'sign_in_button')}
        </h2>
        <noscript>
          <p class="hn-notice">{t(ctx, 'no_js')}</p>
        </noscript>
        {/* a plain wrapper carries `hidden`: KRDS's button and layout classes set display, which would override it */}
        <div data-passkey-form hidden>
          <div class="hn-actions">
            <button type="button" class="krds-btn primary large" data-passkey="sign-in" data-next={opts.next} data-working={t(ctx, 'working')} data-error={t(ctx, 'passkey_error')}>
              {t(ctx, 'sign_in_button')}
            </button>
          </div>
        </div>
        <PasskeyStatus />
      </section>
      <section class="hn-section" aria-labelledby="first-time">
        <h2 id="first-time" class="hn-subtitle">
          {t(ctx, 'first_time')}
        </h2>
        <p>{t(ctx, 'first_time_text')}</p>
        <p>
          <a href="/enrol" class="krds-btn secondary medium">
            {t(ctx, 'enrol_link')}
          </a>{' '}
          <a href="/enrol/mobile-id" class="krds-btn secondary medium">
            {t(ctx, 'enrol_mobile_id_link')}
          </a>
        </p>
        <p>
          <a href="/enrol/official">{t(ctx, 'enrol_official_link')}</a>
        </p>
      </section>
      {ctx.demo ? (
        <section class="hn-section" aria-labelledby="demo-sign-in">
          <h2 id="demo-sign-in" class="hn-subtitle">
            {t(ctx, 'demo_title')}
          </h2>
          <p class="hn-notice" role="note">
            {t(ctx, 'demo_text')}
          </p>
          {opts.demoCitizens ? (
            <form method="post" action="/dev/sign-in/resident" class="hn-form">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              {opts.next ? <input type="hidden" name="next" value={opts.next} /> : null}
              <div class="form-group">
                <div class="form-tit">
                  <label for="demo-citizen">{t(ctx, 'demo_citizen')}</label>
                </div>
                <div class="form-conts">
                  <input type="text" id="demo-citizen" name="citizen" class="krds-input" maxLength={36} autocomplete="off" spellcheck={false} />
                </div>
              </div>
              <div class="hn-actions">
                <button type="submit" class="krds-btn secondary medium">
                  {t(ctx, 'demo_button')}
                </button>
              </div>
            </form>
          ) : (
            <p>{t(ctx, 'demo_none')}</p>
          )}
        </section>
      ) : null}
      <script type="module" src={PASSKEY_SCRIPT}></script>
    </Layout>,
  );
}

export interface EnrolForm {
  code?: string;
  errors: Array<{ href: string; key: MessageKey }>;
  /** An official's invitation code (no RRN). */
  official?: boolean;
}

export function renderEnrol(ctx: PageContext, form: EnrolForm) {
  const heading = t(ctx, form.official ? 'enrol_official_title' : 'enrol_title');
  const title = form.errors.length ? `${t(ctx, 'error_prefix')}: ${heading}` : heading;
  const invalid = (id: string) => (form.errors.some((e) => e.href === `#${id}`) ? 'true' : undefined);
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <h1 class="hn-title">{heading}</h1>
      <p class="hn-lead">{t(ctx, form.official ? 'enrol_official_lead' : 'enrol_lead')}</p>
      <Errors ctx={ctx} errors={form.errors} />
      <form method="post" action={form.official ? '/enrol/official' : '/enrol'} class="hn-form hn-section" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <div class="form-group">
          <div class="form-tit">
            <label for="enrol-code">{t(ctx, form.official ? 'official_code' : 'code')}</label>
          </div>
          <div class="form-conts">
            <input type="text" id="enrol-code" name="code" class="krds-input" maxLength={20} autocomplete="one-time-code" spellcheck={false} value={form.code ?? ''} aria-describedby="enrol-code-hint" aria-invalid={invalid('enrol-code')} required />
          </div>
          <p class="form-hint" id="enrol-code-hint">
            {t(ctx, 'code_hint')}
          </p>
        </div>
        {form.official ? null : (
          <div class="form-group">
            <div class="form-tit">
              <label for="enrol-rrn">{t(ctx, 'rrn')}</label>
            </div>
            <div class="form-conts">
              <input type="password" id="enrol-rrn" name="rrn" class="krds-input" maxLength={14} inputmode="numeric" autocomplete="off" aria-describedby="enrol-rrn-hint" aria-invalid={invalid('enrol-rrn')} required />
            </div>
            <p class="form-hint" id="enrol-rrn-hint">
              {t(ctx, 'rrn_hint')}
            </p>
          </div>
        )}
        <div class="hn-actions">
          <button type="submit" class="krds-btn primary large">
            {t(ctx, 'enrol_button')}
          </button>
        </div>
      </form>
    </Layout>,
  );
}

const day = (iso: string | null, ctx: PageContext) => (iso ? iso.slice(0, 10) : t(ctx, 'never'));

/** The contact details form (citizens): what single sign-on may release under the email and phone scopes. */
function ContactsForm({ ctx, contacts, error }: { ctx: PageContext; contacts: Contacts; error?: 'email' | 'phone' }) {
  const invalid = (f: string) => (error === f ? 'true' : undefined);
  return (
    <section class="hn-section" aria-labelledby="contacts">
      <h2 id="contacts" class="hn-subtitle">
        {t(ctx, 'contacts')}
      </h2>
      <p>{t(ctx, 'contacts_lead')}</p>
      <Errors ctx={ctx} errors={error ? [{ href: `#contact-${error}`, key: error === 'email' ? 'contact_email_invalid' : 'contact_phone_invalid' }] : []} />
      <form method="post" action="/account/contacts" class="hn-form" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <div class="form-group">
          <div class="form-tit">
            <label for="contact-email">{t(ctx, 'contact_email')}</label>
          </div>
          <div class="form-conts">
            <input type="email" id="contact-email" name="email" class="krds-input" maxLength={254} autocomplete="email" value={contacts.email ?? ''} aria-invalid={invalid('email')} />
          </div>
        </div>
        <div class="form-group">
          <div class="form-tit">
            <label for="contact-phone">{t(ctx, 'contact_phone')}</label>
          </div>
          <div class="form-conts">
            <input type="tel" id="contact-phone" name="phone" class="krds-input" maxLength={20} autocomplete="tel" value={contacts.phone ?? ''} aria-describedby="contact-phone-hint" aria-invalid={invalid('phone')} />
          </div>
          <p class="form-hint" id="contact-phone-hint">
            {t(ctx, 'contact_phone_hint')}
          </p>
        </div>
        <div class="hn-actions">
          <button type="submit" class="krds-btn secondary medium">
            {t(ctx, 'contacts_save')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function renderAccount(
  ctx: PageContext,
  opts: { name: string; official: boolean; passkeys: Passkey[]; sessions: number; contacts?: Contacts; contactError?: 'email' | 'phone'; done?: MessageKey },
) {
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'account_title')}>
      <h1 class="hn-title">{t(ctx, 'account_title')}</h1>
      <p class="hn-lead">{t(ctx, 'account_lead', { name: opts.name })}</p>
      <Notice ctx={ctx} done={opts.done} />
      {opts.official ? (
        <p>
          <a href="/console" class="krds-btn secondary medium">
            {t(ctx, 'account_console')}
          </a>
        </p>
      ) : null}
      <section class="hn-section" aria-labelledby="passkeys">
        <h2 id="passkeys" class="hn-subtitle">
          {t(ctx, 'passkeys')}
        </h2>
        <p>{t(ctx, 'passkeys_lead')}</p>
        {opts.passkeys.length ? (
          <DataTable captionId="passkeys" columns={[t(ctx, 'passkey_name'), t(ctx, 'passkey_created'), t(ctx, 'passkey_last_used'), t(ctx, 'rename'), t(ctx, 'remove')]}>
              {opts.passkeys.map((p, i) => (
                <tr>
                  <th scope="row">{p.name}</th>
                  <td>{day(p.createdAt, ctx)}</td>
                  <td>{day(p.lastUsedAt, ctx)}</td>
                  <td>
                    <form method="post" action={`/account/passkeys/${encodeURIComponent(p.id)}/name`} class="hn-actions">
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <input type="text" id={`rename-${i}`} name="name" class="krds-input" maxLength={60} value={p.name} required aria-label={t(ctx, 'rename_label', { name: p.name })} />
                      <button type="submit" class="krds-btn tertiary small">
                        {t(ctx, 'rename')}
                      </button>
                    </form>
                  </td>
                  <td>
                    <form method="post" action={`/account/passkeys/${encodeURIComponent(p.id)}/delete`}>
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <button type="submit" class="krds-btn secondary small" aria-label={t(ctx, 'remove_label', { name: p.name })}>
                        {t(ctx, 'remove')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'no_passkeys')}</p>
        )}
        <noscript>
          <p class="hn-notice">{t(ctx, 'no_js')}</p>
        </noscript>
        <div data-passkey-form hidden>
          <div class="hn-form">
          <div class="form-group">
            <div class="form-tit">
              <label for="new-passkey-name">{t(ctx, 'new_passkey_name')}</label>
            </div>
            <div class="form-conts">
              <input type="text" id="new-passkey-name" class="krds-input" maxLength={60} aria-describedby="new-passkey-hint" />
            </div>
            <p class="form-hint" id="new-passkey-hint">
              {t(ctx, 'new_passkey_hint')}
            </p>
          </div>
          <div class="hn-actions">
            <button type="button" class="krds-btn primary medium" data-passkey="register" data-working={t(ctx, 'working')} data-error={t(ctx, 'passkey_error')}>
              {t(ctx, 'add_passkey')}
            </button>
          </div>
          </div>
        </div>
        <PasskeyStatus />
      </section>
      {opts.contacts ? <ContactsForm ctx={ctx} contacts={opts.contacts} error={opts.contactError} /> : null}
      <section class="hn-section" aria-labelledby="sessions">
        <h2 id="sessions" class="hn-subtitle">
          {t(ctx, 'sessions')}
        </h2>
        <p>{t(ctx, 'sessions_text', { count: opts.sessions })}</p>
        <div class="hn-actions">
          <form method="post" action="/sign-out">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="krds-btn secondary medium">
              {t(ctx, 'sign_out')}
            </button>
          </form>
          <form method="post" action="/sign-out/everywhere">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="krds-btn tertiary medium">
              {t(ctx, 'sign_out_everywhere')}
            </button>
          </form>
        </div>
      </section>
      <script type="module" src={PASSKEY_SCRIPT}></script>
    </Layout>,
  );
}

/** Step-up: confirm with a passkey before a sensitive action, then go on to `next`. */
export function renderStepUp(ctx: PageContext, opts: { next: string; hasPasskey: boolean }) {
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'step_up_title')}>
      <h1 class="hn-title">{t(ctx, 'step_up_title')}</h1>
      <p class="hn-lead">{t(ctx, 'step_up_lead')}</p>
      {opts.hasPasskey ? (
        <section class="hn-section" aria-labelledby="step-up">
          <h2 id="step-up" class="hn-subtitle">
            {t(ctx, 'step_up_button')}
          </h2>
          <noscript>
            <p class="hn-notice">{t(ctx, 'no_js')}</p>
          </noscript>
          <div data-passkey-form hidden>
            <div class="hn-actions">
              <button type="button" class="krds-btn primary large" data-passkey="sign-in" data-endpoint="/api/identity/reauthenticate" data-next={opts.next} data-working={t(ctx, 'working')} data-error={t(ctx, 'passkey_error')}>
                {t(ctx, 'step_up_button')}
              </button>
            </div>
          </div>
          <PasskeyStatus />
        </section>
      ) : (
        <p class="hn-notice" role="note">
          {t(ctx, 'step_up_no_passkey')} <a href="/account#passkeys">{t(ctx, 'account_title')}</a>
        </p>
      )}
      <script type="module" src={PASSKEY_SCRIPT}></script>
    </Layout>,
  );
}

export function renderConsent(ctx: PageContext, opts: { client: string; claims: string[]; uid: string; rrnLegalBasis?: string }) {
  // the `…_verified` flags go with their claim; the list names what is shared
  const shown = opts.claims.filter((c) => c !== 'sub' && !c.endsWith('_verified'));
  const action = `/oidc/interaction/${encodeURIComponent(opts.uid)}`;
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'consent_title')}>
      <h1 class="hn-title">{t(ctx, 'consent_title')}</h1>
      <p class="hn-lead">{t(ctx, 'consent_lead', { client: opts.client })}</p>
      <section class="hn-section" aria-labelledby="consent-claims">
        <h2 id="consent-claims" class="hn-subtitle">
          {t(ctx, 'consent_claims')}
        </h2>
        <ul>
          <li>{t(ctx, 'claim_sub')}</li>
          {shown.map((c) => (
            <li>{c === 'rrn' ? t(ctx, 'claim_rrn', { basis: opts.rrnLegalBasis ?? '' }) : t(ctx, `claim_${c}` as MessageKey)}</li>
          ))}
        </ul>
        {shown.length ? null : <p>{t(ctx, 'consent_none')}</p>}
        <p>{t(ctx, 'consent_log')}</p>
      </section>
      <div class="hn-actions">
        <form method="post" action={`${action}/confirm`}>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="krds-btn primary large">
            {t(ctx, 'consent_allow')}
          </button>
        </form>
        <form method="post" action={`${action}/abort`}>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="krds-btn secondary large">
            {t(ctx, 'consent_deny')}
          </button>
        </form>
      </div>
    </Layout>,
  );
}
