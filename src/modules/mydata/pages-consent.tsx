import { Breadcrumb, DataTable, Layout, LinkCards, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { Agreement, ItemGroup, Mode } from './agreements.ts';
import type { ConsentRecord, ConsentState } from './consents.ts';
import {
  Csrf,
  describedBy,
  Errors,
  FieldErrorText,
  fieldLabel,
  inDays,
  invalid,
  itemsInWords,
  MyDataNav,
  nameIn,
  registryName,
  seoulDate,
  t,
  titleWith,
  When,
  type FieldError,
  type Registries,
} from './pages-common.tsx';
import type { ConsentRequest } from './transfers.ts';

// 동의 관리 (/mydata/consents), 데이터 보내기 (/mydata/send) and the consent screen, which serves
// both a recipient's consent request (/mydata/requests/{id}: agree or decline its fixed terms) and
// a transfer the citizen starts (/mydata/send/{agreementId}: items, mode and validity to choose).
// The screen says plainly who gets what, why, for how long, on what basis, and how to withdraw.

const STATE_BADGE: Record<ConsentState, string> = { given: 'bg-light-success', withdrawn: 'bg-light-gray', expired: 'bg-light-warning', fulfilled: 'bg-light-information' };

function ConsentStateBadge({ ctx, state }: { ctx: PageContext; state: ConsentState }) {
  return <span class={`krds-badge ${STATE_BADGE[state]}`}>{t(ctx, `state_${state}`)}</span>;
}

const modeText = (ctx: PageContext, mode: Mode, intervalDays: number | null) => (mode === 'once' ? t(ctx, 'mode_once') : t(ctx, 'mode_periodic_every', { every: inDays(ctx, intervalDays ?? 30) }));
const kindText = (ctx: PageContext, kind: 'agency' | 'third-party') => t(ctx, kind === 'agency' ? 'kind_agency' : 'kind_third_party');

function Lines({ lines }: { lines: string[] }) {
  return lines.length === 1 ? <>{lines[0]}</> : (
    <ul>
      {lines.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  );
}

export type ConsentsDone = 'given' | 'withdrawn' | 'not-active';

export function renderConsents(ctx: PageContext, v: { consents: ConsentRecord[]; regs: Registries; done?: ConsentsDone; doneConsent?: ConsentRecord }) {
  const title = t(ctx, 'consents_title');
  const who = v.doneConsent ? nameIn(v.doneConsent.recipient.name, ctx.lang) : '';
  const done = v.done === 'given' ? t(ctx, 'done_given', { recipient: who }) : v.done === 'withdrawn' ? t(ctx, 'done_withdrawn', { recipient: who }) : v.done === 'not-active' ? t(ctx, 'done_not_active') : undefined;
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, { href: '/mydata/consents', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'consents_lead')}</p>
      <MyDataNav ctx={ctx} current="/mydata/consents" />
      <StatusNotice text={done} />
      <p class="hn-actions">
        <a href="/mydata/send" class="krds-btn primary medium">
          {t(ctx, 'send')}
        </a>
      </p>
      <section class="hn-section" aria-labelledby="consents">
        <h2 id="consents">{t(ctx, 'consents_mine')}</h2>
        {v.consents.length ? (
          <DataTable
            captionId="consents"
            columns={[t(ctx, 'col_recipient_purpose'), t(ctx, 'col_items'), t(ctx, 'col_mode_validity'), t(ctx, 'col_state')]}
          >
            {v.consents.map((c) => {
              const recipient = nameIn(c.recipient.name, ctx.lang);
              const purpose = nameIn(c.purpose, ctx.lang);
              return (
                <tr id={`consent-${c.id}`}>
                  <th scope="row">
                    {recipient} <span class="hn-muted">({kindText(ctx, c.recipient.kind)})</span>
                    <br />
                    <span class="hn-muted">{purpose}</span>
                  </th>
                  <td>
                    <Lines lines={itemsInWords(v.regs, c.items, ctx.lang)} />
                  </td>
                  <td>
                    {modeText(ctx, c.mode, c.intervalDays)}
                    <br />
                    {t(ctx, 'valid_until')} <When iso={c.validUntil} lang={ctx.lang} />
                  </td>
                  <td>
                    <ConsentStateBadge ctx={ctx} state={c.state} />
                    {c.state === 'given' ? (
                      <form method="post" action={`/mydata/consents/${c.id}/withdraw`} class="hn-actions">
                        <Csrf ctx={ctx} />
                        <button type="submit" class="krds-btn tertiary small" aria-label={t(ctx, 'withdraw_label', { recipient, purpose })}>
                          {t(ctx, 'withdraw')}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        ) : (
          <p>{t(ctx, 'consents_none')}</p>
        )}
      </section>
    </Layout>,
  );
}

/** 데이터 보내기: the agreements of every recipient that takes new consents, agencies first. */
export function renderSend(ctx: PageContext, v: { agreements: Agreement[] }) {
  const title = t(ctx, 'send_title');
  const cards = (kind: 'agency' | 'third-party') =>
    v.agreements
      .filter((a) => a.recipient.kind === kind)
      .map((a) => ({
        href: `/mydata/send/${a.id}`,
        title: nameIn(a.recipient.name, ctx.lang),
        text: `${nameIn(a.purpose, ctx.lang)} (${a.modes.map((m) => t(ctx, m === 'once' ? 'mode_once' : 'mode_periodic')).join(', ')})`,
      }));
  const groups = [
    { id: 'agencies', key: 'send_agencies' as const, cards: cards('agency') },
    { id: 'third-parties', key: 'send_third_parties' as const, cards: cards('third-party') },
  ];
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, { href: '/mydata/consents', label: t(ctx, 'consents_title') }, { href: '/mydata/send', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'send_lead')}</p>
      <MyDataNav ctx={ctx} current="" />
      {groups.map((g) => (
        <section class="hn-section" aria-labelledby={g.id}>
          <h2 id={g.id}>{t(ctx, g.key)}</h2>
          {g.cards.length ? <LinkCards cards={g.cards} /> : <p>{t(ctx, 'send_none')}</p>}
        </section>
      ))}
    </Layout>,
  );
}

/** What the citizen chose on the send form (or the defaults), as posted. */
export interface ConsentChoice {
  /** `service:field` of each ticked item. */
  items: string[];
  mode: Mode;
  validityDays: string;
  intervalDays: string;
}

export const itemValue = (service: string, field: string) => `${service}:${field}`;

export interface ConsentScreen {
  agreement: Agreement;
  regs: Registries;
  /** A recipient's request (fixed terms, agree or decline); absent when the citizen sends on their own. */
  request?: ConsentRequest;
  choice?: ConsentChoice;
  errors: FieldError[];
}

function Terms({ ctx, v, items }: { ctx: PageContext; v: ConsentScreen; items: ItemGroup[] }) {
  const a = v.agreement;
  const r = v.request;
  const description = nameIn(a.description, ctx.lang);
  return (
    <section class="hn-section" aria-labelledby="terms">
      <h2 id="terms">{t(ctx, 'terms_title')}</h2>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'terms_who')}</dt>
          <dd>
            {nameIn(a.recipient.name, ctx.lang)} ({kindText(ctx, a.recipient.kind)})
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_why')}</dt>
          <dd>
            {nameIn(a.purpose, ctx.lang)}
            {description ? <p>{description}</p> : null}
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_what')}</dt>
          <dd>
            <Lines lines={itemsInWords(v.regs, items, ctx.lang)} />
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_how')}</dt>
          <dd>{r ? modeText(ctx, r.mode, r.intervalDays) : a.modes.map((m) => t(ctx, m === 'once' ? 'mode_once' : 'mode_periodic')).join(', ')}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_validity')}</dt>
          <dd>
            {r
              ? t(ctx, 'terms_validity_fixed', { days: inDays(ctx, r.validityDays), until: seoulDate(new Date(Date.now() + r.validityDays * 86_400_000).toISOString(), ctx.lang) })
              : t(ctx, 'terms_validity_max', { days: inDays(ctx, a.maxValidityDays) })}
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_retention')}</dt>
          <dd>{a.retentionDays > 0 ? t(ctx, 'terms_retention_text', { recipient: nameIn(a.recipient.name, ctx.lang), days: inDays(ctx, a.retentionDays) }) : t(ctx, 'terms_retention_none')}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_basis')}</dt>
          <dd>
            {t(ctx, `basis_${a.lawfulBasis}`)}
            {a.legalReference ? ` (${a.legalReference})` : ''}
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_withdraw')}</dt>
          <dd>
            {t(ctx, 'terms_withdraw_text')}{' '}
            <a href="/mydata/consents" class="hn-link">{t(ctx, 'consents_title')}</a>
          </dd>
        </div>
      </dl>
    </section>
  );
}

function SendForm({ ctx, v }: { ctx: PageContext; v: ConsentScreen }) {
  const a = v.agreement;
  const c = v.choice;
  const checked = (value: string) => (c ? c.items.includes(value) : true);
  const mode = c?.mode ?? a.modes[0] ?? 'once';
  const itemsError = v.errors.find((e) => e.href === '#item-0-0');
  return (
    <form method="post" action={`/mydata/send/${a.id}`} class="hn-form hn-section" novalidate>
      <Csrf ctx={ctx} />
      <h2 id="choose">{t(ctx, 'choose_title')}</h2>
      <fieldset class="hn-fieldset" aria-describedby={itemsError ? 'items-hint item-0-0-error' : 'items-hint'}>
        <legend class="hn-legend">{t(ctx, 'items_legend')}</legend>
        <p class="form-hint" id="items-hint">
          {t(ctx, 'items_hint')}
        </p>
        <FieldErrorText id="item-0-0" errors={v.errors} />
        {a.items.map((g, i) => (
          <fieldset class="hn-fieldset">
            <legend class="hn-legend">{registryName(v.regs, g.service, ctx.lang)}</legend>
            <div class="krds-check-area chk-column">
              {g.items.map((f, j) => (
                <div class="krds-form-check medium">
                  <input type="checkbox" name="items" id={`item-${i}-${j}`} value={itemValue(g.service, f)} checked={checked(itemValue(g.service, f))} />
                  <label for={`item-${i}-${j}`}>{fieldLabel(v.regs, g.service, f, ctx.lang)}</label>
                </div>
              ))}
            </div>
          </fieldset>
        ))}
      </fieldset>
      {a.modes.length > 1 ? (
        <fieldset class="hn-fieldset">
          <legend class="hn-legend">{t(ctx, 'mode_legend')}</legend>
          <FieldErrorText id="mode-once" errors={v.errors} />
          <div class="krds-check-area chk-column">
            {a.modes.map((m) => (
              <div class="krds-form-check medium">
                <input type="radio" name="mode" id={`mode-${m}`} value={m} checked={mode === m} aria-describedby={`mode-${m}-text`} />
                <label for={`mode-${m}`}>{t(ctx, m === 'once' ? 'mode_once' : 'mode_periodic')}</label>
                <div class="krds-form-check-cnt">
                  <p class="krds-form-check-p" id={`mode-${m}-text`}>
                    {t(ctx, m === 'once' ? 'mode_once_text' : 'mode_periodic_text')}
                  </p>
                </div>
              </div>
            ))}
          </div>
        </fieldset>
      ) : (
        <input type="hidden" name="mode" value={mode} />
      )}
      {a.modes.includes('periodic') ? (
        <div class="form-group">
          <div class="form-tit">
            <label for="interval-days">{t(ctx, 'interval_label')}</label>
          </div>
          <div class={`form-conts${invalid('interval-days', v.errors) ? ' is-error' : ''}`}>
            <input type="number" id="interval-days" name="intervalDays" class="krds-input" min={1} max={366} inputMode="numeric" value={c?.intervalDays ?? '30'} aria-invalid={invalid('interval-days', v.errors)} aria-describedby={describedBy('interval-days', v.errors, 'interval-days-hint')} />
          </div>
          <p class="form-hint" id="interval-days-hint">
            {t(ctx, 'interval_hint')}
          </p>
          <FieldErrorText id="interval-days" errors={v.errors} />
        </div>
      ) : null}
      <div class="form-group">
        <div class="form-tit">
          <label for="validity-days">{t(ctx, 'validity_label')}</label>
        </div>
        <div class={`form-conts${invalid('validity-days', v.errors) ? ' is-error' : ''}`}>
          <input type="number" id="validity-days" name="validityDays" class="krds-input" min={1} max={a.maxValidityDays} inputMode="numeric" required value={c?.validityDays ?? String(a.maxValidityDays)} aria-invalid={invalid('validity-days', v.errors)} aria-describedby={describedBy('validity-days', v.errors, 'validity-days-hint')} />
        </div>
        <p class="form-hint" id="validity-days-hint">
          {t(ctx, 'validity_hint', { max: a.maxValidityDays })}
        </p>
        <FieldErrorText id="validity-days" errors={v.errors} />
      </div>
      <div class="hn-actions hn-doc-links">
        <button type="submit" class="krds-btn primary medium">
          {t(ctx, 'agree_send')}
        </button>
        <a href="/mydata/send" class="krds-btn tertiary medium">
          {t(ctx, 'cancel')}
        </a>
      </div>
    </form>
  );
}

function AnswerForm({ ctx, request }: { ctx: PageContext; request: ConsentRequest }) {
  return (
    <form method="post" action={`/mydata/requests/${request.id}`} class="hn-section">
      <Csrf ctx={ctx} />
      <p>{t(ctx, 'request_question')}</p>
      <div class="hn-actions hn-doc-links">
        <button type="submit" name="answer" value="agree" class="krds-btn primary medium">
          {t(ctx, 'agree')}
        </button>
        <button type="submit" name="answer" value="decline" class="krds-btn secondary medium">
          {t(ctx, 'decline')}
        </button>
      </div>
    </form>
  );
}

export function renderConsentScreen(ctx: PageContext, v: ConsentScreen) {
  const recipient = nameIn(v.agreement.recipient.name, ctx.lang);
  const title = t(ctx, v.request ? 'request_title' : 'send_to_title', { recipient });
  const items = v.request?.items ?? v.agreement.items;
  const here = v.request ? `/mydata/requests/${v.request.id}` : `/mydata/send/${v.agreement.id}`;
  const trail = v.request
    ? [{ href: '/mydata/consents', label: t(ctx, 'consents_title') }, { href: here, label: title }]
    : [{ href: '/mydata/consents', label: t(ctx, 'consents_title') }, { href: '/mydata/send', label: t(ctx, 'send_title') }, { href: here, label: title }];
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, v.errors)}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, ...trail]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, v.request ? 'request_lead' : 'send_to_lead', { recipient })}</p>
      <Errors ctx={ctx} errors={v.errors} />
      <Terms ctx={ctx} v={v} items={items} />
      {v.request ? <AnswerForm ctx={ctx} request={v.request} /> : <SendForm ctx={ctx} v={v} />}
    </Layout>,
  );
}

