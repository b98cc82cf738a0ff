import { Breadcrumb, DataTable, ErrorSummary, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { RuleProblem } from './cel-env.ts';
import type { ServiceInfo } from './catalogue.ts';
import { explainText } from './engine.ts';
import { Csrf } from './pages-render.tsx';
import { factPaths } from './facts.ts';
import { OUTCOME_KEY, st, type ServicesKey } from './messages.ts';
import type { RuleVersion, Trial } from './rule-versions.ts';

// The officials' console for eligibility rules: /console/services (the agency's services) and
// /console/services/{id}/rule (the rule in force, the versions, the draft editor with a trial on
// the sample residents, publishing with an effective date). Forms work without JavaScript.

const t = st;
export const rulePath = (id: string) => `/console/services/${encodeURIComponent(id)}/rule`;

export function renderConsoleServices(ctx: PageContext, v: { services: ServiceInfo[] }) {
  const title = t(ctx, 'console_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: ctx.lang === 'ko' ? '공무원 업무 화면' : 'Console' }, { href: '/console/services', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'console_lead')}</p>
      <section class="hn-section" aria-labelledby="list">
        <h2 id="list">{t(ctx, 'console_services', { n: v.services.length })}</h2>
        <ul>
          {v.services.map((s) => (
            <li>
              <a href={rulePath(s.id)} class="hn-link">
                {s.name[ctx.lang]}
              </a>{' '}
              ({s.id}, {s.agencyName[ctx.lang]})
            </li>
          ))}
        </ul>
      </section>
    </Layout>,
  );
}

export interface EditorValues {
  source: string;
  note: string;
  effectiveFrom: string;
}

export function renderRuleEditor(
  ctx: PageContext,
  v: {
    service: ServiceInfo;
    inForce?: RuleVersion;
    versions: RuleVersion[];
    values: EditorValues;
    problem?: RuleProblem;
    dateError?: boolean;
    trials?: Trial[];
    done?: 'saved' | 'published';
  },
) {
  const s = v.service;
  const title = `${t(ctx, 'console_title')}: ${s.name[ctx.lang]}`;
  const draft = v.versions.find((x) => x.status === 'draft');
  const errors = [
    ...(v.problem ? [{ href: '#source', text: t(ctx, 'error_rule', { line: v.problem.line, column: v.problem.column, message: v.problem.message }) }] : []),
    ...(v.dateError ? [{ href: '#effectiveFrom', text: t(ctx, 'error_date') }] : []),
  ];
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console/services', label: t(ctx, 'console_title') }, { href: rulePath(s.id), label: s.name[ctx.lang] }]} />
      <h1 class="hn-title">{title}</h1>
      <ErrorSummary title={t(ctx, 'error_title')} errors={errors} />
      <StatusNotice text={v.done ? t(ctx, v.done === 'saved' ? 'done_saved' : 'done_published') : undefined} />
      <section class="hn-section" aria-labelledby="in-force">
        <h2 id="in-force">{t(ctx, 'console_rule_in_force')}</h2>
        {v.inForce ? (
          <>
            <p>{t(ctx, 'rule_text', { version: v.inForce.version, date: v.inForce.effectiveFrom ?? '' })}</p>
            <pre class="hn-code">
              <code>{v.inForce.source}</code>
            </pre>
          </>
        ) : (
          <p>{t(ctx, 'console_none_in_force')}</p>
        )}
      </section>
      <section class="hn-section" aria-labelledby="editor">
        <h2 id="editor">{t(ctx, 'editor_title')}</h2>
        <form method="post" action={rulePath(s.id)}>
          <Csrf ctx={ctx} />
          <div class="form-group">
            <div class="form-tit">
              <label for="source">{t(ctx, 'editor_source')}</label>
            </div>
            <div class={`form-conts${v.problem ? ' is-error' : ''}`}>
              <textarea id="source" name="source" rows={6} class="krds-input" aria-describedby={v.problem ? 'source-hint source-error' : 'source-hint'} aria-invalid={v.problem ? 'true' : undefined} spellcheck={false}>
                {v.values.source}
              </textarea>
            </div>
            <p class="form-hint" id="source-hint">
              {t(ctx, 'editor_source_hint')}
            </p>
            {v.problem ? (
              <p class="form-hint is-error" id="source-error">
                {t(ctx, 'error_rule', { line: v.problem.line, column: v.problem.column, message: v.problem.message })}
              </p>
            ) : null}
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="note">{t(ctx, 'editor_note')}</label>
            </div>
            <div class="form-conts">
              <input type="text" id="note" name="note" value={v.values.note} class="krds-input" maxlength={500} />
            </div>
          </div>
          <div class="hn-actions">
            <button type="submit" name="action" value="try" class="krds-btn secondary medium">
              {t(ctx, 'editor_try')}
            </button>
            <button type="submit" name="action" value="save" class="krds-btn primary medium">
              {t(ctx, 'editor_save')}
            </button>
          </div>
        </form>
        <details>
          <summary>{t(ctx, 'editor_facts')}</summary>
          <ul>
            {factPaths().map((f) => (
              <li>
                <code>{f.path}</code> ({f.type}): {f.label[ctx.lang]}
              </li>
            ))}
            <li>
              <code>today</code>: {ctx.lang === 'ko' ? '판단하는 날' : 'the day decided for'}; <code>daysBetween(a, b)</code>, <code>monthsBetween(a, b)</code>, <code>yearsBetween(a, b)</code>
            </li>
          </ul>
        </details>
      </section>
      {v.trials ? (
        <section class="hn-section" aria-labelledby="trial">
          <h2 id="trial">{t(ctx, 'trial_title')}</h2>
          <DataTable captionId="trial" columns={[t(ctx, 'trial_person'), t(ctx, 'trial_outcome'), t(ctx, 'trial_why')]}>
            {v.trials.map((r) => (
              <tr>
                <td>{r.persona.label[ctx.lang]}</td>
                <td>{t(ctx, OUTCOME_KEY[r.outcome])}</td>
                <td>
                  <ul>
                    {explainText(r.explanation, ctx.lang).map((line) => (
                      <li>{line}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
      {draft ? (
        <section class="hn-section" aria-labelledby="publish">
          <h2 id="publish">{t(ctx, 'publish_title')}</h2>
          <p>{t(ctx, 'publish_text', { version: draft.version })}</p>
          <pre class="hn-code">
            <code>{draft.source}</code>
          </pre>
          <form method="post" action={`${rulePath(s.id)}/publish`}>
            <Csrf ctx={ctx} />
            <input type="hidden" name="version" value={String(draft.version)} />
            <div class="form-group">
              <div class="form-tit">
                <label for="effectiveFrom">{t(ctx, 'publish_date')}</label>
              </div>
              <div class={`form-conts${v.dateError ? ' is-error' : ''}`}>
                <input type="date" id="effectiveFrom" name="effectiveFrom" value={v.values.effectiveFrom} class="krds-input" aria-describedby="effectiveFrom-hint" aria-invalid={v.dateError ? 'true' : undefined} required />
              </div>
              <p class="form-hint" id="effectiveFrom-hint">
                {t(ctx, 'publish_date_hint')}
              </p>
            </div>
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'publish_button')}
            </button>
          </form>
        </section>
      ) : null}
      <section class="hn-section" aria-labelledby="versions">
        <h2 id="versions">{t(ctx, 'console_versions')}</h2>
        <DataTable captionId="versions" columns={[t(ctx, 'console_version'), t(ctx, 'console_status'), t(ctx, 'console_effective'), t(ctx, 'console_by'), t(ctx, 'editor_source')]}>
          {v.versions.map((x) => (
            <tr>
              <td>{x.version}</td>
              <td>{t(ctx, x.status === 'draft' ? 'status_draft' : 'status_published')}</td>
              <td>{x.effectiveFrom ?? '—'}</td>
              <td>{x.publishedBy ?? x.createdBy}</td>
              <td>
                <code>{x.source}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
    </Layout>,
  );
}
