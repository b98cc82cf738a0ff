import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OFFICIAL_ROLES, requireOfficial, type Official, type OfficialRole } from '../../platform/auth.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { Breadcrumb, DataTable, ErrorSummary, Layout, StatusNotice } from '../../web/components.tsx';
import { officialOrSignIn, pageContext, requireForm, sendPrivatePage, type PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { ClientInputError, clientOf, createClient, disableClient, listClients, rotateClientSecret, type ClientView } from './clients.ts';
import { consoleText, type ConsoleKey } from './console-messages.ts';
import { OIDC_PREFIX } from './oidc.ts';
import { AGENCY_CODE, createOfficial, disableOfficial, findOfficial, listOfficials, reissueOfficialCode, type OfficialAccount } from './officials.ts';

// The officials' console: its front page (/console, every official; the sections their roles
// open), and the identity module's own sections for an agency's administrators: the sign-in
// clients it manages (/console/identity/{agency}/clients) and its officials' accounts
// (/console/identity/{agency}/officials). A platform administrator may open any agency's; only a
// platform administrator gives a client a legal basis for RRNs or makes platform administrators.

const t = (ctx: Pick<PageContext, 'lang'>, key: ConsoleKey, params?: Record<string, string | number>) => consoleText(ctx.lang, key, params);
const ROLE: Record<OfficialRole, ConsoleKey> = { 'case-worker': 'role_case_worker', 'agency-admin': 'role_agency_admin', 'platform-admin': 'role_platform_admin', auditor: 'role_auditor', 'information-sharing': 'role_information_sharing' };
const roleNames = (ctx: PageContext, roles: readonly OfficialRole[]) => roles.map((r) => t(ctx, ROLE[r])).join(', ');
const clientsPath = (agency: string) => `/console/identity/${encodeURIComponent(agency)}/clients`;
const officialsPath = (agency: string) => `/console/identity/${encodeURIComponent(agency)}/officials`;
const isAdmin = (o: Official, agency: string) => o.roles.includes('platform-admin') || (o.agency === agency && o.roles.includes('agency-admin'));

type FieldError = { field: string; key: ConsoleKey; detail?: string };

function Errors({ ctx, errors }: { ctx: PageContext; errors: FieldError[] }) {
  return <ErrorSummary title={t(ctx, 'error_title')} errors={errors.map((e) => ({ href: `#field-${e.field}`, text: t(ctx, e.key, { detail: e.detail ?? '' }) }))} />;
}

function Field({ ctx, id, label, hint, children }: { ctx: PageContext; id: string; label: ConsoleKey; hint?: ConsoleKey; children: preact.ComponentChildren }) {
  return (
    <div class="form-group">
      <div class="form-tit">
        <label for={`field-${id}`}>{t(ctx, label)}</label>
      </div>
      <div class="form-conts">{children}</div>
      {hint ? (
        <p class="form-hint" id={`field-${id}-hint`}>
          {t(ctx, hint)}
        </p>
      ) : null}
    </div>
  );
}

function PostButton({ ctx, action, label, aria, kind = 'secondary' }: { ctx: PageContext; action: string; label: string; aria: string; kind?: string }) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <button type="submit" class={`krds-btn ${kind} small`} aria-label={aria}>
        {label}
      </button>
    </form>
  );
}

