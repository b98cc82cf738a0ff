import { Breadcrumb, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { ServiceInfo } from './catalogue.ts';
import { SERVICE_FIELDS, type ServiceField } from './catalogue-types.ts';
import { explainText, factLabel, ymd, type Eligibility } from './engine.ts';
import { SIDO } from './facts.ts';
import { OUTCOME_KEY, st, type ServicesKey } from './messages.ts';
import type { Outcome } from './rules.ts';

// The public-service pages: 나의 혜택 (/benefits: the opt-in, then every service decided with
// its reasons), 공공서비스 찾기 (/services: search by words, field and region) and a service's page
// (/services/{id}: the catalogue fields, the rule in force, and for a signed-in citizen who
// opted in their own result). Every page reads without JavaScript; forms post with the form token.

const t = st;
export const Csrf = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
const servicePath = (id: string) => `/services/${encodeURIComponent(id)}`;
const BADGE: Record<Outcome, string> = { eligible: 'bg-light-success', 'possibly-eligible': 'bg-light-warning', 'not-eligible': 'bg-light-gray' };

function Result({ ctx, r, open }: { ctx: PageContext; r: Eligibility; open?: boolean }) {
  const name = r.service.name[ctx.lang];
  const id = `svc-${r.service.id}`;
  return (
    <article class="hn-facts" aria-labelledby={id}>
      <h3 id={id} class="hn-subtitle">
        <span class={`krds-badge ${BADGE[r.outcome]}`}>{t(ctx, OUTCOME_KEY[r.outcome])}</span> {name}
      </h3>
      <p>
        {r.service.agencyName[ctx.lang]} · {r.service.benefit[ctx.lang]}
      </p>
      <details open={open}>
        <summary>{t(ctx, 'why')}</summary>
        <ul>
          {explainText(r.explanation, ctx.lang).map((line) => (
            <li>{line}</li>
          ))}
        </ul>
        {r.explanation.missing.length ? (
          <p>
            {t(ctx, 'missing')}: {r.explanation.missing.map((p) => factLabel(p)[ctx.lang]).join(', ')}
          </p>
        ) : null}
      </details>
      <p>
        <a href={servicePath(r.service.id)} class="hn-link" aria-label={t(ctx, 'see_service_label', { name })}>
          {t(ctx, 'see_service')}
        </a>
      </p>
    </article>
  );
}

function Group({ ctx, id, title, items, lead, collapsed }: { ctx: PageContext; id: string; title: string; items: Eligibility[]; lead?: string; collapsed?: boolean }) {
  const list = (
    <ol>
      {items.map((r) => (
        <li>
          <Result ctx={ctx} r={r} />
        </li>
      ))}
    </ol>
  );
  return (
    <section class="hn-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead ? <p>{lead}</p> : null}
      {collapsed ? (
        <details>
          <summary>{title}</summary>
          {list}
        </details>
      ) : (
        list
      )}
    </section>
  );
}

export function renderBenefits(ctx: PageContext, v: { optedIn: boolean; day: Date; results?: Eligibility[]; done?: 'optin' | 'optout' }) {
  const title = t(ctx, 'benefits_title');
  const by = (o: Outcome) => (v.results ?? []).filter((r) => r.outcome === o);
  const eligible = by('eligible');
  const possible = by('possibly-eligible');
  const not = by('not-eligible');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/benefits', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'benefits_lead')}</p>
      <StatusNotice text={v.done ? t(ctx, v.done === 'optin' ? 'done_optin' : 'done_optout') : undefined} />
      {v.optedIn ? (
        <>
          <p>{t(ctx, 'as_of', { date: ymd(v.day) })}</p>
          <Group ctx={ctx} id="eligible" title={t(ctx, 'group_eligible', { n: eligible.length })} items={eligible} lead={eligible.length ? undefined : t(ctx, 'none_eligible')} />
          {possible.length ? <Group ctx={ctx} id="possible" title={t(ctx, 'group_possible', { n: possible.length })} items={possible} lead={t(ctx, 'group_possible_text')} /> : null}
          <Group ctx={ctx} id="not-eligible" title={t(ctx, 'group_not', { n: not.length })} items={not} collapsed />
          <section class="hn-section" aria-labelledby="alerts">
            <h2 id="alerts">{t(ctx, 'optin_title')}</h2>
            <p>{t(ctx, 'optout_text')}</p>
            <form method="post" action="/benefits/opt-out">
              <Csrf ctx={ctx} />
              <button type="submit" class="krds-btn secondary medium">
                {t(ctx, 'optout_button')}
              </button>
            </form>
          </section>
        </>
      ) : (
        <section class="hn-section" aria-labelledby="alerts">
          <h2 id="alerts">{t(ctx, 'optin_title')}</h2>
          <p>{t(ctx, 'optin_text')}</p>
          <form method="post" action="/benefits/opt-in">
            <Csrf ctx={ctx} />
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'optin_button')}
            </button>
          </form>
        </section>
      )}
    </Layout>,
  );
}

export interface CatalogueQuery {
  q: string;
  field: string;
  region: string;
}

