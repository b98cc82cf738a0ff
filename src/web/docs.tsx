import { render } from 'preact-render-to-string';
import type { Lang } from '../platform/i18n.ts';
import { platformMessages } from '../platform/messages.ts';
import { Breadcrumb, Layout } from './components.tsx';
import { t, type PageContext } from './context.ts';
import type { WebMessageKey } from './messages.ts';
import { type ApiGroup, type ApiOperation, type ApiReference, type DocsCtx, formatBytes, type MediaEntry, prettyJson, type SchemaField, type SchemaLink, text } from './openapi-model.ts';

// The API reference at /docs: the model made by openapi-model.ts from the app's OpenAPI document,
// rendered in ko or en on the server. Swagger UI stays
// available at /docs/explorer for trying calls; this page is the one that must read without
// JavaScript and pass the accessibility checks.


/**
 * Schemas are most of the page's weight and full of quotes, which Preact would write as `&quot;`
 * (six bytes each). Inside an element only `&` and `<` need escaping (`>` is done too, for the
 * reader of the source), so the JSON goes in with just those.
 */
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');


/**
 * A field name with line-break opportunities after `_`, `.` and `-` (one_click_unsubscribe_url):
 * a long name then wraps at its parts in a phone-wide column instead of widening the table.
 */
function breakable(name: string) {
  const parts = name.split(/(?<=[_.-])/);
  return parts.flatMap((p, i) => (i < parts.length - 1 ? [p, <wbr />] : [p]));
}

function JsonCode({ json }: { json: string }) {
  return <code dangerouslySetInnerHTML={{ __html: escapeText(json) }} />;
}

/** KRDS badge colours per method; the method is always written out, so colour is only a second cue. */
const METHOD_BADGE: Record<string, string> = {
  GET: 'bg-light-primary',
  POST: 'bg-light-success',
  PUT: 'bg-light-warning',
  PATCH: 'bg-light-point',
  DELETE: 'bg-light-danger',
};

function Method({ method }: { method: string }) {
  return <span class={`krds-badge hn-method ${METHOD_BADGE[method] ?? 'bg-light-gray'}`}>{method}</span>;
}

const IN_KEYS: Record<string, WebMessageKey> = {
  path: 'docs_in_path',
  query: 'docs_in_query',
  header: 'docs_in_header',
  cookie: 'docs_in_cookie',
};