function renderHome(ctx: PageContext, actor: Official) {
  const sections: Array<{ href: string; title: ConsoleKey; text: ConsoleKey }> = [{ href: '/console/exchange', title: 'section_exchange', text: 'section_exchange_text' }];
  // the credentials module's queue of documents waiting for the agency's approval (empty for agencies that approve none)
  if (actor.roles.some((r) => r === 'case-worker' || r === 'agency-admin')) {
    sections.push({ href: `/console/credentials/${encodeURIComponent(actor.agency)}/approvals`, title: 'section_approvals', text: 'section_approvals_text' });
    // MyData: citizens' correction requests for the agency's registries
    sections.push({ href: `/console/mydata/${encodeURIComponent(actor.agency)}/corrections`, title: 'section_corrections', text: 'section_corrections_text' });
    // the services module: parts of one-stop applications (birth, move, death) for the agency
    sections.push({ href: '/console/tasks', title: 'section_tasks', text: 'section_tasks_text' });
  }
  if (actor.roles.includes('information-sharing')) {
    sections.push({ href: `/console/mydata/${encodeURIComponent(actor.agency)}/lookup`, title: 'section_lookup', text: 'section_lookup_text' });
  }
  if (isAdmin(actor, actor.agency)) {
    sections.push({ href: clientsPath(actor.agency), title: 'section_clients', text: 'section_clients_text' }, { href: officialsPath(actor.agency), title: 'section_officials', text: 'section_officials_text' });
    // the notifications module: the agency's sending services, API keys and templates
    sections.push({ href: '/console/notify', title: 'section_notify', text: 'section_notify_text' });
    // the services module: the eligibility rules of the agency's services
    sections.push({ href: '/console/services', title: 'section_services', text: 'section_services_text' });
  }
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'console_title')}>
      <h1 class="hn-title">{t(ctx, 'console_title')}</h1>
      <p class="hn-lead">{t(ctx, 'console_lead', { name: actor.name, agency: actor.agency, roles: roleNames(ctx, actor.roles) })}</p>
      <section class="hn-section" aria-labelledby="sections">
        <h2 id="sections" class="hn-subtitle">
          {t(ctx, 'sections')}
        </h2>
        <ul class="hn-facts">
          {sections.map((s) => (
            <li>
              <a href={s.href}>{t(ctx, s.title)}</a>: {t(ctx, s.text)}
            </li>
          ))}
        </ul>
      </section>
    </Layout>,
  );
}

interface ClientsView {
  agency: string;
  actor: Official;
  issuer: string;
  clients: ClientView[];
  errors: FieldError[];
  values?: { name?: string; redirectUris?: string; backchannelLogoutUri?: string; publicAgency?: boolean; rrnLegalBasis?: string };
  done?: ConsoleKey;
}

