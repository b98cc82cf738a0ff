import type { ComponentChildren } from 'preact';
import { formatDateTime, type Lang } from '../../platform/i18n.ts';
import { ErrorSummary } from '../../web/components.tsx';
import { safeReturn, type PageContext } from '../../web/context.ts';
import { notifyText, type NotifyKey } from './messages.ts';

// What the notification pages share: the translator, times in Asia/Seoul, the citizen pages' own
// menu, and the form pattern (error summary, fields with their hint and error line, form token).

export const t = (ctx: Pick<PageContext, 'lang'>, key: NotifyKey, params?: Record<string, string | number>) => notifyText(ctx.lang, key, params);

/** A moment as date and time in Asia/Seoul, machine-readable in `datetime`. */
export function When({ at, lang }: { at: Date | null | undefined; lang: Lang }) {
  if (!at || Number.isNaN(at.getTime())) return <>—</>;
  return <time dateTime={at.toISOString()}>{formatDateTime(at, lang)}</time>;
}

/** Text with line breaks kept, without a style of its own (the page's CSP allows no inline style). */
export function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((l, i) => (
        <>
          {i ? <br /> : null}
          {l}
        </>
      ))}
    </>
  );
}

/** A link a notice may carry: a page of this site or an http(s) address; anything else (javascript:) is dropped. */
export function noticeLink(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/')) {
    const path = safeReturn(url);
    return path === '/' && url !== '/' ? undefined : path;
  }
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** The citizen pages' own menu, below the site's: the inbox and the settings. */
export function NotifyNav({ ctx, current }: { ctx: PageContext; current: '/notifications' | '/notifications/settings' }) {
  const items: Array<{ href: typeof current; key: NotifyKey }> = [
    { href: '/notifications', key: 'nav_inbox' },
    { href: '/notifications/settings', key: 'nav_settings' },
  ];
  return (
    <nav aria-label={t(ctx, 'nav_label')}>
      <ul class="hn-doc-links">
        {items.map((i) => (
          <li>
            <a href={i.href} class={`krds-btn ${i.href === current ? 'secondary' : 'tertiary'} medium`} aria-current={i.href === current ? 'page' : undefined}>
              {t(ctx, i.key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A field error to show in the summary and beside its field: `href` is the field's id with '#'. */
export interface FieldError {
  href: string;
  text: string;
}

export function Errors({ ctx, errors }: { ctx: PageContext; errors: FieldError[] }) {
  return <ErrorSummary title={t(ctx, 'error_title')} errors={errors} />;
}

/** The page title with the "error:" prefix when the form came back with errors. */
export const titleWith = (ctx: PageContext, title: string, errors: FieldError[]) => (errors.length ? `${t(ctx, 'error_prefix')}: ${title}` : title);

export const invalid = (id: string, errors: FieldError[]) => (errors.some((x) => x.href === `#${id}`) ? 'true' : undefined);
export const describedBy = (id: string, errors: FieldError[], hint?: string) =>
  [hint, errors.some((x) => x.href === `#${id}`) ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;

/** The KRDS error line under a field (`form-hint-invalid`), when that field is in error. */
export function FieldErrorText({ id, errors }: { id: string; errors: FieldError[] }) {
  const e = errors.find((x) => x.href === `#${id}`);
  return e ? (
    <p class="form-hint-invalid" id={`${id}-error`}>
      {e.text}
    </p>
  ) : null;
}

/**
 * One KRDS form field: the label, the control (its `id` must be `id`, with `aria-invalid` and
 * `aria-describedby` from {@link invalid} and {@link describedBy}; hint id `<id>-hint`), the hint
 * and the error line.
 */
export function FormField({ id, label, hint, errors, children }: { id: string; label: string; hint?: string; errors: FieldError[]; children: ComponentChildren }) {
  return (
    <div class="form-group">
      <div class="form-tit">
        <label for={id}>{label}</label>
      </div>
      <div class={`form-conts${invalid(id, errors) ? ' is-error' : ''}`}>{children}</div>
      {hint ? (
        <p class="form-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldErrorText id={id} errors={errors} />
    </div>
  );
}

/** The form token, in every form. */
export const Csrf = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrfToken} />;

/** A one-button form (read, revoke): the visible words first in its accessible name (WCAG 2.5.3). */
export function PostButton({ ctx, action, label, aria, kind = 'secondary' }: { ctx: PageContext; action: string; label: string; aria: string; kind?: 'primary' | 'secondary' | 'tertiary' }) {
  return (
    <form method="post" action={action}>
      <Csrf ctx={ctx} />
      <button type="submit" class={`krds-btn ${kind} small`} aria-label={aria}>
        {label}
      </button>
    </form>
  );
}