function TypeCell({ ctx, field }: { ctx: DocsCtx; field: SchemaField }) {
  return (
    <td>
      <code>{field.type}</code>
      {field.constraints.length ? (
        <ul class="hn-constraints">
          {field.constraints.map((c) => (
            <li>
              {t(ctx, c.key)} <code>{c.value}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </td>
  );
}

/**
 * Parameters and body fields; KRDS data table with a (screen-reader) caption and header scopes.
 * On phones the location and required columns give way to a line under the name (see hanaro.css),
 * so the table fits 320 px without scrolling sideways.
 */
function FieldTable({ ctx, caption, fields, showIn }: { ctx: DocsCtx; caption: string; fields: SchemaField[]; showIn: boolean }) {
  return (
    <div class="krds-table-wrap hn-table">
      <table class="tbl col data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(ctx, 'docs_col_name')}</th>
            {showIn ? (
              <th scope="col" class="hn-col-meta">
                {t(ctx, 'docs_col_in')}
              </th>
            ) : null}
            <th scope="col" class="hn-col-meta">
              {t(ctx, 'docs_col_required')}
            </th>
            <th scope="col">{t(ctx, 'docs_col_type')}</th>
            <th scope="col">{t(ctx, 'docs_col_description')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const where = f.in ? (IN_KEYS[f.in] ? t(ctx, IN_KEYS[f.in]!) : f.in) : '';
            const required = t(ctx, f.required ? 'docs_required' : 'docs_optional');
            return (
              <tr>
                <th scope="row">
                  <code>{breakable(f.name)}</code>
                  <span class="hn-field-meta">{showIn && where ? `${t(ctx, 'docs_in_cell', { where })} · ${required}` : required}</span>
                </th>
                {showIn ? <td class="hn-col-meta">{where}</td> : null}
                <td class="hn-col-meta">{required}</td>
                <TypeCell ctx={ctx} field={f} />
                <td>{f.description ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SchemaRefs({ ctx, refs }: { ctx: DocsCtx; refs: SchemaLink[] }) {
  if (!refs.length) return null;
  return (
    <p class="hn-refs">
      {t(ctx, 'docs_refs')}{' '}
      {refs.map((r, i) => (
        <>
          {i ? ', ' : null}
          <a href={`#${r.id}`}>
            <code>{r.name}</code>
          </a>
        </>
      ))}
    </p>
  );
}

/** A JSON schema behind a native disclosure (works without JavaScript), styled as KRDS's. */
function SchemaDisclosure({ ctx, label, media }: { ctx: DocsCtx; label: string; media: MediaEntry }) {
  if (media.json === undefined) return null;
  return (
    <details class="krds-disclosure hn-disclosure">
      <summary class="btn-conts-expand">{label}</summary>
      <div class="expand-wrap">
        <div class="expand-in">
          <pre class="hn-code">
            <JsonCode json={media.json} />
          </pre>
          <SchemaRefs ctx={ctx} refs={media.refs} />
        </div>
      </div>
    </details>
  );
}

function Operation({ ctx, op }: { ctx: DocsCtx; op: ApiOperation }) {
  const name = `${op.method} ${op.path}`;
  return (
    <article class="hn-op" id={op.id}>
      <h3 class="hn-op-title">
        <Method method={op.method} /> <code class="hn-path">{op.path}</code>
        {op.deprecated ? (
          <>
            {' '}
            <span class="krds-badge bg-light-danger">{t(ctx, 'docs_deprecated')}</span>
          </>
        ) : null}
      </h3>
      {op.summary ? <p class="hn-op-summary">{op.summary}</p> : null}
      {op.description ? <p class="hn-op-text">{op.description}</p> : null}
      {op.parameters.length ? (
        <>
          <h4 class="hn-op-part">{t(ctx, 'docs_parameters')}</h4>
          <FieldTable ctx={ctx} caption={t(ctx, 'docs_params_caption', { op: name })} fields={op.parameters} showIn />
        </>
      ) : null}
      {op.body ? (
        <>
          <h4 class="hn-op-part">{t(ctx, 'docs_request_body')}</h4>
          {op.body.description ? <p class="hn-op-text">{op.body.description}</p> : null}
          <p>
            {t(ctx, op.body.required ? 'docs_body_required' : 'docs_body_optional')}{' '}
            {op.body.media.length ? (
              <>
                {t(ctx, 'docs_content_type')}:{' '}
                {op.body.media.map((m, i) => (
                  <>
                    {i ? ', ' : null}
                    <code>{m.type}</code>
                  </>
                ))}
              </>
            ) : null}
          </p>
          {op.body.fields.length ? (
            <FieldTable ctx={ctx} caption={t(ctx, 'docs_body_caption', { op: name })} fields={op.body.fields} showIn={false} />
          ) : null}
          {op.body.media.map((m) => (
            <SchemaDisclosure ctx={ctx} media={m} label={t(ctx, 'docs_schema_body', { type: m.type })} />
          ))}
        </>
      ) : null}
      <h4 class="hn-op-part">{t(ctx, 'docs_responses')}</h4>
      <dl class="hn-responses">
        {op.responses.map((r) => (
          <div>
            <dt>
              <code>{r.status === 'default' ? t(ctx, 'docs_status_default') : r.status}</code>
              {r.reason ? ` ${r.reason}` : null}
            </dt>
            <dd>
              {r.description ? <p>{r.description}</p> : null}
              {r.media.length ? (
                r.media.map((m) => (
                  <>
                    <p>
                      {t(ctx, 'docs_content_type')}: <code>{m.type}</code>
                    </p>
                    <SchemaDisclosure ctx={ctx} media={m} label={t(ctx, 'docs_schema_response', { status: r.status, type: m.type })} />
                  </>
                ))
              ) : (
                <p>{t(ctx, 'docs_no_body')}</p>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

const ERROR_ROWS: Array<{ status: number; codes: string[]; when: WebMessageKey }> = [
  { status: 400, codes: ['validation_failed'], when: 'docs_err_validation_failed' },
  { status: 400, codes: ['malformed_json'], when: 'docs_err_malformed_json' },
  { status: 401, codes: ['unauthorized'], when: 'docs_err_unauthorized' },
  { status: 403, codes: ['forbidden', 'csrf_invalid'], when: 'docs_err_forbidden' },
  { status: 404, codes: ['not_found'], when: 'docs_err_not_found' },
  { status: 409, codes: ['conflict'], when: 'docs_err_conflict' },
  { status: 413, codes: ['payload_too_large'], when: 'docs_err_payload_too_large' },
  { status: 415, codes: ['unsupported_media_type'], when: 'docs_err_unsupported_media_type' },
  { status: 429, codes: ['rate_limited'], when: 'docs_err_rate_limited' },
  { status: 500, codes: ['internal_error'], when: 'docs_err_internal_error' },
];

function problemExample(ctx: DocsCtx): string {
  return prettyJson({
    type: 'urn:hanaro:problem:validation_failed',
    title: platformMessages(ctx.lang, 'validation_failed'),
    status: 400,
    code: 'validation_failed',
    instance: '/api/example/items',
    requestId: '6e19ce88-e62c-40bc-894f-e27d128afc4f',
    errors: [{ path: 'body/count', message: 'Too small: expected number to be >=0' }],
  });
}

function Conventions({ ctx, api }: { ctx: DocsCtx; api: ApiReference }) {
  return (
    <section class="hn-section" aria-labelledby="docs-conventions">
      <h2 id="docs-conventions">{t(ctx, 'docs_conventions_title')}</h2>
      <ul class="krds-info-list decimal">
        <li>{t(ctx, 'docs_conv_paths')}</li>
        <li>{t(ctx, 'docs_conv_json')}</li>
        <li>{t(ctx, 'docs_conv_limit', { limit: formatBytes(api.bodyLimit) })}</li>
        <li>{t(ctx, 'docs_conv_request_id')}</li>
        <li>{t(ctx, 'docs_conv_lang')}</li>
        <li>{t(ctx, 'docs_conv_rate')}</li>
      </ul>
      <h3 class="hn-subtitle" id="docs-errors">
        {t(ctx, 'docs_errors_title')}
      </h3>
      <p class="hn-api-text">{t(ctx, 'docs_errors_text')}</p>
      <p class="hn-api-text">
        <a href="https://www.rfc-editor.org/rfc/rfc9457" hreflang="en">
          {t(ctx, 'docs_rfc_link')}
        </a>
      </p>
      <p class="hn-code-label">{t(ctx, 'docs_errors_example')}</p>
      <pre class="hn-code hn-code-block">
        <JsonCode json={problemExample(ctx)} />
      </pre>
      <div class="krds-table-wrap hn-table">
        <table class="tbl col data">
          <caption>{t(ctx, 'docs_errors_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t(ctx, 'docs_col_status')}</th>
              <th scope="col">{t(ctx, 'docs_col_code')}</th>
              <th scope="col">{t(ctx, 'docs_col_when')}</th>
            </tr>
          </thead>
          <tbody>
            {ERROR_ROWS.map((row) => (
              <tr>
                <th scope="row">{row.status}</th>
                <td>
                  {row.codes.map((c, i) => (
                    <>
                      {i ? ', ' : null}
                      <code>{c}</code>
                    </>
                  ))}
                </td>
                <td>{t(ctx, row.when)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const groupName = (ctx: DocsCtx, g: ApiGroup) => g.name ?? t(ctx, 'docs_group_other');

function Contents({ ctx, api }: { ctx: DocsCtx; api: ApiReference }) {
  return (
    <nav class="hn-section hn-toc" aria-labelledby="docs-contents">
      <h2 id="docs-contents">{t(ctx, 'docs_contents')}</h2>
      <ul class="hn-toc-groups">
        <li>
          <a href="#docs-conventions">{t(ctx, 'docs_conventions_title')}</a>
        </li>
        {api.groups.map((g) => (
          <li>
            <a href={`#${g.id}`}>{groupName(ctx, g)}</a> <span class="hn-count">({t(ctx, 'docs_count', { n: g.operations.length })})</span>
            <ul class="hn-toc-ops">
              {g.operations.map((op) => (
                <li>
                  <a href={`#${op.id}`}>
                    <span class="hn-toc-method">{op.method}</span> <code>{op.path}</code>
                  </a>
                  {op.summary ? <span class="hn-toc-summary"> {op.summary}</span> : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
        {api.schemas.length ? (
          <li>
            <a href="#docs-schemas">{t(ctx, 'docs_schemas_title')}</a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

function DocsContent({ ctx, api }: { ctx: DocsCtx; api: ApiReference }) {
  return (
    <>
      <Breadcrumb ctx={ctx} trail={[{ href: '/docs', label: t(ctx, 'docs_title') }]} />
      <h1 class="hn-title">{t(ctx, 'docs_title')}</h1>
      <p class="hn-lead">{t(ctx, 'docs_lead')}</p>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'docs_base_url')}</dt>
          <dd>
            <code>{api.baseUrl}</code>
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'docs_api_version')}</dt>
          <dd>
            {api.title} {api.version} (OpenAPI {api.openapi})
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'docs_operation_count')}</dt>
          <dd>{t(ctx, 'docs_count', { n: api.operationCount })}</dd>
        </div>
      </dl>
      <p class="hn-api-text">
        {t(ctx, 'docs_errors_intro')} <a href="#docs-conventions">{t(ctx, 'docs_conventions_link')}</a>
      </p>
      <ul class="hn-doc-links">
        <li>
          <a href="/openapi.json" download="hanaro-openapi.json" class="krds-btn secondary medium">
            {t(ctx, 'docs_download')}
          </a>
        </li>
        <li>
          <a href="/docs/explorer" class="krds-btn tertiary medium">
            {t(ctx, 'docs_explorer')}
          </a>
        </li>
      </ul>
      <p class="hn-api-text hn-muted">{t(ctx, 'docs_explorer_note')}</p>
      <Contents ctx={ctx} api={api} />
      <Conventions ctx={ctx} api={api} />
      {api.groups.length ? null : <p class="hn-section">{t(ctx, 'docs_none')}</p>}
      {api.groups.map((g) => (
        <section class="hn-section hn-api-group">
          <h2 id={g.id}>{groupName(ctx, g)}</h2>
          {g.description ? <p class="hn-op-text">{g.description}</p> : null}
          {g.operations.map((op) => (
            <Operation ctx={ctx} op={op} />
          ))}
          <p class="hn-to-contents">
            <a href="#docs-contents">{t(ctx, 'docs_to_contents')}</a>
          </p>
        </section>
      ))}
      {api.schemas.length ? (
        <section class="hn-section hn-api-group">
          <h2 id="docs-schemas">{t(ctx, 'docs_schemas_title')}</h2>
          <p>{t(ctx, 'docs_schemas_text')}</p>
          {api.schemas.map((s) => (
            <article class="hn-op" id={s.id}>
              <h3 class="hn-op-title">
                <code class="hn-path">{s.name}</code>
              </h3>
              <pre class="hn-code hn-code-block">
                <JsonCode json={s.json} />
              </pre>
              <SchemaRefs ctx={ctx} refs={s.refs} />
            </article>
          ))}
          <p class="hn-to-contents">
            <a href="#docs-contents">{t(ctx, 'docs_to_contents')}</a>
          </p>
        </section>
      ) : null}
    </>
  );
}

/** The content, per reference and language: it depends on nothing else, so it is rendered once. */
const rendered = new WeakMap<ApiReference, Map<Lang, string>>();

function docsContent(lang: Lang, api: ApiReference): string {
  let byLang = rendered.get(api);
  if (!byLang) rendered.set(api, (byLang = new Map()));
  let html = byLang.get(lang);
  if (html === undefined) {
    html = render(<DocsContent ctx={{ lang }} api={api} />);
    byLang.set(lang, html);
  }
  return html;
}

/**
 * The page around the cached content: with hundreds of operations the content is megabytes of
 * HTML that take a few hundred milliseconds to render, while the layout (contrast, language
 * links) differs per variant and costs next to nothing. The whole page is then cached per
 * variant by the portal's page cache (page-cache.ts).
 */
export function DocsPage({ ctx, api }: { ctx: PageContext; api: ApiReference }) {
  return (
    <Layout ctx={ctx} title={t(ctx, 'docs_title')}>
      <div class="hn-docs" dangerouslySetInnerHTML={{ __html: docsContent(ctx.lang, api) }} />
    </Layout>
  );
}

/**
 * A small fixed document with every kind of thing the page can show (each method, parameters,
 * a body, several responses, a shared schema, an untagged and a deprecated operation), rendered
 * into the stylesheet's sample pages so that the purge keeps every class the real page uses.
 */
export const SAMPLE_SPEC = {
  openapi: '3.1.0',
  info: { title: 'Sample', version: '0' },
  tags: [{ name: 'sample', description: 'sample' }],
  components: { schemas: { Item: { type: 'object', properties: { name: { type: 'string' } } } } },
  paths: {
    '/sample/{id}': {
      get: {
        tags: ['sample'],
        summary: 'sample',
        description: 'sample',
        parameters: [
          { in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } },
          { in: 'query', name: 'q', schema: { type: 'integer', minimum: 0 }, description: 'sample' },
        ],
        responses: {
          '200': { description: 'sample', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          default: { description: 'sample' },
        },
      },
      post: {
        tags: ['sample'],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 9 } }, required: ['name'] } } } },
        responses: { '201': { description: 'Default Response' } },
      },
      put: { tags: ['sample'], deprecated: true, responses: { '204': { description: 'sample' } } },
      patch: { tags: ['sample'], responses: { '204': { description: 'sample' } } },
      delete: { tags: ['sample'], responses: { '204': { description: 'sample' } } },
      options: { responses: { '204': { description: 'sample' } } },
    },
  },
};