function renderClients(ctx: PageContext, v: ClientsView) {
  const title = t(ctx, 'clients_title', { agency: v.agency });
  const platformAdmin = v.actor.roles.includes('platform-admin');
  const invalid = (f: string) => (v.errors.some((e) => e.field === f) ? 'true' : undefined);
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: t(ctx, 'console_title') }, { href: clientsPath(v.agency), label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'clients_lead', { issuer: v.issuer })}</p>
      <StatusNotice text={v.done && t(ctx, v.done)} />
      <section class="hn-section" aria-labelledby="clients-caption">
        <h2 id="clients-caption" class="hn-subtitle">
          {t(ctx, 'clients_caption')}
        </h2>
        {v.clients.length ? (
          <DataTable captionId="clients-caption" columns={(['client_name', 'client_id', 'client_redirects', 'client_subject', 'client_rrn', 'client_status', 'client_actions'] as const).map((k) => t(ctx, k))}>
                {v.clients.map((c) => (
                  <tr>
                    <th scope="row">{c.name}</th>
                    <td>
                      <code>{c.clientId}</code>
                    </td>
                    <td>
                      {c.redirectUris.map((u) => (
                        <div>
                          <code>{u}</code>
                        </div>
                      ))}
                    </td>
                    <td>{t(ctx, c.publicAgency ? 'subject_public' : 'subject_pairwise')}</td>
                    <td>{c.rrnLegalBasis ?? '—'}</td>
                    <td>{t(ctx, c.disabledAt ? 'status_disabled' : 'status_active')}</td>
                    <td>
                      {c.disabledAt ? null : (
                        <div class="hn-actions">
                          <PostButton ctx={ctx} action={`${clientsPath(v.agency)}/${encodeURIComponent(c.clientId)}/secret`} label={t(ctx, 'new_secret')} aria={t(ctx, 'new_secret_label', { name: c.name })} />
                          <PostButton ctx={ctx} action={`${clientsPath(v.agency)}/${encodeURIComponent(c.clientId)}/disable`} label={t(ctx, 'disable')} aria={t(ctx, 'disable_label', { name: c.name })} kind="tertiary" />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'clients_none')}</p>
        )}
      </section>
      <section class="hn-section" aria-labelledby="create-client">
        <h2 id="create-client" class="hn-subtitle">
          {t(ctx, 'create_client')}
        </h2>
        <Errors ctx={ctx} errors={v.errors} />
        <form method="post" action={clientsPath(v.agency)} class="hn-form" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field ctx={ctx} id="name" label="field_name" hint="field_name_hint">
            <input type="text" id="field-name" name="name" class="krds-input" maxLength={200} required value={v.values?.name ?? ''} aria-describedby="field-name-hint" aria-invalid={invalid('name')} />
          </Field>
          <Field ctx={ctx} id="redirectUris" label="field_redirects" hint="field_redirects_hint">
            <textarea id="field-redirectUris" name="redirectUris" class="krds-input" rows={3} required aria-describedby="field-redirectUris-hint" aria-invalid={invalid('redirectUris')}>
              {v.values?.redirectUris ?? ''}
            </textarea>
          </Field>
          <Field ctx={ctx} id="backchannelLogoutUri" label="field_logout" hint="field_logout_hint">
            <input type="url" id="field-backchannelLogoutUri" name="backchannelLogoutUri" class="krds-input" maxLength={500} value={v.values?.backchannelLogoutUri ?? ''} aria-describedby="field-backchannelLogoutUri-hint" aria-invalid={invalid('backchannelLogoutUri')} />
          </Field>
          <div class="form-group">
            <div class="krds-form-check medium">
              <input type="checkbox" id="field-publicAgency" name="publicAgency" value="on" checked={v.values?.publicAgency ?? false} />
              <label for="field-publicAgency">{t(ctx, 'field_public')}</label>
            </div>
          </div>
          {platformAdmin ? (
            <Field ctx={ctx} id="rrnLegalBasis" label="field_rrn" hint="field_rrn_hint">
              <input type="text" id="field-rrnLegalBasis" name="rrnLegalBasis" class="krds-input" maxLength={300} value={v.values?.rrnLegalBasis ?? ''} aria-describedby="field-rrnLegalBasis-hint" aria-invalid={invalid('rrnLegalBasis')} />
            </Field>
          ) : null}
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'submit_client')}
            </button>
          </div>
        </form>
      </section>
    </Layout>,
  );
}

/** A value shown once (a client secret, an invitation code). */
function renderOnce(ctx: PageContext, o: { title: ConsoleKey; lead: string; label: string; value: string; back: string }) {
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, o.title)}>
      <h1 class="hn-title">{t(ctx, o.title)}</h1>
      <p class="hn-lead" role="status">
        {o.lead}
      </p>
      <dl class="hn-facts">
        <dt>{o.label}</dt>
        <dd>
          <code class="hn-secret">{o.value}</code>
        </dd>
      </dl>
      <p>
        <a href={o.back} class="krds-btn secondary medium">
          {t(ctx, 'back')}
        </a>
      </p>
    </Layout>,
  );
}

interface OfficialsView {
  agency: string;
  actor: Official;
  officials: OfficialAccount[];
  errors: FieldError[];
  values?: { name?: string; roles?: string[] };
  done?: ConsoleKey;
}

