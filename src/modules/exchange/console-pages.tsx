import type { Official } from '../../platform/auth.ts';
import type { Problem } from '../../platform/errors.ts';
import { Breadcrumb, Layout, TableBox } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { consoleOpenApiUrl, consolePath, ct, govstackOpenApiUrl, nameIn, ROLE_KEYS, type AgencyView } from './console-common.tsx';
import { ConsoleLog } from './console-log.tsx';
import { Granted, Received } from './console-rights.tsx';

// The agency page of the officials' console. Plain HTML: every control is an anchor or a form, the
// filters are a GET form, and grant and revoke are posts with the form token, so all of it works
// without JavaScript. Classes are written out in full here: the stylesheet keeps only the KRDS
// rules whose class names appear in module templates (src/web/shell.ts).
//
// The demo sign-in page (src/web/dev-sign-in.tsx), which this module's plugin serves, is neither
// one of the shell's own pages nor a module template, so the purge would drop the classes only it
// uses; they are named here until shell.ts reads it too: krds-form-check-cnt krds-form-check-p
// form-hint-invalid, and input[type=checkbox] for KRDS's drawn checkboxes (dev-sign-in.test.ts
// fails if one is missing). Every word in these files counts, comments included: a switched-off
// service is `suspended` here, since KRDS's word for that state would keep all its rules for it.

