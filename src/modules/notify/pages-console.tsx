import { Breadcrumb, DataTable, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { Csrf, describedBy, Errors, FormField, invalid, PostButton, t, titleWith, When, type FieldError } from './pages-common.tsx';
import type { ApiKeyInfo, KeyKind, NotifyService } from './services.ts';
import { CHANNELS, type Template } from './templates.ts';

// The officials' console for notifications (agency administrators; a platform administrator sees
// every agency's): the agency's sending services (/console/notify), one service with its API keys
// and templates (/console/notify/services/{id}), and a new key shown once. The template editor is
// in pages-template.tsx.

export const servicesPath = '/console/notify';
export const servicePath = (id: string) => `/console/notify/services/${encodeURIComponent(id)}`;
export const templatePath = (serviceId: string, templateId: string) => `${servicePath(serviceId)}/templates/${encodeURIComponent(templateId)}`;

export const KEY_KINDS: KeyKind[] = ['test', 'team', 'live'];
export const serviceName = (ctx: PageContext, s: NotifyService) => (ctx.lang === 'en' ? s.name.en || s.name.ko : s.name.ko || s.name.en);
export const consoleTrail = (ctx: PageContext) => [
  { href: '/console', label: t(ctx, 'console') },
  { href: servicesPath, label: t(ctx, 'services_title') },
];

export function renderServices(ctx: PageContext, v: { services: NotifyService[] }) {
  const title = t(ctx, 'services_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={consoleTrail(ctx)} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'services_lead')}</p>
      <section class="hn-section" aria-labelledby="services">
        <h2 id="services">{t(ctx, 'col_service')}</h2>
        {v.services.length ? (
          <DataTable captionId="services" columns={[t(ctx, 'col_service'), t(ctx, 'col_agency'), t(ctx, 'col_email_from'), t(ctx, 'col_sms_sender'), t(ctx, 'col_created')]}>
            {v.services.map((s) => (
              <tr>
                <th scope="row">
                  <a href={servicePath(s.id)} class="hn-link">
                    {serviceName(ctx, s)}
                  </a>
                </th>
                <td>{s.agency}</td>
                <td>{s.emailFrom ?? '—'}</td>
                <td>{s.smsSender ?? '—'}</td>
                <td>
                  <When at={s.createdAt} lang={ctx.lang} />
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'services_none')}</p>
        )}
      </section>
    </Layout>,
  );
}

export interface ServiceView {
  service: NotifyService;
  keys: ApiKeyInfo[];
  templates: Template[];
  errors: FieldError[];
  values?: { name?: string; kind?: string };
  done?: 'revoked';
}

function Keys({ ctx, v }: { ctx: PageContext; v: ServiceView }) {
  const base = servicePath(v.service.id);
  const e = v.errors;
  return (
    <section class="hn-section" aria-labelledby="keys">
      <h2 id="keys">{t(ctx, 'keys_title')}</h2>
      <p>{t(ctx, 'keys_lead')}</p>
      {v.keys.length ? (
        <DataTable captionId="keys" columns={[t(ctx, 'col_name'), t(ctx, 'col_kind'), t(ctx, 'col_created'), t(ctx, 'col_created_by'), t(ctx, 'col_status'), t(ctx, 'col_action')]}>
          {v.keys.map((k) => (
            <tr>
              <th scope="row">{k.name}</th>
              <td>{t(ctx, `kind_${k.kind}`)}</td>
              <td>
                <When at={k.createdAt} lang={ctx.lang} />
              </td>
              <td>
                <code>{k.createdBy}</code>
              </td>
              <td>
                {k.revokedAt ? (
                  <>
                    <span class="krds-badge bg-light-danger">{t(ctx, 'key_revoked')}</span> <When at={k.revokedAt} lang={ctx.lang} />
                  </>
                ) : (
                  <span class="krds-badge bg-light-success">{t(ctx, 'key_active')}</span>
                )}
              </td>
              <td>{k.revokedAt ? '—' : <PostButton ctx={ctx} action={`${base}/keys/${encodeURIComponent(k.id)}/revoke`} label={t(ctx, 'key_revoke')} aria={t(ctx, 'key_revoke_label', { name: k.name })} />}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{t(ctx, 'keys_none')}</p>
      )}
      <h3 id="key-new" class="hn-subtitle">
        {t(ctx, 'key_new')}
      </h3>
      <form method="post" action={`${base}/keys`} class="hn-form" novalidate aria-labelledby="key-new">
        <Csrf ctx={ctx} />
        <FormField id="key-name" label={t(ctx, 'key_name')} hint={t(ctx, 'key_name_hint')} errors={e}>
          <input type="text" id="key-name" name="name" class="krds-input" maxLength={100} required autocomplete="off" value={v.values?.name ?? ''} aria-invalid={invalid('key-name', e)} aria-describedby={describedBy('key-name', e, 'key-name-hint')} />
        </FormField>
        <fieldset class="hn-fieldset" aria-describedby={invalid('key-kind-test', e) ? 'key-kind-test-error' : undefined}>
          <legend class="hn-legend">{t(ctx, 'key_kind')}</legend>
          {invalid('key-kind-test', e) ? (
            <p class="form-hint-invalid" id="key-kind-test-error">
              {t(ctx, 'error_key_kind')}
            </p>
          ) : null}
          <div class="krds-check-area chk-column">
            {KEY_KINDS.map((k) => (
              <div class="krds-form-check medium">
                <input type="radio" name="kind" id={`key-kind-${k}`} value={k} checked={(v.values?.kind ?? 'test') === k} aria-describedby={`key-kind-${k}-text`} />
                <label for={`key-kind-${k}`}>{t(ctx, `kind_${k}`)}</label>
                <div class="krds-form-check-cnt">
                  <p class="krds-form-check-p" id={`key-kind-${k}-text`}>
                    {t(ctx, `kind_${k}_text`)}
                  </p>
                </div>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="hn-actions">
          <button type="submit" class="krds-btn primary medium">
            {t(ctx, 'key_create')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Templates({ ctx, v }: { ctx: PageContext; v: ServiceView }) {
  return (
    <section class="hn-section" aria-labelledby="templates">
      <h2 id="templates">{t(ctx, 'templates_title')}</h2>
      <p>{t(ctx, 'templates_lead')}</p>
      <p class="hn-actions">
        <a href={`${servicePath(v.service.id)}/templates/new`} class="krds-btn secondary medium">
          {t(ctx, 'template_new')}
        </a>
      </p>
      {v.templates.length ? (
        <DataTable captionId="templates" columns={[t(ctx, 'col_code'), t(ctx, 'col_name'), t(ctx, 'col_category'), t(ctx, 'col_channels'), t(ctx, 'col_version'), t(ctx, 'col_updated')]}>
          {v.templates.map((tp) => (
            <tr>
              <th scope="row">
                <a href={templatePath(v.service.id, tp.id)} class="hn-link">
                  <code>{tp.code}</code>
                </a>
              </th>
              <td>{tp.name}</td>
              <td>{t(ctx, `category_${tp.category}`)}</td>
              <td>{CHANNELS.filter((c) => tp.content.ko[c]).map((c) => t(ctx, `channel_${c}`)).join(', ')}</td>
              <td>{tp.version}</td>
              <td>
                <When at={tp.updatedAt} lang={ctx.lang} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{t(ctx, 'templates_none')}</p>
      )}
    </section>
  );
}

export function renderService(ctx: PageContext, v: ServiceView) {
  const s = v.service;
  const title = serviceName(ctx, s);
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, v.errors)}>
      <Breadcrumb ctx={ctx} trail={[...consoleTrail(ctx), { href: servicePath(s.id), label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <StatusNotice text={v.done ? t(ctx, 'key_done_revoked') : undefined} />
      <Errors ctx={ctx} errors={v.errors} />
      <dl class="hn-facts" aria-label={t(ctx, 'service_facts')}>
        <div>
          <dt>{t(ctx, 'col_agency')}</dt>
          <dd>{s.agency}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_email_from')}</dt>
          <dd>{s.emailFrom ?? '—'}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_sms_sender')}</dt>
          <dd>{s.smsSender ?? '—'}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'rate_limit')}</dt>
          <dd>{t(ctx, 'per_minute', { n: s.rateLimitPerMin })}</dd>
        </div>
      </dl>
      <Keys ctx={ctx} v={v} />
      <Templates ctx={ctx} v={v} />
    </Layout>,
  );
}

/** A new API key, shown this once (the answer to the form's post; never in a URL or cookie). */
export function renderKeyMade(ctx: PageContext, v: { service: NotifyService; name: string; key: string }) {
  const title = t(ctx, 'key_made_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[...consoleTrail(ctx), { href: servicePath(v.service.id), label: serviceName(ctx, v.service) }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead" role="status">
        {t(ctx, 'key_made_lead', { name: v.name })}
      </p>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'key_made_label')}</dt>
          <dd>
            <code class="hn-secret">{v.key}</code>
          </dd>
        </div>
      </dl>
      <p>
        <a href={`${servicePath(v.service.id)}#keys`} class="krds-btn secondary medium">
          {t(ctx, 'back_to_service')}
        </a>
      </p>
    </Layout>,
  );
}