function renderOfficials(ctx: PageContext, v: OfficialsView) {
  const title = t(ctx, 'officials_title', { agency: v.agency });
  const grantable = OFFICIAL_ROLES.filter((r) => r !== 'platform-admin' || v.actor.roles.includes('platform-admin'));
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: t(ctx, 'console_title') }, { href: officialsPath(v.agency), label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'officials_lead')}</p>
      <StatusNotice text={v.done && t(ctx, v.done)} />
      <section class="hn-section" aria-labelledby="officials-caption">
        <h2 id="officials-caption" class="hn-subtitle">
          {t(ctx, 'officials_caption')}
        </h2>
        {v.officials.length ? (
          <DataTable captionId="officials-caption" columns={(['official_name', 'official_roles', 'official_passkeys', 'client_status', 'client_actions'] as const).map((k) => t(ctx, k))}>
                {v.officials.map((o) => (
                  <tr>
                    <th scope="row">{o.name}</th>
                    <td>{roleNames(ctx, o.roles)}</td>
                    <td>{o.passkeys}</td>
                    <td>{t(ctx, o.disabledAt ? 'status_disabled' : 'status_active')}</td>
                    <td>
                      {o.disabledAt || o.id === v.actor.id ? null : (
                        <div class="hn-actions">
                          <PostButton ctx={ctx} action={`${officialsPath(v.agency)}/${o.id}/code`} label={t(ctx, 'new_code')} aria={t(ctx, 'new_code_label', { name: o.name })} />
                          <PostButton ctx={ctx} action={`${officialsPath(v.agency)}/${o.id}/disable`} label={t(ctx, 'disable')} aria={t(ctx, 'disable_label', { name: o.name })} kind="tertiary" />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'officials_none')}</p>
        )}
      </section>
      <section class="hn-section" aria-labelledby="create-official">
        <h2 id="create-official" class="hn-subtitle">
          {t(ctx, 'create_official')}
        </h2>
        <Errors ctx={ctx} errors={v.errors} />
        <form method="post" action={officialsPath(v.agency)} class="hn-form" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field ctx={ctx} id="name" label="field_official_name">
            <input type="text" id="field-name" name="name" class="krds-input" maxLength={100} required value={v.values?.name ?? ''} aria-invalid={v.errors.some((e) => e.field === 'name') ? 'true' : undefined} />
          </Field>
          <fieldset class="form-group" id="field-roles">
            <legend class="form-tit">{t(ctx, 'field_roles')}</legend>
            {grantable.map((r) => (
              <div class="krds-form-check medium">
                <input type="checkbox" id={`role-${r}`} name="roles" value={r} checked={v.values?.roles?.includes(r) ?? false} />
                <label for={`role-${r}`}>{t(ctx, ROLE[r])}</label>
              </div>
            ))}
          </fieldset>
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'submit_official')}
            </button>
          </div>
        </form>
      </section>
    </Layout>,
  );
}

const AgencyParams = z.object({ agency: z.string().regex(AGENCY_CODE) });
const ClientParams = AgencyParams.extend({ clientId: z.string().min(1).max(100) });
const OfficialParams = AgencyParams.extend({ id: z.uuid() });
const Csrf = z.object({ _csrf: z.string().optional() });
const ClientForm = z.object({
  name: z.string().max(300).optional(),
  redirectUris: z.string().max(5000).optional(),
  backchannelLogoutUri: z.string().max(600).optional(),
  publicAgency: z.literal('on').optional(),
  rrnLegalBasis: z.string().max(400).optional(),
  _csrf: z.string().optional(),
});
const OfficialForm = z.object({ name: z.string().max(200).optional(), roles: z.union([z.string().max(40), z.array(z.string().max(40)).max(10)]).optional(), _csrf: z.string().optional() });
// (every word here reaches the stylesheet purge: a bare state word would keep all of its KRDS rules)
const Done = z.looseObject({ done: z.enum(['client-off', 'official-off']).optional() });
const DONE: Record<string, ConsoleKey> = { 'client-off': 'done_disabled', 'official-off': 'done_official_disabled' };