/** A request that has been answered (or has lapsed): what became of it. */
export function renderRequestResult(ctx: PageContext, v: { request: ConsentRequest; agreement: Agreement; regs: Registries; justAnswered: boolean }) {
  const recipient = nameIn(v.agreement.recipient.name, ctx.lang);
  const title = t(ctx, 'request_title', { recipient });
  const status = v.request.status;
  const text = t(ctx, status === 'consented' ? 'request_consented' : status === 'declined' ? 'request_declined' : status === 'expired' ? 'request_expired' : 'request_pending', { recipient });
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, { href: '/mydata/consents', label: t(ctx, 'consents_title') }, { href: `/mydata/requests/${v.request.id}`, label: title }]} />
      <h1 class="hn-title">{title}</h1>
      {v.justAnswered ? <StatusNotice text={text} /> : <p class="hn-lead">{text}</p>}
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'terms_who')}</dt>
          <dd>{recipient}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_why')}</dt>
          <dd>{nameIn(v.agreement.purpose, ctx.lang)}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'terms_what')}</dt>
          <dd>
            <Lines lines={itemsInWords(v.regs, v.request.items ?? v.agreement.items, ctx.lang)} />
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'request_asked')}</dt>
          <dd>
            <When iso={v.request.createdAt} lang={ctx.lang} time />
          </dd>
        </div>
      </dl>
      <p class="hn-actions">
        <a href="/mydata/consents" class="krds-btn secondary medium">
          {t(ctx, 'consents_title')}
        </a>
      </p>
    </Layout>,
  );
}
