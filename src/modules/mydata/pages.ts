import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { allowFormRedirectTo } from '../../web/context.ts';
import { portalPages } from '../../web/module-pages.ts';
import { findAgency } from '../exchange/index.ts';
import { AGENCIES } from '../registries/index.ts';
import { accessLogPage, AccessFilter, alertSetting, alertsOf, scanNewRecipients, setNewRecipientAlert } from './access.ts';
import { findAgreement, listAgreements, listRecipients, type Agreement, type ItemGroup, type Mode } from './agreements.ts';
import { consentsOfCitizen, giveConsent, withdrawConsent } from './consents.ts';
import { accessQueryString, renderAccess, type AccessQuery } from './pages-access.tsx';
import { fieldLabel, registriesOf, registryName, t, type FieldError } from './pages-common.tsx';
import { renderConsents, renderConsentScreen, renderRequestResult, renderSend, type ConsentChoice, type ConsentsDone } from './pages-consent.tsx';
import { mydataConsolePages } from './pages-console-routes.ts';
import { renderCorrection, renderCorrectionForm, renderSelf } from './pages-self.tsx';
import { correctionsOfCitizen, findCorrection, requestCorrection, selfView } from './self.ts';
import { answerRequest, findRequest } from './transfers.ts';

/**
 * The MyData portal pages (내 정보, 동의 관리, 데이터 보내기, 열람 기록, and the consent screen) and
 * the console pages (an agency's correction queue and the legal-basis look-up); see docs/mydata.md.
 * Every page works without JavaScript: links, GET filter forms, and posts with the form token.
 * Citizens' pages need a signed-in citizen (a browser without one is sent to sign in; an official
 * gets 403); console pages need an official of the agency in the path with the right duty.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Id = z.object({ id: z.string().max(64) });
const Csrf = { _csrf: z.string().optional() };
const text = (max: number) => z.string().max(max).optional();
const many = z.union([z.string().max(300), z.array(z.string().max(300)).max(200)]).optional();
const listOf = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());

/** Empty fields of a GET form are "no filter", not an invalid value. */
const filled = (q: Record<string, unknown>) => Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));

const intIn = (s: string | undefined, min: number, max: number): number | undefined => {
  if (!s || !/^\d{1,5}$/.test(s.trim())) return undefined;
  const n = Number(s.trim());
  return n >= min && n <= max ? n : undefined;
};

/** Only a web page may be returned to after a consent request: http(s), nothing else. */
const webUrl = (u: string | null): string | undefined => {
  if (!u) return undefined;
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
};