export async function identityConsole(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const demo = platform.config.mode === 'demo';
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const issuer = `${platform.config.publicUrl.replace(/\/$/, '')}${OIDC_PREFIX}`;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctxOf = (req: FastifyRequest, reply: FastifyReply, actor: Official) => pageContext(req, { assets, demo, form: reply, signedIn: { name: actor.name, official: true } });
  const page = (reply: FastifyReply, ctx: PageContext, html: string, status = 200) => sendPrivatePage(reply, ctx.lang, html, status);

  const officialFor = officialOrSignIn;
  /** The agency's administrator (or a platform administrator): 401 without sign-in, 403 otherwise. */
  async function adminFor(req: FastifyRequest, reply: FastifyReply, agency: string): Promise<Official | undefined> {
    const actor = await officialFor(req, reply);
    if (actor && !isAdmin(actor, agency)) throw new ForbiddenError(consoleText(req.lang, 'admin_only'), 'forbidden');
    return actor;
  }

  r.get('/console', { schema: { hide: true } }, async (req, reply) => {
    const actor = await officialFor(req, reply);
    if (!actor) return reply;
    const ctx = ctxOf(req, reply, actor);
    return page(reply, ctx, renderHome(ctx, actor));
  });

  // ---- clients ------------------------------------------------------------------------------
  const clientsView = async (agency: string, actor: Official, extra: Partial<ClientsView> = {}): Promise<ClientsView> => ({
    agency,
    actor,
    issuer,
    clients: await listClients(platform.db, agency),
    errors: [],
    ...extra,
  });

  r.get('/console/identity/:agency/clients', { schema: { hide: true, params: AgencyParams, querystring: Done } }, async (req, reply) => {
    const actor = await adminFor(req, reply, req.params.agency);
    if (!actor) return reply;
    const ctx = ctxOf(req, reply, actor);
    return page(reply, ctx, renderClients(ctx, await clientsView(req.params.agency, actor, { done: DONE[req.query.done ?? ''] })));
  });

  r.post('/console/identity/:agency/clients', { schema: { hide: true, params: AgencyParams, body: ClientForm } }, async (req, reply) => {
    requireForm(req);
    const { agency } = req.params;
    const actor = (await adminFor(req, reply, agency))!;
    const b = req.body;
    const values = { name: b.name ?? '', redirectUris: b.redirectUris ?? '', backchannelLogoutUri: b.backchannelLogoutUri ?? '', publicAgency: b.publicAgency === 'on', rrnLegalBasis: b.rrnLegalBasis ?? '' };
    const rrnLegalBasis = values.rrnLegalBasis.trim() || undefined;
    if (rrnLegalBasis && !actor.roles.includes('platform-admin')) throw new ForbiddenError('only a platform administrator gives a client a legal basis for RRNs', 'forbidden');
    const redirectUris = values.redirectUris.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    const ctx = ctxOf(req, reply, actor);
    try {
      const { clientId, clientSecret } = await createClient(
        platform,
        { name: values.name, redirectUris, backchannelLogoutUri: values.backchannelLogoutUri.trim() || undefined, publicAgency: values.publicAgency, rrnLegalBasis, agency },
        `official:${actor.id}`,
      );
      return page(reply, ctx, renderOnce(ctx, { title: 'secret_title', lead: t(ctx, 'secret_lead'), label: `client_id=${clientId}`, value: clientSecret, back: clientsPath(agency) }), 201);
    } catch (e) {
      if (!(e instanceof ClientInputError)) throw e;
      const field = (e.extra as { errors: Array<{ field: string }> }).errors[0]!.field;
      const key = (field === 'name' ? 'error_name' : `error_${field}`) as ConsoleKey;
      return page(reply, ctx, renderClients(ctx, await clientsView(agency, actor, { errors: [{ field, key, detail: e.message }], values })), 400);
    }
  });

  r.post('/console/identity/:agency/clients/:clientId/secret', { schema: { hide: true, params: ClientParams, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const actor = (await adminFor(req, reply, req.params.agency))!;
    // an agency's administrator acts on its own clients only: another agency's is not found
    const c = await clientOf(platform.db, req.params.clientId, req.params.agency);
    const secret = await rotateClientSecret(platform, c.clientId, `official:${actor.id}`);
    const ctx = ctxOf(req, reply, actor);
    return page(reply, ctx, renderOnce(ctx, { title: 'secret_title', lead: t(ctx, 'secret_lead'), label: `client_id=${c.clientId}`, value: secret, back: clientsPath(req.params.agency) }));
  });

  r.post('/console/identity/:agency/clients/:clientId/disable', { schema: { hide: true, params: ClientParams, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const actor = (await adminFor(req, reply, req.params.agency))!;
    const c = await clientOf(platform.db, req.params.clientId, req.params.agency);
    await disableClient(platform, c.clientId, `official:${actor.id}`);
    return reply.redirect(`${clientsPath(req.params.agency)}?done=client-off`, 303);
  });

  // ---- officials ----------------------------------------------------------------------------
  const officialsView = async (agency: string, actor: Official, extra: Partial<OfficialsView> = {}): Promise<OfficialsView> => ({
    agency,
    actor,
    officials: await listOfficials(platform.db, agency),
    errors: [],
    ...extra,
  });

  r.get('/console/identity/:agency/officials', { schema: { hide: true, params: AgencyParams, querystring: Done } }, async (req, reply) => {
    const actor = await adminFor(req, reply, req.params.agency);
    if (!actor) return reply;
    const ctx = ctxOf(req, reply, actor);
    return page(reply, ctx, renderOfficials(ctx, await officialsView(req.params.agency, actor, { done: DONE[req.query.done ?? ''] })));
  });

  r.post('/console/identity/:agency/officials', { schema: { hide: true, params: AgencyParams, body: OfficialForm } }, async (req, reply) => {
    requireForm(req);
    const { agency } = req.params;
    const actor = (await adminFor(req, reply, agency))!;
    const name = (req.body.name ?? '').trim();
    const roles = [req.body.roles ?? []].flat();
    if (roles.includes('platform-admin') && !actor.roles.includes('platform-admin')) throw new ForbiddenError('only a platform administrator makes platform administrators', 'forbidden');
    const errors: FieldError[] = [];
    if (!name) errors.push({ field: 'name', key: 'error_name' });
    if (!roles.length || roles.some((x) => !(OFFICIAL_ROLES as readonly string[]).includes(x))) errors.push({ field: 'roles', key: 'error_roles' });
    const ctx = ctxOf(req, reply, actor);
    if (errors.length) return page(reply, ctx, renderOfficials(ctx, await officialsView(agency, actor, { errors, values: { name, roles } })), 400);
    const made = await createOfficial(platform, { name, agency, roles }, `official:${actor.id}`);
    return page(reply, ctx, renderOnce(ctx, { title: 'code_title', lead: t(ctx, 'code_lead', { name, until: made.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' }), label: name, value: made.code, back: officialsPath(agency) }), 201);
  });

  const officialOf = async (req: FastifyRequest, agency: string, id: string, actor: Official) => {
    const o = await findOfficial(platform.db, id);
    if (!o || o.agency !== agency) throw new NotFoundError('no such official in this agency', 'official_not_found');
    if (o.id === actor.id) throw new ConflictError(consoleText(req.lang, 'not_yourself'), 'not_yourself');
    // only a platform administrator acts on a platform administrator's account
    if (o.roles.includes('platform-admin') && !actor.roles.includes('platform-admin')) throw new ForbiddenError(consoleText(req.lang, 'admin_only'), 'forbidden');
    return o;
  };

  r.post('/console/identity/:agency/officials/:id/code', { schema: { hide: true, params: OfficialParams, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const actor = (await adminFor(req, reply, req.params.agency))!;
    const o = await officialOf(req, req.params.agency, req.params.id, actor);
    const made = await reissueOfficialCode(platform, o.id, `official:${actor.id}`);
    const ctx = ctxOf(req, reply, actor);
    return page(reply, ctx, renderOnce(ctx, { title: 'code_title', lead: t(ctx, 'code_lead', { name: o.name, until: made.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' }), label: o.name, value: made.code, back: officialsPath(req.params.agency) }));
  });

  r.post('/console/identity/:agency/officials/:id/disable', { schema: { hide: true, params: OfficialParams, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const actor = (await adminFor(req, reply, req.params.agency))!;
    const o = await officialOf(req, req.params.agency, req.params.id, actor);
    await disableOfficial(platform, o.id, `official:${actor.id}`);
    return reply.redirect(`${officialsPath(req.params.agency)}?done=official-off`, 303);
  });
}