export function renderCatalogue(ctx: PageContext, v: { query: CatalogueQuery; total: number; found: ServiceInfo[]; shown: number; moreHref?: string }) {
  const title = t(ctx, 'services_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/services', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'services_lead', { n: v.total })}</p>
      <form method="get" action="/services" class="hn-section" role="search">
        <div class="form-group">
          <div class="form-tit">
            <label for="q">{t(ctx, 'search_label')}</label>
          </div>
          <div class="form-conts">
            <input type="search" id="q" name="q" value={v.query.q} class="krds-input" aria-describedby="q-hint" maxlength={100} />
          </div>
          <p class="form-hint" id="q-hint">
            {t(ctx, 'search_hint')}
          </p>
        </div>
        <div class="form-group">
          <div class="form-tit">
            <label for="field">{t(ctx, 'field_label')}</label>
          </div>
          <div class="form-conts">
            <select id="field" name="field" class="krds-form-select">
              <option value="">{t(ctx, 'all')}</option>
              {(Object.keys(SERVICE_FIELDS) as ServiceField[]).map((f) => (
                <option value={f} selected={v.query.field === f}>
                  {SERVICE_FIELDS[f][ctx.lang]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="form-group">
          <div class="form-tit">
            <label for="region">{t(ctx, 'region_label')}</label>
          </div>
          <div class="form-conts">
            <select id="region" name="region" class="krds-form-select">
              <option value="">{t(ctx, 'all')}</option>
              <option value="national" selected={v.query.region === 'national'}>
                {t(ctx, 'national')}
              </option>
              {SIDO.map((s) => (
                <option value={s} selected={v.query.region === s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" class="krds-btn primary medium">
          {t(ctx, 'search_button')}
        </button>
      </form>
      <section class="hn-section" aria-labelledby="results">
        <h2 id="results">{t(ctx, 'results', { n: v.found.length })}</h2>
        {v.found.length ? (
          <ul>
            {v.found.slice(0, v.shown).map((s) => (
              <li>
                <a href={servicePath(s.id)} class="hn-link">
                  {s.name[ctx.lang]}
                </a>{' '}
                <span class="krds-badge bg-light-gray">{t(ctx, `kind_${s.kind}` as ServicesKey)}</span> {s.agencyName[ctx.lang]} · {s.target[ctx.lang]}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t(ctx, 'no_results')}</p>
        )}
        {v.moreHref ? (
          <p class="hn-actions">
            <a href={v.moreHref} class="krds-btn secondary medium">
              {t(ctx, 'more')}
            </a>
          </p>
        ) : null}
      </section>
    </Layout>,
  );
}

export function renderService(ctx: PageContext, v: { service: ServiceInfo; rule: { source: string; version: number; effectiveFrom: string } | undefined; mine?: Eligibility; signedIn: boolean }) {
  const s = v.service;
  const title = s.name[ctx.lang];
  const rows: Array<[ServicesKey, string | undefined]> = [
    ['agency', s.agencyName[ctx.lang]],
    ['field', SERVICE_FIELDS[s.field]?.[ctx.lang]],
    ['region', s.region ? [s.region.sido, s.region.sigungu].filter(Boolean).join(' ') : t(ctx, 'national')],
    ['purpose', s.purpose[ctx.lang]],
    ['target', s.target[ctx.lang]],
    ['criteria', s.criteria[ctx.lang]],
    ['benefit', s.benefit[ctx.lang]],
    ['how', s.howToApply[ctx.lang]],
    ['deadline', s.deadline[ctx.lang]],
    ['contact', s.contact[ctx.lang]],
    ['legal', s.legalBasis[ctx.lang]],
  ];
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/services', label: t(ctx, 'services_title') }, { href: servicePath(s.id), label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{s.purpose[ctx.lang]}</p>
      <section class="hn-section" aria-labelledby="result">
        <h2 id="result">{t(ctx, 'my_result')}</h2>
        {v.mine ? <Result ctx={ctx} r={v.mine} open /> : <p>{t(ctx, v.signedIn ? 'optin_to_check' : 'sign_in_to_check')} {v.signedIn ? <a href="/benefits">{t(ctx, 'benefits_title')}</a> : <a href={`/sign-in?next=${encodeURIComponent(servicePath(s.id))}`}>{t(ctx, 'benefits_title')}</a>}</p>}
      </section>
      <section class="hn-section" aria-labelledby="about">
        <h2 id="about">{t(ctx, 'criteria')}</h2>
        <dl class="hn-facts">
          {rows.map(([k, val]) =>
            val ? (
              <>
                <dt>{t(ctx, k)}</dt>
                <dd>{val}</dd>
              </>
            ) : null,
          )}
          <dt>{t(ctx, 'documents')}</dt>
          <dd>
            <ul>
              {s.documents.map((d) => (
                <li>{d[ctx.lang]}</li>
              ))}
            </ul>
          </dd>
          {s.onlineUrl ? (
            <>
              <dt>{t(ctx, 'online')}</dt>
              <dd>
                <a href={s.onlineUrl} class="hn-link" rel="noopener noreferrer">
                  {s.onlineUrl}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {v.rule ? (
        <section class="hn-section" aria-labelledby="rule">
          <h2 id="rule">{t(ctx, 'rule')}</h2>
          <p>{t(ctx, 'rule_text', { version: v.rule.version, date: v.rule.effectiveFrom })}</p>
          <pre class="hn-code">
            <code>{v.rule.source}</code>
          </pre>
        </section>
      ) : null}
    </Layout>,
  );
}
