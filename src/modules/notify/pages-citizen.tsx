import { Breadcrumb, LANG_NAMES, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { OPTIONAL_CATEGORIES, OUTSIDE_CHANNELS, type InboxItem, type OutsideChannel } from './citizens.ts';
import { Csrf, describedBy, Errors, FieldErrorText, FormField, invalid, Lines, noticeLink, NotifyNav, PostButton, t, titleWith, When, type FieldError } from './pages-common.tsx';

// The citizen's notification pages: 알림함 (/notifications: every notice, newest first, unread ones
// marked in words, read one or all) and 알림 설정 (/notifications/settings: channels in order,
// language, quiet hours, opt-outs; the contacts the channels use; web push for this browser,
// which alone needs JavaScript: the island /notifications/push.js).

export const PUSH_SCRIPT = '/notifications/push.js';

export type InboxDone = 'read' | 'all-read';

export function renderInbox(ctx: PageContext, v: { items: InboxItem[]; unread: number; older?: string; done?: InboxDone }) {
  const title = t(ctx, 'inbox_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/notifications', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'inbox_lead')}</p>
      <NotifyNav ctx={ctx} current="/notifications" />
      <StatusNotice text={v.done ? t(ctx, v.done === 'all-read' ? 'inbox_done_all' : 'inbox_done_read') : undefined} />
      <section class="hn-section" aria-labelledby="inbox-list">
        <h2 id="inbox-list">{t(ctx, 'inbox_list')}</h2>
        <p>
          <strong>{t(ctx, 'inbox_unread', { n: v.unread })}</strong>
        </p>
        {v.unread ? (
          <div class="hn-actions">
            <PostButton ctx={ctx} action="/notifications/read-all" label={t(ctx, 'inbox_read_all')} aria={t(ctx, 'inbox_read_all')} />
          </div>
        ) : null}
        {v.items.length ? (
          <ol>
            {v.items.map((i) => {
              const link = noticeLink(i.url);
              return (
                <li>
                  <article class="hn-facts" aria-labelledby={`notice-${i.id}`}>
                    <h3 id={`notice-${i.id}`} class="hn-subtitle">
                      {i.readAt ? null : <span class="krds-badge bg-light-warning">{t(ctx, 'inbox_new')}</span>} {i.title}
                    </h3>
                    <p>
                      <When at={i.createdAt} lang={ctx.lang} />
                    </p>
                    <p>
                      <Lines text={i.body} />
                    </p>
                    {link || !i.readAt ? (
                      <div class="hn-doc-links">
                        {link ? (
                          <a href={link} class="hn-link" aria-label={t(ctx, 'inbox_open_label', { title: i.title })}>
                            {t(ctx, 'inbox_open')}
                          </a>
                        ) : null}
                        {i.readAt ? null : <PostButton ctx={ctx} action={`/notifications/${i.id}/read`} label={t(ctx, 'inbox_read')} aria={t(ctx, 'inbox_read_label', { title: i.title })} kind="tertiary" />}
                      </div>
                    ) : null}
                  </article>
                </li>
              );
            })}
          </ol>
        ) : (
          <p>{t(ctx, 'inbox_none')}</p>
        )}
        {v.older ? (
          <p class="hn-actions">
            <a href={`/notifications?before=${encodeURIComponent(v.older)}`} class="krds-btn secondary medium">
              {t(ctx, 'inbox_older')}
            </a>
          </p>
        ) : null}
      </section>
      <p class="hn-section">
        {t(ctx, 'inbox_settings')} <a href="/notifications/settings">{t(ctx, 'nav_settings')}</a>
      </p>
    </Layout>,
  );
}

/** The settings form as typed: each channel's place ('' when not used), and the rest as sent. */
export interface SettingsValues {
  order: Record<OutsideChannel, string>;
  lang: string;
  quietStart: string;
  quietEnd: string;
  optedOut: string[];
}

export interface SettingsView {
  values: SettingsValues;
  /** Whether the citizen has saved settings (else the defaults are shown). */
  saved: boolean;
  contacts: { email: string | null; phone: string | null };
  browsers: number;
  errors: FieldError[];
  done?: boolean;
}

const ORDER_KEYS = ['order_1', 'order_2', 'order_3', 'order_4'] as const;

function ChannelOrder({ ctx, v }: { ctx: PageContext; v: SettingsView }) {
  return (
    <fieldset class="hn-fieldset" aria-describedby="channels-hint">
      <legend class="hn-legend">{t(ctx, 'channels_legend')}</legend>
      <p class="form-hint" id="channels-hint">
        {t(ctx, 'channels_hint')}
      </p>
      {OUTSIDE_CHANNELS.map((c) => {
        const id = `order-${c}`;
        return (
          <FormField id={id} label={t(ctx, `channel_${c}`)} errors={v.errors}>
            <select id={id} name={id} class="krds-form-select completed" aria-invalid={invalid(id, v.errors)} aria-describedby={describedBy(id, v.errors)}>
              <option value="" selected={!v.values.order[c]}>
                {t(ctx, 'order_none')}
              </option>
              {ORDER_KEYS.map((k, n) => (
                <option value={String(n + 1)} selected={v.values.order[c] === String(n + 1)}>
                  {t(ctx, k)}
                </option>
              ))}
            </select>
          </FormField>
        );
      })}
    </fieldset>
  );
}

