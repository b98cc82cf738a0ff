import type { ComponentChildren } from 'preact';
import { DATE_TIME_OPTIONS, type Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { ErrorSummary } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { AGENCIES, listRegistries, type RegistryInfo } from '../registries/index.ts';
import type { ItemGroup, Names } from './agreements.ts';
import { mydataText, type MydataKey } from './messages.ts';

// What the MyData pages share: the translator, dates in Asia/Seoul, values and item names in
// plain words (registry labels), the pages' own menu, and the form error pattern.

export const t = (ctx: Pick<PageContext, 'lang'>, key: MydataKey, params?: Record<string, string | number>) => mydataText(ctx.lang, key, params);

export const nameIn = (n: Names | undefined, lang: Lang): string => (n ? (lang === 'en' ? n.en || n.ko : n.ko || n.en) : '');

/** An agency's name from its member code (MOIS → 행정안전부), or the code. */
export const agencyName = (code: string, lang: Lang): string => nameIn(AGENCIES[code], lang) || code;

/** The registries by mediated service id (KR/GOV/MOIS/resident-registry/resident), for labels. */
export type Registries = Map<string, RegistryInfo>;
export async function registriesOf(platform: Platform): Promise<Registries> {
  return new Map((await listRegistries(platform)).map((r) => [r.serviceId, r]));
}

export const registryName = (regs: Registries, service: string, lang: Lang): string => nameIn(regs.get(service)?.name, lang) || service;
export const fieldLabel = (regs: Registries, service: string, field: string, lang: Lang): string =>
  nameIn(regs.get(service)?.fields.find((f) => f.name === field)?.label, lang) || field;

/** "국세 납세: 과세연도, 납부 세액(원)", one line per registry. */
export const itemsInWords = (regs: Registries, groups: ItemGroup[], lang: Lang): string[] =>
  groups.map((g) => `${registryName(regs, g.service, lang)}: ${g.items.map((i) => fieldLabel(regs, g.service, i, lang)).join(', ')}`);

const locale = (lang: Lang) => (lang === 'ko' ? 'ko-KR' : 'en-GB');
const DATE: Record<Lang, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat('ko-KR', { dateStyle: 'long', timeZone: 'Asia/Seoul' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Asia/Seoul' }),
};
const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat('ko-KR', DATE_TIME_OPTIONS),
  en: new Intl.DateTimeFormat('en-GB', DATE_TIME_OPTIONS),
};

/** A moment as a date (or date and time) in Asia/Seoul, machine-readable in `datetime`. */
export function When({ iso, lang, time = false }: { iso: string | null | undefined; lang: Lang; time?: boolean }) {
  if (!iso) return <>—</>;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <>{iso}</>;
  return <time dateTime={d.toISOString()}>{(time ? DATE_TIME : DATE)[lang].format(d)}</time>;
}
export const seoulDate = (iso: string, lang: Lang) => DATE[lang].format(new Date(iso));

/**
 * A registry value for people. Amounts get digit grouping; small numbers (years, counts) do not,
 * so that 2025 stays a year rather than "2,025".
 */
export function formatValue(ctx: Pick<PageContext, 'lang'>, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(ctx, v ? 'yes' : 'no');
  if (typeof v === 'number') return Math.abs(v) >= 10_000 ? new Intl.NumberFormat(locale(ctx.lang)).format(v) : String(v);
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(ctx, x)).join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A number of days in words: whole years as years ("5년", "5 years"), none as "not kept". */
export function inDays(ctx: Pick<PageContext, 'lang'>, days: number): string {
  if (days <= 0) return t(ctx, 'days_zero');
  if (days % 365 === 0) return t(ctx, days === 365 ? 'year_one' : 'years', { n: days / 365 });
  return t(ctx, days === 1 ? 'day_one' : 'days', { n: days });
}

/** The MyData pages' own menu, below the site's: the three citizen pages. */
export function MyDataNav({ ctx, current }: { ctx: PageContext; current: '/mydata' | '/mydata/consents' | '/mydata/access' | '' }) {
  const items: Array<{ href: '/mydata' | '/mydata/consents' | '/mydata/access'; key: MydataKey }> = [
    { href: '/mydata', key: 'nav_data' },
    { href: '/mydata/consents', key: 'nav_consents' },
    { href: '/mydata/access', key: 'nav_access' },
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

/** The page title with the KRDS/GOV.UK "error:" prefix when the form came back with errors. */
export const titleWith = (ctx: PageContext, title: string, errors: FieldError[]) => (errors.length ? `${t(ctx, 'error_prefix')}: ${title}` : title);

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
 * One KRDS form field: the label, the control (its `id` must be `id`), the hint and the error line.
 * The control itself is the caller's, with `aria-invalid` and `aria-describedby` from
 * {@link invalid} and {@link describedBy} (hint id: `<id>-hint`).
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

export const invalid = (id: string, errors: FieldError[]) => (errors.some((x) => x.href === `#${id}`) ? 'true' : undefined);
export const describedBy = (id: string, errors: FieldError[], hint?: string) =>
  [hint, errors.some((x) => x.href === `#${id}`) ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;

/**
 * components.tsx's TableBox for a table with many columns: on phones the table keeps a readable
 * width and the focusable box scrolls sideways (hn-wide), rather than every column being squeezed.
 */
export function WideTableBox({ captionId, children }: { captionId: string; children: ComponentChildren }) {
  return (
    <div class="krds-table-wrap scroll" tabindex={0} role="region" aria-labelledby={captionId}>
      <div class="krds-table-wrap hn-table hn-wide">{children}</div>
    </div>
  );
}

/** The form token, in every form. */
export const Csrf = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