export async function mydataPages(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const { demo, assets, page, citizen } = portalPages(platform);

  // ---- 내 정보 and corrections ------------------------------------------------------------------
  app.get('/mydata', { schema: { hide: true } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const [agencies, corrections, regs] = await Promise.all([selfView(platform, p.me.id), correctionsOfCitizen(platform.db, p.me.id), registriesOf(platform)]);
    return page(reply, p.ctx, renderSelf(p.ctx, { agencies, corrections, regs }));
  });

  /** The registry and field a correction is about: a personal field of a personal registry, or 404. */
  async function correctable(service: string | undefined, field: string | undefined) {
    const registry = (await registriesOf(platform)).get(service ?? '');
    const f = registry?.personal && !registry.disabled ? registry.fields.find((x) => x.name === field && x.personal) : undefined;
    if (!registry || !f) throw new NotFoundError('no such item', 'item_not_found');
    return { registry, field: f };
  }
  const CorrectionQuery = z.looseObject({ service: text(200), field: text(64) });
  app.get('/mydata/corrections/new', { schema: { hide: true, querystring: CorrectionQuery } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const q = req.query as z.infer<typeof CorrectionQuery>;
    return page(reply, p.ctx, renderCorrectionForm(p.ctx, { ...(await correctable(q.service, q.field)), errors: [] }));
  });
  const CorrectionForm = z.object({ service: text(200), field: text(64), requestedValue: text(2000), reason: text(4000), ...Csrf });
  app.post('/mydata/corrections', { schema: { hide: true, body: CorrectionForm } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const b = req.body as z.infer<typeof CorrectionForm>;
    const target = await correctable(b.service, b.field);
    const values = { requestedValue: (b.requestedValue ?? '').trim(), reason: (b.reason ?? '').trim() };
    const errors: FieldError[] = [];
    if (!values.requestedValue) errors.push({ href: '#requested-value', text: t(p.ctx, 'error_requested_value') });
    else if (values.requestedValue.length > 500) errors.push({ href: '#requested-value', text: t(p.ctx, 'error_too_long', { max: 500 }) });
    if (!values.reason) errors.push({ href: '#reason', text: t(p.ctx, 'error_reason') });
    else if (values.reason.length > 1000) errors.push({ href: '#reason', text: t(p.ctx, 'error_too_long', { max: 1000 }) });
    if (errors.length) return page(reply, p.ctx, renderCorrectionForm(p.ctx, { ...target, values, errors }), 400);
    const made = await requestCorrection(platform, p.me.id, { service: target.registry.serviceId, field: target.field.name, ...values });
    return reply.redirect(`/mydata/corrections/${made.id}?done=requested`, 303);
  });
  app.get('/mydata/corrections/:id', { schema: { hide: true, params: Id, querystring: z.looseObject({ done: text(20) }) } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const c = await findCorrection(platform.db, (req.params as { id: string }).id);
    // another citizen's request is as good as absent
    if (!c || c.citizenId !== p.me.id) throw new NotFoundError('no such correction request', 'correction_not_found');
    const justMade = (req.query as { done?: string }).done === 'requested';
    return page(reply, p.ctx, renderCorrection(p.ctx, { correction: c, regs: await registriesOf(platform), justMade }));
  });

  // ---- 동의 관리 -----------------------------------------------------------------------------
  const ConsentsQuery = z.looseObject({ done: z.enum(['given', 'withdrawn', 'not-active']).optional(), consent: text(64) });
  app.get('/mydata/consents', { schema: { hide: true, querystring: ConsentsQuery } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const q = req.query as z.infer<typeof ConsentsQuery>;
    const consents = await consentsOfCitizen(platform.db, p.me.id);
    const doneConsent = q.consent ? consents.find((c) => c.id === q.consent) : undefined;
    return page(reply, p.ctx, renderConsents(p.ctx, { consents, regs: await registriesOf(platform), done: q.done as ConsentsDone | undefined, doneConsent }));
  });
  app.post('/mydata/consents/:id/withdraw', { schema: { hide: true, params: Id, body: z.object(Csrf) } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const id = (req.params as { id: string }).id;
    try {
      const c = await withdrawConsent(platform, p.me.id, id);
      return reply.redirect(`/mydata/consents?done=withdrawn&consent=${c.id}#consents`, 303);
    } catch (e) {
      if (e instanceof PlatformError && e.code === 'consent_not_active') return reply.redirect('/mydata/consents?done=not-active#consents', 303);
      throw e;
    }
  });

  // ---- 데이터 보내기 and the consent screen ----------------------------------------------------
  const open = (a: Agreement | undefined): a is Agreement => Boolean(a && a.active && a.lifecycle === 'complete' && !a.recipient.disabled);
  app.get('/mydata/send', { schema: { hide: true } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const agreements = (await listAgreements(platform.db, { limit: 500 })).filter(open);
    return page(reply, p.ctx, renderSend(p.ctx, { agreements }));
  });
  async function openAgreement(id: string): Promise<Agreement> {
    const a = UUID.test(id) ? await findAgreement(platform.db, id) : undefined;
    if (!open(a)) throw new NotFoundError('no such data agreement', 'agreement_not_found');
    return a;
  }
  app.get('/mydata/send/:id', { schema: { hide: true, params: Id } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const agreement = await openAgreement((req.params as { id: string }).id);
    return page(reply, p.ctx, renderConsentScreen(p.ctx, { agreement, regs: await registriesOf(platform), errors: [] }));
  });
  const SendForm = z.object({ items: many, mode: text(20), validityDays: text(10), intervalDays: text(10), ...Csrf });
  app.post('/mydata/send/:id', { schema: { hide: true, params: Id, body: SendForm } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const agreement = await openAgreement((req.params as { id: string }).id);
    const b = req.body as z.infer<typeof SendForm>;
    const choice: ConsentChoice = {
      items: listOf(b.items),
      mode: (b.mode === 'periodic' ? 'periodic' : 'once') as Mode,
      validityDays: (b.validityDays ?? '').trim(),
      intervalDays: (b.intervalDays ?? '').trim(),
    };
    const ctx = p.ctx;
    const errors: FieldError[] = [];
    const itemsError = (detail: string) => errors.push({ href: '#item-0-0', text: t(ctx, 'error_items_outside', { items: detail }) });
    // the ticked items, grouped by service in the agreement's order ("service:field", the field after the last colon)
    const groups: ItemGroup[] = [];
    for (const v of choice.items) {
      const at = v.lastIndexOf(':');
      const service = at > 0 ? v.slice(0, at) : '';
      const field = at > 0 ? v.slice(at + 1) : '';
      if (!service || !field) {
        itemsError(v);
        continue;
      }
      let g = groups.find((x) => x.service === service);
      if (!g) groups.push((g = { service, items: [] }));
      g.items.push(field);
    }
    if (!choice.items.length) errors.push({ href: '#item-0-0', text: t(ctx, 'error_items_none') });
    if (b.mode !== undefined && b.mode !== 'once' && b.mode !== 'periodic') errors.push({ href: '#mode-once', text: t(ctx, 'error_mode') });
    const validityDays = intIn(choice.validityDays, 1, agreement.maxValidityDays);
    if (validityDays === undefined) errors.push({ href: '#validity-days', text: t(ctx, 'error_validity', { max: agreement.maxValidityDays }) });
    const intervalDays = choice.mode === 'periodic' ? intIn(choice.intervalDays || '30', 1, 366) : undefined;
    if (choice.mode === 'periodic' && intervalDays === undefined) errors.push({ href: '#interval-days', text: t(ctx, 'error_interval') });
    const regs = await registriesOf(platform);
    const again = (status: number) => page(reply, ctx, renderConsentScreen(ctx, { agreement, regs, choice, errors }), status);
    if (errors.length) return again(400);
    try {
      const { record } = await giveConsent(platform, p.me.id, {
        agreementId: agreement.id,
        items: groups,
        mode: choice.mode,
        validityDays,
        ...(intervalDays ? { intervalDays } : {}),
      });
      return reply.redirect(`/mydata/consents?done=given&consent=${record.id}#consents`, 303);
    } catch (e) {
      // what the agreement does not allow, told in the form (items named in plain words)
      if (e instanceof PlatformError && e.code === 'outside_agreement') {
        const found = ((e.extra?.errors ?? []) as Array<{ field: string }>).map((x) => x.field);
        const outside = groups.flatMap((g) => g.items.map((i) => ({ g, i }))).filter(({ g, i }) => !agreement.items.some((a) => a.service === g.service && a.items.includes(i)));
        const words = outside.map(({ g, i }) => `${registryName(regs, g.service, ctx.lang)}: ${fieldLabel(regs, g.service, i, ctx.lang)}`);
        if (found.some((f) => f.startsWith('items')) || outside.length) itemsError(words.join(', ') || '—');
        if (found.includes('mode')) errors.push({ href: '#mode-once', text: t(ctx, 'error_mode') });
        if (found.includes('validityDays')) errors.push({ href: '#validity-days', text: t(ctx, 'error_validity', { max: agreement.maxValidityDays }) });
        if (found.includes('intervalDays')) errors.push({ href: '#interval-days', text: t(ctx, 'error_interval') });
        if (!errors.length) itemsError('—');
        return again(400);
      }
      if (e instanceof z.ZodError) {
        itemsError(choice.items.join(', '));
        return again(400);
      }
      throw e;
    }
  });

  /** A consent request this citizen may see: one made for them, or for whoever opens it; else 404. */
  async function requestFor(citizenId: string, id: string) {
    const request = UUID.test(id) ? await findRequest(platform.db, id) : undefined;
    if (!request || (request.citizenHint && request.citizenHint !== citizenId)) throw new NotFoundError('no such consent request', 'request_not_found');
    const agreement = await findAgreement(platform.db, request.agreementId);
    if (!agreement) throw new NotFoundError('no such consent request', 'request_not_found');
    return { request, agreement };
  }
  app.get('/mydata/requests/:id', { schema: { hide: true, params: Id, querystring: z.looseObject({ done: text(20) }) } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const { request, agreement } = await requestFor(p.me.id, (req.params as { id: string }).id);
    const regs = await registriesOf(platform);
    if (request.status !== 'pending') {
      return page(reply, p.ctx, renderRequestResult(p.ctx, { request, agreement, regs, justAnswered: (req.query as { done?: string }).done === 'answered' }));
    }
    // the answer's form ends in a redirect to the recipient's site: the page's CSP must allow it
    const back = webUrl(request.returnUrl);
    if (back) allowFormRedirectTo(reply, back);
    return page(reply, p.ctx, renderConsentScreen(p.ctx, { agreement, request, regs, errors: [] }));
  });
  const AnswerForm = z.object({ answer: z.enum(['agree', 'decline']), ...Csrf });
  app.post('/mydata/requests/:id', { schema: { hide: true, params: Id, body: AnswerForm } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const id = (req.params as { id: string }).id;
    const { request, agreement } = await requestFor(p.me.id, id);
    let answered = request;
    try {
      answered = await answerRequest(platform, p.me.id, request.id, (req.body as z.infer<typeof AnswerForm>).answer === 'agree');
    } catch (e) {
      // answered meanwhile (another tab) or lapsed: say what became of it
      if (e instanceof PlatformError && e.code === 'request_answered') {
        const now = (await findRequest(platform.db, request.id)) ?? request;
        return page(reply, p.ctx, renderRequestResult(p.ctx, { request: now, agreement, regs: await registriesOf(platform), justAnswered: false }), 409);
      }
      throw e;
    }
    const back = webUrl(answered.returnUrl);
    if (back) {
      allowFormRedirectTo(reply, back);
      return reply.redirect(back, 303);
    }
    return reply.redirect(`/mydata/requests/${answered.id}?done=answered`, 303);
  });

  // ---- 열람 기록 -----------------------------------------------------------------------------
  /** Institutions a reader may belong to: the agencies, and the recipients (by their member code or id). */
  async function institutions() {
    const out = new Map<string, { ko: string; en: string }>(Object.entries(AGENCIES));
    for (const r of await listRecipients(platform.db)) {
      const code = r.clientId?.split('/')[2] ?? r.id;
      if (!out.has(code)) out.set(code, r.name);
    }
    return [...out].map(([code, name]) => ({ code, name }));
  }
  app.get('/mydata/access', { schema: { hide: true } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const ctx = p.ctx;
    const raw = filled((req.query ?? {}) as Record<string, unknown>);
    const errors: FieldError[] = [];
    const query: AccessQuery = {};
    for (const k of ['from', 'to', 'institution', 'service', 'purpose'] as const) {
      const one = AccessFilter.shape[k].safeParse(raw[k]);
      if (one.success) query[k] = one.data;
      else errors.push({ href: k === 'from' ? '#filter-from' : k === 'to' ? '#filter-to' : `#filter-${k}`, text: t(ctx, k === 'from' || k === 'to' ? 'error_date' : 'error_too_long', { max: 200 }) });
    }
    if (query.from && query.to && query.from > query.to) {
      errors.push({ href: '#filter-to', text: t(ctx, 'error_date_order') });
      delete query.to;
    }
    const before = raw.before && /^\d{1,15}$/.test(raw.before) ? Number(raw.before) : undefined;
    if (before) query.before = before;
    const { entries, next } = await accessLogPage(platform, p.me.id, { ...query, limit: 50 });
    const alertsOn = await alertSetting(platform, p.me.id);
    // alerts are raised by the periodic job; opening the page catches up at once
    if (alertsOn) await scanNewRecipients(platform, p.me.id);
    const alerts = alertsOn ? await alertsOf(platform, p.me.id) : [];
    // readers' institutions in words: the agencies and recipients, then the mediator's directory
    const names = new Map((await institutions()).map((i) => [i.code, i.name]));
    for (const code of new Set([...entries.map((e) => e.institution), ...alerts.map((a) => a.institution)])) {
      const member = names.has(code) ? undefined : await findAgency(platform.db, code);
      if (member) names.set(code, member.name);
    }
    const done = raw.done === 'alerts-on' || raw.done === 'alerts-off' ? raw.done : undefined;
    return page(
      reply,
      ctx,
      renderAccess(ctx, {
        query,
        entries: entries.map((e) => ({ ...e, institutionName: AGENCIES[e.institution] ?? names.get(e.institution) ?? e.institutionName })),
        next,
        regs: await registriesOf(platform),
        institutions: [...names].map(([code, name]) => ({ code, name })),
        alertsOn,
        alerts,
        errors,
        done,
      }),
      errors.length ? 400 : 200,
    );
  });
  const AlertForm = z.object({ on: z.enum(['true', 'false']), ...Csrf });
  app.post('/mydata/access/alerts', { schema: { hide: true, body: AlertForm } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const on = (req.body as z.infer<typeof AlertForm>).on === 'true';
    await setNewRecipientAlert(platform, p.me.id, on);
    return reply.redirect(`/mydata/access${accessQueryString({}, { done: on ? 'alerts-on' : 'alerts-off' })}#alerts`, 303);
  });

  await mydataConsolePages(app, { platform, assets, demo });
}

