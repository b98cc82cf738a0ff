import { Breadcrumb, DataTable, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { Csrf, describedBy, Errors, FormField, invalid, Lines, t, titleWith, When, type FieldError } from './pages-common.tsx';
import { consoleTrail, serviceName, servicePath, templatePath } from './pages-console.tsx';
import type { NotifyService } from './services.ts';
import { CATEGORIES, LANGS, type Channel, type Lang, type Rendered, type Template } from './templates.ts';

// The console's template editor (/console/notify/services/{id}/templates/new and /{templateId}):
// code, name, kind, and for Korean and English the texts of each channel; a preview with sample
// values, the checks' problems summarised against their fields, and the versions.

/** The fields of one language's texts in the editor (AlimTalk is registered with Kakao and kept as it is). */
export const VARIANT_FIELDS = [
  { channel: 'email', field: 'subject', max: 200, area: false },
  { channel: 'email', field: 'body', max: 20_000, area: true },
  { channel: 'sms', field: 'body', max: 2000, area: true },
  { channel: 'inbox', field: 'title', max: 200, area: false },
  { channel: 'inbox', field: 'body', max: 5000, area: true },
  { channel: 'inbox', field: 'url', max: 500, area: false },
  { channel: 'push', field: 'title', max: 100, area: false },
  { channel: 'push', field: 'body', max: 300, area: true },
  { channel: 'push', field: 'url', max: 500, area: false },
] as const;
export const EDITED_CHANNELS = ['email', 'sms', 'inbox', 'push'] as const;
export const fieldId = (lang: Lang, channel: string, field: string) => `${lang}-${channel}-${field}`;
const FIELD_KEY = { subject: 'field_subject', title: 'field_title', body: 'field_body', url: 'field_url' } as const;
/** A field's full name for the error summary: "한국어 문안 · 이메일 · 제목". */
export const fieldName = (ctx: PageContext, lang: Lang, channel: string, field?: string) =>
  [t(ctx, lang === 'ko' ? 'variant_ko' : 'variant_en'), channel ? t(ctx, `channel_${channel as Channel}`) : '', field ? t(ctx, FIELD_KEY[field as keyof typeof FIELD_KEY] ?? 'field_body') : ''].filter(Boolean).join(' · ');

/** The editor's fields as typed: by field id (`ko-email-subject`), with the code, name, category and sample values. */
export interface TemplateValues {
  code: string;
  name: string;
  category: string;
  fields: Record<string, string>;
  sample: string;
}

/** One channel of the preview: the rendered text, or what is missing, or why it cannot be sent. */
export interface PreviewItem {
  lang: Lang;
  channel: Channel;
  rendered?: Rendered;
  missing?: string[];
  error?: string;
}

export interface TemplateView {
  service: NotifyService;
  /** The template being changed; none for a new one. */
  template?: Template;
  versions: Array<{ version: number; createdBy: string; createdAt: Date }>;
  values: TemplateValues;
  errors: FieldError[];
  preview?: PreviewItem[];
  saved?: number;
}

function Preview({ ctx, items }: { ctx: PageContext; items: PreviewItem[] }) {
  return (
    <section class="hn-section" aria-labelledby="preview">
      <h2 id="preview">{t(ctx, 'preview_title')}</h2>
      <p>{t(ctx, 'preview_lead')}</p>
      {LANGS.map((lang) => (
        <section aria-labelledby={`preview-${lang}`}>
          <h3 id={`preview-${lang}`} class="hn-subtitle">
            {t(ctx, lang === 'ko' ? 'variant_ko' : 'variant_en')}
          </h3>
          {items
            .filter((i) => i.lang === lang)
            .map((i) => {
              const r = i.rendered;
              return (
                <div class="hn-facts">
                  <h4>{t(ctx, `channel_${i.channel}`)}</h4>
                  {i.missing ? <p>{t(ctx, 'preview_missing', { names: i.missing.join(', ') })}</p> : null}
                  {i.error ? <p>{t(ctx, 'preview_error', { reason: i.error })}</p> : null}
                  {r ? (
                    <dl>
                      {r.subject || r.title ? (
                        <div>
                          <dt>{t(ctx, r.subject ? 'field_subject' : 'field_title')}</dt>
                          <dd>{r.subject ?? r.title}</dd>
                        </div>
                      ) : null}
                      <div>
                        <dt>{t(ctx, 'field_body')}</dt>
                        <dd>
                          <Lines text={r.body} />
                        </dd>
                      </div>
                      {r.smsKind ? (
                        <div>
                          <dt>{t(ctx, 'preview_kind')}</dt>
                          <dd>{r.smsKind.toUpperCase()}</dd>
                        </div>
                      ) : null}
                      {r.url ? (
                        <div>
                          <dt>{t(ctx, 'field_url')}</dt>
                          <dd>
                            <code>{r.url}</code>
                          </dd>
                        </div>
                      ) : null}
                    </dl>
                  ) : null}
                </div>
              );
            })}
        </section>
      ))}
    </section>
  );
}

function VariantFields({ ctx, lang, v }: { ctx: PageContext; lang: Lang; v: TemplateView }) {
  const e = v.errors;
  return (
    <fieldset class="hn-fieldset">
      <legend class="hn-legend">{t(ctx, lang === 'ko' ? 'variant_ko' : 'variant_en')}</legend>
      {EDITED_CHANNELS.map((channel) => (
        <fieldset class="hn-fieldset">
          <legend class="hn-legend">{t(ctx, `channel_${channel}`)}</legend>
          {VARIANT_FIELDS.filter((f) => f.channel === channel).map((f) => {
            const id = fieldId(lang, f.channel, f.field);
            const hint = f.field === 'url' ? t(ctx, 'field_url_hint') : undefined;
            const common = { id, name: id, class: 'krds-input', maxLength: f.max, 'aria-invalid': invalid(id, e), 'aria-describedby': describedBy(id, e, hint ? `${id}-hint` : undefined) } as const;
            return (
              <FormField id={id} label={t(ctx, FIELD_KEY[f.field])} hint={hint} errors={e}>
                {f.area ? <textarea {...common} rows={f.field === 'body' && f.channel === 'email' ? 8 : 4}>{v.values.fields[id] ?? ''}</textarea> : <input type="text" {...common} autocomplete="off" value={v.values.fields[id] ?? ''} />}
              </FormField>
            );
          })}
        </fieldset>
      ))}
    </fieldset>
  );
}

export function renderTemplate(ctx: PageContext, v: TemplateView) {
  const tp = v.template;
  const title = tp ? t(ctx, 'template_title', { name: tp.name }) : t(ctx, 'template_new');
  const base = servicePath(v.service.id);
  const here = tp ? templatePath(v.service.id, tp.id) : `${base}/templates/new`;
  const e = v.errors;
  const val = v.values;
  const alimtalk = tp && LANGS.some((l) => tp.content[l].alimtalk);
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, e)}>
      <Breadcrumb ctx={ctx} trail={[...consoleTrail(ctx), { href: base, label: serviceName(ctx, v.service) }, { href: here, label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <StatusNotice text={v.saved ? t(ctx, 'template_done_saved', { version: v.saved }) : undefined} />
      <Errors ctx={ctx} errors={e} />
      {v.preview ? <Preview ctx={ctx} items={v.preview} /> : null}
      <form method="post" action={tp ? here : `${base}/templates`} class="hn-form hn-section" novalidate>
        <Csrf ctx={ctx} />
        {tp ? (
          <dl class="hn-facts">
            <div>
              <dt>{t(ctx, 'template_code')}</dt>
              <dd>
                <code>{tp.code}</code>
              </dd>
            </div>
          </dl>
        ) : (
          <FormField id="template-code" label={t(ctx, 'template_code')} hint={t(ctx, 'template_code_hint')} errors={e}>
            <input type="text" id="template-code" name="code" class="krds-input" maxLength={64} required autocomplete="off" spellcheck={false} value={val.code} aria-invalid={invalid('template-code', e)} aria-describedby={describedBy('template-code', e, 'template-code-hint')} />
          </FormField>
        )}
        <FormField id="template-name" label={t(ctx, 'template_name')} errors={e}>
          <input type="text" id="template-name" name="name" class="krds-input" maxLength={200} required autocomplete="off" value={val.name} aria-invalid={invalid('template-name', e)} aria-describedby={describedBy('template-name', e)} />
        </FormField>
        <FormField id="template-category" label={t(ctx, 'template_category')} hint={t(ctx, 'template_category_hint')} errors={e}>
          <select id="template-category" name="category" class="krds-form-select completed" aria-invalid={invalid('template-category', e)} aria-describedby={describedBy('template-category', e, 'template-category-hint')}>
            {CATEGORIES.map((c) => (
              <option value={c} selected={val.category === c}>
                {t(ctx, `category_${c}`)}
              </option>
            ))}
          </select>
        </FormField>
        <p class="form-hint">{t(ctx, 'variants_hint')}</p>
        {LANGS.map((lang) => (
          <VariantFields ctx={ctx} lang={lang} v={v} />
        ))}
        {alimtalk ? <p class="hn-notice">{t(ctx, 'alimtalk_kept')}</p> : null}
        <FormField id="sample" label={t(ctx, 'sample_label')} hint={t(ctx, 'sample_hint')} errors={e}>
          <textarea id="sample" name="sample" class="krds-input" rows={4} maxLength={5000} spellcheck={false} aria-invalid={invalid('sample', e)} aria-describedby={describedBy('sample', e, 'sample-hint')}>
            {val.sample}
          </textarea>
        </FormField>
        <div class="hn-actions hn-doc-links">
          <button type="submit" name="action" value="save" class="krds-btn primary medium">
            {t(ctx, 'save_button')}
          </button>
          <button type="submit" name="action" value="preview" class="krds-btn secondary medium">
            {t(ctx, 'preview_button')}
          </button>
        </div>
      </form>
      {tp ? (
        <section class="hn-section" aria-labelledby="versions">
          <h2 id="versions">{t(ctx, 'versions_title')}</h2>
          <DataTable captionId="versions" columns={[t(ctx, 'col_version'), t(ctx, 'col_created_by'), t(ctx, 'col_at')]}>
            {v.versions.map((x) => (
              <tr>
                <th scope="row">{x.version}</th>
                <td>
                  <code>{x.createdBy}</code>
                </td>
                <td>
                  <When at={x.createdAt} lang={ctx.lang} />
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </Layout>,
  );
}