function Signed({ ctx, actor, agencies }: { ctx: PageContext; actor: Official; agencies?: AgencyView['agencies'] }) {
  return (
    <>
      <dl class="hn-facts">
        <div>
          <dt>{ct(ctx, 'signed_in_as')}</dt>
          <dd>{actor.name}</dd>
        </div>
        <div>
          <dt>{ct(ctx, 'signed_in_agency')}</dt>
          <dd>
            <code>{actor.agency}</code>
          </dd>
        </div>
        <div>
          <dt>{ct(ctx, 'signed_in_roles')}</dt>
          <dd>{actor.roles.map((r) => ct(ctx, ROLE_KEYS[r])).join(', ')}</dd>
        </div>
      </dl>
      {ctx.demo ? (
        <p>
          <a href="/dev/sign-in" class="krds-btn secondary medium">
            {ct(ctx, 'sign_in_other')}
          </a>
        </p>
      ) : null}
      {agencies ? (
        <form method="get" action="/console/exchange" class="form-group hn-form" aria-label={ct(ctx, 'switch_label')}>
          <div class="form-tit">
            <label for="switch-agency">{ct(ctx, 'switch_label')}</label>
          </div>
          <div class="form-conts">
            <select id="switch-agency" name="agency" class="krds-form-select completed">
              {agencies.map((a) => (
                <option value={a.code} selected={a.code === actor.agency}>{`${nameIn(a.name, ctx.lang)} (${a.code})`}</option>
              ))}
            </select>
            <button type="submit" class="krds-btn secondary medium">
              {ct(ctx, 'switch_submit')}
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}

function Services({ ctx, v, agency }: { ctx: PageContext; v: AgencyView; agency: string }) {
  return (
    <section class="hn-section" aria-labelledby="services">
      <h2 id="services">{ct(ctx, 'section_services')}</h2>
      <h3 class="hn-subtitle">{ct(ctx, 'subsystems_title')}</h3>
      {v.subsystems.length ? (
        <TableBox captionId="subsystems-caption">
          <table class="tbl col data">
            <caption class="sr-only" id="subsystems-caption">
              {ct(ctx, 'subsystems_caption', { agency })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ct(ctx, 'col_subsystem')}</th>
                <th scope="col">{ct(ctx, 'col_name')}</th>
                <th scope="col">{ct(ctx, 'col_service_count')}</th>
              </tr>
            </thead>
            <tbody>
              {v.subsystems.map((s) => (
                <tr>
                  <th scope="row">
                    <code>{s.id}</code>
                  </th>
                  <td>{nameIn(s.name, ctx.lang)}</td>
                  <td>{v.services.filter((x) => x.subsystemId === s.id).length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      ) : (
        <p>{ct(ctx, 'no_subsystems')}</p>
      )}
      <h3 class="hn-subtitle">{ct(ctx, 'services_title')}</h3>
      {v.services.length ? (
        <TableBox captionId="services-caption">
          <table class="tbl col data">
            <caption class="sr-only" id="services-caption">
              {ct(ctx, 'services_caption', { agency })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ct(ctx, 'col_service')}</th>
                <th scope="col">{ct(ctx, 'col_provider')}</th>
                <th scope="col">{ct(ctx, 'col_personal')}</th>
                <th scope="col">{ct(ctx, 'col_openapi')}</th>
              </tr>
            </thead>
            <tbody>
              {v.services.map((s) => (
                <tr>
                  <th scope="row">
                    {nameIn(s.title, ctx.lang) || s.serviceCode} <code class="hn-muted">{s.id}</code>{' '}
                    {s.suspended ? <span class="krds-badge bg-light-danger">{ct(ctx, 'suspended')}</span> : null}
                  </th>
                  <td>
                    <code>{s.provider}</code>
                  </td>
                  <td>{ct(ctx, s.personalData ? 'personal_yes' : 'personal_no')}</td>
                  <td>
                    {/* named with aria-label, not hidden text: an absolutely placed sr-only span would
                        escape the table's scrolling box on phones and widen the page */}
                    <a href={consoleOpenApiUrl(v.member.memberCode, s)} class="krds-btn text small" aria-label={`${ct(ctx, 'openapi_link')}: ${ct(ctx, 'openapi_of', { service: s.id })}`}>
                      {ct(ctx, 'openapi_link')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      ) : (
        <p>{ct(ctx, 'no_services')}</p>
      )}
      {v.services[0] ? (
        <p class="hn-api-text">
          {ct(ctx, 'openapi_programs')} <code>{`GET ${govstackOpenApiUrl(v.services[0].subsystemId, v.services[0].serviceCode)}`}</code>
        </p>
      ) : null}
    </section>
  );
}

export function AgencyPage({ ctx, v }: { ctx: PageContext; v: AgencyView }) {
  const agency = nameIn(v.member.name, ctx.lang);
  const title = ct(ctx, 'agency_title', { agency });
  return (
    <Layout ctx={ctx} title={title}>
      <Breadcrumb
        ctx={ctx}
        trail={[
          { href: '/console/exchange', label: ct(ctx, 'console_title') },
          { href: consolePath(v.member.memberCode), label: agency },
        ]}
      />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{ct(ctx, 'agency_lead')}</p>
      {v.done ? (
        <p class="hn-notice" role="status">
          {ct(ctx, v.done === 'granted' ? 'done_granted' : v.done === 'exists' ? 'done_exists' : 'done_revoked')}
        </p>
      ) : null}
      <Signed ctx={ctx} actor={v.actor} agencies={v.agencies} />
      <Services ctx={ctx} v={v} agency={agency} />
      <Granted ctx={ctx} v={v} agency={agency} />
      <Received ctx={ctx} v={v} agency={agency} />
      <ConsoleLog ctx={ctx} code={v.member.memberCode} log={v.log} />
    </Layout>
  );
}

/** The 401 page of the console in demo mode: the platform's error facts, and the way to the demo sign-in. */
export function SignInNeededPage({ ctx, problem }: { ctx: PageContext; problem: Problem }) {
  return (
    <Layout ctx={ctx} title={problem.title}>
      <h1 class="hn-title">{problem.title}</h1>
      <p class="hn-lead">{ct(ctx, 'sign_in_needed')}</p>
      <p>{ct(ctx, 'sign_in_later')}</p>
      <dl class="hn-facts">
        <div>
          <dt>HTTP</dt>
          <dd>{problem.status}</dd>
        </div>
        <div>
          <dt>code</dt>
          <dd>
            <code>{problem.code}</code>
          </dd>
        </div>
        {problem.requestId ? (
          <div>
            <dt>X-Request-Id</dt>
            <dd>
              <code>{problem.requestId}</code>
            </dd>
          </div>
        ) : null}
      </dl>
      <p class="hn-actions">
        <a href="/dev/sign-in" class="krds-btn primary large">
          {ct(ctx, 'sign_in_demo')}
        </a>
      </p>
    </Layout>
  );
}

export const renderConsole = {
  agency: (ctx: PageContext, v: AgencyView) => renderDocument(<AgencyPage ctx={ctx} v={v} />),
  signInNeeded: (ctx: PageContext, problem: Problem) => renderDocument(<SignInNeededPage ctx={ctx} problem={problem} />),
};