function Contacts({ ctx, v }: { ctx: PageContext; v: SettingsView }) {
  return (
    <section class="hn-section" aria-labelledby="contacts">
      <h2 id="contacts">{t(ctx, 'contacts_title')}</h2>
      <p>{t(ctx, 'contacts_lead')}</p>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'contact_email')}</dt>
          <dd>{v.contacts.email ?? t(ctx, 'none')}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'contact_phone')}</dt>
          <dd>{v.contacts.phone ?? t(ctx, 'none')}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'channel_push')}</dt>
          <dd>{t(ctx, 'push_count', { n: v.browsers })}</dd>
        </div>
      </dl>
      <p>
        <a href="/account#contacts" class="hn-link">
          {t(ctx, 'contacts_edit')}
        </a>
      </p>
    </section>
  );
}

/** Web push for this browser: the island shows the buttons where the browser can do it; without JavaScript a note says why there are none. */
function Push({ ctx }: { ctx: PageContext }) {
  return (
    <section class="hn-section" aria-labelledby="push">
      <h2 id="push">{t(ctx, 'push_title')}</h2>
      <p>{t(ctx, 'push_lead')}</p>
      <noscript>
        <p class="hn-notice">{t(ctx, 'push_no_js')}</p>
      </noscript>
      {/* plain wrappers carry `hidden`: KRDS's button classes set display, which would override it */}
      <div data-push-form hidden data-unsupported={t(ctx, 'push_unsupported')} data-on={t(ctx, 'push_on')} data-off={t(ctx, 'push_off')} data-working={t(ctx, 'push_working')} data-denied={t(ctx, 'push_denied')} data-error={t(ctx, 'push_error')}>
        <div data-push-when="off" hidden>
          <button type="button" class="krds-btn secondary medium" data-push="subscribe">
            {t(ctx, 'push_subscribe')}
          </button>
        </div>
        <div data-push-when="on" hidden>
          <button type="button" class="krds-btn tertiary medium" data-push="unsubscribe">
            {t(ctx, 'push_unsubscribe')}
          </button>
        </div>
      </div>
      <div id="push-status" role="status" aria-live="polite"></div>
      <script type="module" src={PUSH_SCRIPT}></script>
    </section>
  );
}

export function renderSettings(ctx: PageContext, v: SettingsView) {
  const title = t(ctx, 'settings_title');
  const e = v.errors;
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, e)}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/notifications', label: t(ctx, 'inbox_title') }, { href: '/notifications/settings', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'settings_lead')}</p>
      <NotifyNav ctx={ctx} current="/notifications/settings" />
      <StatusNotice text={v.done ? t(ctx, 'settings_done') : undefined} />
      <Errors ctx={ctx} errors={e} />
      {v.saved || e.length ? null : <p class="hn-notice">{t(ctx, 'settings_default')}</p>}
      <form method="post" action="/notifications/settings" class="hn-form" novalidate>
        <Csrf ctx={ctx} />
        <ChannelOrder ctx={ctx} v={v} />
        <fieldset class="hn-fieldset" aria-describedby={invalid('lang-ko', e) ? 'lang-ko-error' : undefined}>
          <legend class="hn-legend">{t(ctx, 'lang_legend')}</legend>
          <FieldErrorText id="lang-ko" errors={e} />
          <div class="krds-check-area chk-column">
            {(['ko', 'en'] as const).map((l) => (
              <div class="krds-form-check medium">
                <input type="radio" name="lang" id={`lang-${l}`} value={l} checked={v.values.lang === l} />
                <label for={`lang-${l}`} lang={l}>
                  {LANG_NAMES[l]}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset class="hn-fieldset" aria-describedby="quiet-hint">
          <legend class="hn-legend">{t(ctx, 'quiet_legend')}</legend>
          <p class="form-hint" id="quiet-hint">
            {t(ctx, 'quiet_hint')}
          </p>
          {(
            [
              ['quiet-start', 'quietStart', 'quiet_start'],
              ['quiet-end', 'quietEnd', 'quiet_end'],
            ] as const
          ).map(([id, name, label]) => (
            <FormField id={id} label={t(ctx, label)} errors={e}>
              <input type="text" id={id} name={name} class="krds-input" maxLength={5} autocomplete="off" spellcheck={false} value={v.values[name]} aria-invalid={invalid(id, e)} aria-describedby={describedBy(id, e)} />
            </FormField>
          ))}
        </fieldset>
        <fieldset class="hn-fieldset" aria-describedby={invalid('optout-reminder', e) ? 'optout-hint optout-reminder-error' : 'optout-hint'}>
          <legend class="hn-legend">{t(ctx, 'optout_legend')}</legend>
          <p class="form-hint" id="optout-hint">
            {t(ctx, 'optout_hint')}
          </p>
          <FieldErrorText id="optout-reminder" errors={e} />
          <div class="krds-check-area chk-column">
            {OPTIONAL_CATEGORIES.map((c) => (
              <div class="krds-form-check medium">
                <input type="checkbox" name="optedOut" id={`optout-${c}`} value={c} checked={v.values.optedOut.includes(c)} aria-describedby={`optout-${c}-text`} />
                <label for={`optout-${c}`}>{t(ctx, `category_${c}` as 'category_reminder')}</label>
                <div class="krds-form-check-cnt">
                  <p class="krds-form-check-p" id={`optout-${c}-text`}>
                    {t(ctx, `category_${c}_text` as 'category_reminder_text')}
                  </p>
                </div>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="hn-actions">
          <button type="submit" class="krds-btn primary medium">
            {t(ctx, 'settings_save')}
          </button>
        </div>
      </form>
      <Contacts ctx={ctx} v={v} />
      <Push ctx={ctx} />
    </Layout>,
  );
}
