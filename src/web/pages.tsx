import { render } from 'preact-render-to-string';
import type { VNode } from 'preact';
import type { Problem } from '../platform/errors.ts';
import { formatDateTime, LANGS } from '../platform/i18n.ts';
import { Breadcrumb, LANG_NAMES, Layout, LinkCards } from './components.tsx';
import { t, type PageContext } from './context.ts';
import { DocsPage, SAMPLE_SPEC } from './docs.tsx';
import { apiReference, type ApiReference } from './openapi-model.ts';

/** Preact renders the element tree; the doctype is the one thing it does not write. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${render(page)}`;
}

export function HomePage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title={t(ctx, 'home_title')}>
      <h1 class="hn-title">{t(ctx, 'home_title')}</h1>
      <p class="hn-lead">{t(ctx, 'home_lead')}</p>
      <section class="hn-section" aria-labelledby="status-title">
        <h2 id="status-title">{t(ctx, 'home_status_title')}</h2>
        <p>{t(ctx, 'home_status_text')}</p>
      </section>
      <section class="hn-section" aria-labelledby="links-title">
        <h2 id="links-title">{t(ctx, 'home_links_title')}</h2>
        <LinkCards
          cards={[
            { href: '/about', title: t(ctx, 'link_about_title'), text: t(ctx, 'link_about_text') },
            { href: '/docs', title: t(ctx, 'link_docs_title'), text: t(ctx, 'link_docs_text') },
            { href: '/openapi.json', title: t(ctx, 'link_openapi_title'), text: t(ctx, 'link_openapi_text'), format: 'JSON' },
            { href: '/readyz', title: t(ctx, 'link_readyz_title'), text: t(ctx, 'link_readyz_text'), format: 'JSON' },
            { href: '/preferences', title: t(ctx, 'link_preferences_title'), text: t(ctx, 'link_preferences_text') },
          ]}
        />
      </section>
    </Layout>
  );
}

export function AboutPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title={t(ctx, 'about_title')}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/about', label: t(ctx, 'about_title') }]} />
      <h1 class="hn-title">{t(ctx, 'about_title')}</h1>
      <p class="hn-lead">{t(ctx, 'about_lead')}</p>
      <section class="hn-section" aria-labelledby="principles-title">
        <h2 id="principles-title">{t(ctx, 'about_principles_title')}</h2>
        <ul class="krds-info-list decimal">
          <li>{t(ctx, 'about_principle_one')}</li>
          <li>{t(ctx, 'about_principle_once')}</li>
          <li>{t(ctx, 'about_principle_proactive')}</li>
          <li>{t(ctx, 'about_principle_channel')}</li>
        </ul>
      </section>
      <section class="hn-section" aria-labelledby="now-title">
        <h2 id="now-title">{t(ctx, 'about_now_title')}</h2>
        <p>{t(ctx, 'about_now_text')}</p>
        <h3 class="hn-subtitle">{t(ctx, 'about_planned_title')}</h3>
        <p>{t(ctx, 'about_planned_list')}</p>
      </section>
      <section class="hn-section" aria-labelledby="a11y-title">
        <h2 id="a11y-title">{t(ctx, 'about_accessibility_title')}</h2>
        <p>{t(ctx, 'about_accessibility_text')}</p>
      </section>
      <section class="hn-section" aria-labelledby="license-title">
        <h2 id="license-title">{t(ctx, 'about_license_title')}</h2>
        <p>{t(ctx, 'about_license_text')}</p>
      </section>
    </Layout>
  );
}

/** The settings form (contrast and language together); the one shell page that carries a form, and so a CSRF token. */
export function PreferencesPage({ ctx, returnTo }: { ctx: PageContext; returnTo: string }) {
  return (
    <Layout ctx={ctx} title={t(ctx, 'prefs_title')}>
      <h1 class="hn-title">{t(ctx, 'prefs_title')}</h1>
      <p class="hn-lead">{t(ctx, 'prefs_lead')}</p>
      <form method="post" action="/preferences" class="hn-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <input type="hidden" name="return" value={returnTo} />
        <fieldset class="hn-fieldset">
          <legend class="hn-legend">{t(ctx, 'prefs_contrast_legend')}</legend>
          <div class="krds-check-area chk-column">
            <div class="krds-form-check">
              <input type="radio" name="contrast" id="contrast-normal" value="normal" checked={ctx.contrast === 'normal'} />
              <label for="contrast-normal">{t(ctx, 'prefs_contrast_normal')}</label>
            </div>
            <div class="krds-form-check">
              <input type="radio" name="contrast" id="contrast-high" value="high" checked={ctx.contrast === 'high'} />
              <label for="contrast-high">{t(ctx, 'prefs_contrast_high')}</label>
            </div>
          </div>
        </fieldset>
        <fieldset class="hn-fieldset">
          <legend class="hn-legend">{t(ctx, 'prefs_lang_legend')}</legend>
          <div class="krds-check-area chk-column">
            {LANGS.map((l) => (
              <div class="krds-form-check">
                <input type="radio" name="lang" id={`lang-${l}`} value={l} checked={ctx.lang === l} />
                <label for={`lang-${l}`} lang={l}>
                  {LANG_NAMES[l]}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="hn-actions">
          <button type="submit" class="krds-btn primary large">
            {t(ctx, 'prefs_save')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function ErrorPage({ ctx, problem }: { ctx: PageContext; problem: Problem }) {
  return (
    <Layout ctx={ctx} title={problem.title}>
      <h1 class="hn-title">{problem.title}</h1>
      {problem.detail ? <p class="hn-lead">{problem.detail}</p> : null}
      <p class="hn-lead">{problem.status === 404 ? t(ctx, 'error_not_found_help') : t(ctx, 'error_help')}</p>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'error_status')}</dt>
          <dd>{problem.status}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'error_code')}</dt>
          <dd>
            <code>{problem.code}</code>
          </dd>
        </div>
        {problem.requestId ? (
          <div>
            <dt>{t(ctx, 'error_request')}</dt>
            <dd>
              <code>{problem.requestId}</code>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t(ctx, 'error_time')}</dt>
          <dd>
            <time dateTime={ctx.now.toISOString()}>{formatDateTime(ctx.now, ctx.lang)}</time>
          </dd>
        </div>
      </dl>
      <p class="hn-actions">
        <a href="/" class="krds-btn primary large">
          {t(ctx, 'error_home')}
        </a>
      </p>
    </Layout>
  );
}

/** The shell's pages as strings, for the routes and for the stylesheet's purge. */
export const renderPages = {
  home: (ctx: PageContext) => renderDocument(<HomePage ctx={ctx} />),
  about: (ctx: PageContext) => renderDocument(<AboutPage ctx={ctx} />),
  preferences: (ctx: PageContext, returnTo: string) => renderDocument(<PreferencesPage ctx={ctx} returnTo={returnTo} />),
  error: (ctx: PageContext, problem: Problem) => renderDocument(<ErrorPage ctx={ctx} problem={problem} />),
  docs: (ctx: PageContext, reference: ApiReference) => renderDocument(<DocsPage ctx={ctx} api={reference} />),
};

/**
 * Every variant of every shell page (language, contrast, demo banner) with fixed values, so that
 * the rendered HTML, and with it the stylesheet's name, is the same on every start.
 */
export function samplePages(): string[] {
  const out: string[] = [];
  const fixed = new Date(0);
  const reference = apiReference(SAMPLE_SPEC, { baseUrl: 'https://hanaro.invalid', bodyLimit: 1_048_576 });
  for (const lang of LANGS) {
    for (const contrast of ['normal', 'high'] as const) {
      for (const demo of [true, false]) {
        const base: PageContext = { lang, url: '/', contrast, demo, now: fixed, assets: { stylesheet: '/s.css', favicon: '/f.svg' } };
        out.push(renderPages.home(base), renderPages.about({ ...base, url: '/about' }));
        out.push(renderPages.preferences({ ...base, url: '/preferences', csrfToken: 'sample' }, '/'));
        out.push(renderPages.docs({ ...base, url: '/docs' }, reference));
        for (const status of [404, 500]) {
          const problem: Problem = { type: 'about:blank', title: 'sample', status, code: 'sample', detail: 'sample', requestId: 'sample' };
          out.push(renderPages.error(base, problem));
        }
      }
    }
  }
  return out;
}
