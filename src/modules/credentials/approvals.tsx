import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Official } from '../../platform/auth.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { defineMessages } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { Breadcrumb, DataTable, Layout, StatusNotice } from '../../web/components.tsx';
import { officialOrSignIn, pageContext, requireForm, sendPrivatePage, type PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { residentSummary } from '../registries/index.ts';
import { agencyQueue, decideDeferred, type DeferredRequest } from './deferred.ts';
import { CONFIGURATIONS } from './documents.ts';

// The approving agency's queue in the officials' console (/console/credentials/{agency}/approvals):
// requests for documents that need the agency's approval, each approved (the credential is
// issued then, for the wallet's next poll) or refused with a reason the citizen sees. Case
// workers and administrators of that agency only; no JavaScript needed.

export const approvalText = defineMessages({
  ko: {
    console: '공무원 업무 화면',
    title: '전자증명서 발급 승인 ({agency})',
    lead: '기관의 승인이 필요한 전자증명서 신청입니다. 승인하면 그 시점의 등록부 정보로 증명서를 발급해 신청인의 전자지갑이 받아 갑니다. 거절 사유는 신청인에게 보입니다.',
    none_configured: '이 기관의 승인이 필요한 전자증명서는 없습니다.',
    documents: '승인이 필요한 증명서: {names}',
    pending: '대기 중인 신청',
    pending_none: '대기 중인 신청이 없습니다.',
    decided: '최근 처리한 신청',
    col_requested: '신청일',
    col_person: '신청인',
    col_document: '증명서',
    col_actions: '처리',
    col_decision: '결과',
    col_decided: '처리일',
    col_reason: '사유',
    approve: '승인',
    approve_label: '승인: {name}, {document}',
    refuse: '거절',
    refuse_label: '거절: {name}, {document}',
    reason_label: '거절 사유 (신청인에게 보임, 선택)',
    decision_approved: '승인',
    decision_delivered: '승인 (지갑이 받음)',
    decision_refused: '거절',
    done_approved: '승인하고 증명서를 발급했습니다. 신청인의 지갑이 받아 갑니다.',
    done_refused: '신청을 거절했습니다.',
    done_denied: '등록부에 이 사람의 기록이 없어 발급할 수 없습니다. 신청은 거절로 처리되었습니다.',
  },
  en: {
    console: 'Officials’ console',
    title: 'Document approvals ({agency})',
    lead: 'Requests for documents that need your agency’s approval. Approving issues the document from what the registers hold at that moment, for the applicant’s wallet to collect. A refusal’s reason is shown to the applicant.',
    none_configured: 'No document needs this agency’s approval.',
    documents: 'Documents that need approval: {names}',
    pending: 'Waiting requests',
    pending_none: 'No request is waiting.',
    decided: 'Recently decided',
    col_requested: 'Requested',
    col_person: 'Applicant',
    col_document: 'Document',
    col_actions: 'Decision',
    col_decision: 'Result',
    col_decided: 'Decided',
    col_reason: 'Reason',
    approve: 'Approve',
    approve_label: 'Approve: {name}, {document}',
    refuse: 'Refuse',
    refuse_label: 'Refuse: {name}, {document}',
    reason_label: 'Reason for refusing (shown to the applicant, optional)',
    decision_approved: 'Approved',
    decision_delivered: 'Approved (collected)',
    decision_refused: 'Refused',
    done_approved: 'Approved and issued: the applicant’s wallet will collect it.',
    done_refused: 'The request was refused.',
    done_denied: 'The register holds no record for this person, so the document cannot be issued; the request is refused.',
  },
});
type Key = keyof typeof approvalText.catalogue.ko;
const t = (ctx: Pick<PageContext, 'lang'>, key: Key, params?: Record<string, string | number>) => approvalText(ctx.lang, key, params);

/** Where an agency's approval queue is (the console's front page links to it). */
export const approvalsPath = (agency: string) => `/console/credentials/${encodeURIComponent(agency)}/approvals`;

interface QueueView {
  agency: string;
  pending: Array<DeferredRequest & { name: string }>;
  decided: Array<DeferredRequest & { name: string }>;
  done?: Key;
}

function renderQueue(ctx: PageContext, v: QueueView) {
  const title = t(ctx, 'title', { agency: v.agency });
  const configs = Object.values(CONFIGURATIONS).filter((c) => c.approval?.agency === v.agency);
  const doc = (id: string) => CONFIGURATIONS[id]?.name[ctx.lang] ?? id;
  const base = approvalsPath(v.agency);
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: t(ctx, 'console') }, { href: base, label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'lead')}</p>
      <p>{configs.length ? t(ctx, 'documents', { names: configs.map((c) => c.name[ctx.lang]).join(', ') }) : t(ctx, 'none_configured')}</p>
      <StatusNotice text={v.done && t(ctx, v.done)} />
      <section class="hn-section" aria-labelledby="pending">
        <h2 id="pending" class="hn-subtitle">
          {t(ctx, 'pending')}
        </h2>
        {v.pending.length ? (
          <DataTable captionId="pending" columns={[t(ctx, 'col_requested'), t(ctx, 'col_person'), t(ctx, 'col_document'), t(ctx, 'col_actions')]}>
            {v.pending.map((r) => (
              <tr>
                <td>{r.createdAt.slice(0, 16).replace('T', ' ')} UTC</td>
                <th scope="row">{r.name}</th>
                <td>{doc(r.configurationId)}</td>
                <td>
                  <div class="hn-actions">
                    <form method="post" action={`${base}/${r.id}/approve`}>
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <button type="submit" class="krds-btn primary small" aria-label={t(ctx, 'approve_label', { name: r.name, document: doc(r.configurationId) })}>
                        {t(ctx, 'approve')}
                      </button>
                    </form>
                    <form method="post" action={`${base}/${r.id}/refuse`}>
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <label for={`reason-${r.id}`}>{t(ctx, 'reason_label')}</label>
                      <input type="text" id={`reason-${r.id}`} name="reason" class="krds-input" maxLength={300} />
                      <button type="submit" class="krds-btn tertiary small" aria-label={t(ctx, 'refuse_label', { name: r.name, document: doc(r.configurationId) })}>
                        {t(ctx, 'refuse')}
                      </button>
                    </form>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'pending_none')}</p>
        )}
      </section>
      {v.decided.length ? (
        <section class="hn-section" aria-labelledby="decided">
          <h2 id="decided" class="hn-subtitle">
            {t(ctx, 'decided')}
          </h2>
          <DataTable captionId="decided" columns={[t(ctx, 'col_decided'), t(ctx, 'col_person'), t(ctx, 'col_document'), t(ctx, 'col_decision'), t(ctx, 'col_reason')]}>
            {v.decided.map((r) => (
              <tr>
                <td>{(r.decidedAt ?? '').slice(0, 16).replace('T', ' ')} UTC</td>
                <th scope="row">{r.name}</th>
                <td>{doc(r.configurationId)}</td>
                <td>{t(ctx, r.status === 'refused' ? 'decision_refused' : r.status === 'delivered' ? 'decision_delivered' : 'decision_approved')}</td>
                <td>{r.reason ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </Layout>,
  );
}

const AgencyParams = z.object({ agency: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,29}$/) });
const RequestParams = AgencyParams.extend({ id: z.uuid() });
const Done = z.looseObject({ done: z.enum(['approved', 'refused', 'denied']).optional() });
const DONE: Record<string, Key> = { approved: 'done_approved', refused: 'done_refused', denied: 'done_denied' };

export async function approvalRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const demo = platform.config.mode === 'demo';
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));

  /**
   * A case worker or administrator of the agency itself: the decision is the agency's, so a
   * platform administrator of another agency may not take it. Nobody signed in is sent to sign in (GET).
   */
  async function approverFor(req: FastifyRequest, reply: FastifyReply, agency: string): Promise<Official | undefined> {
    const actor = await officialOrSignIn(req, reply);
    if (actor && (actor.agency !== agency || !actor.roles.some((r) => r === 'case-worker' || r === 'agency-admin'))) {
      throw new ForbiddenError('only the approving agency\u2019s case workers and administrators decide these requests', 'forbidden');
    }
    return actor;
  }
  const named = async (list: DeferredRequest[]) => Promise.all(list.map(async (r) => ({ ...r, name: (await residentSummary(platform, r.citizenId))?.name ?? '—' })));

  app.get('/console/credentials/:agency/approvals', { schema: { hide: true, params: AgencyParams, querystring: Done } }, async (req, reply) => {
    const { agency } = req.params as z.infer<typeof AgencyParams>;
    const actor = await approverFor(req, reply, agency);
    if (!actor) return reply;
    const queue = await agencyQueue(platform, agency);
    const ctx = pageContext(req, { assets, demo, form: reply, signedIn: { name: actor.name, official: true } });
    const done = DONE[(req.query as z.infer<typeof Done>).done ?? ''];
    return sendPrivatePage(reply, ctx.lang, renderQueue(ctx, { agency, pending: await named(queue.pending), decided: await named(queue.decided), done }));
  });

  const decide = (approve: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    requireForm(req);
    const { agency, id } = req.params as z.infer<typeof RequestParams>;
    const actor = (await approverFor(req, reply, agency))!;
    const reason = (req.body as { reason?: string }).reason;
    const outcome = await decideDeferred(platform, { id, agency, approve, reason }, `official:${actor.id}`);
    return reply.redirect(`${approvalsPath(agency)}?done=${outcome}`, 303);
  };
  const Form = z.object({ reason: z.string().max(600).optional(), _csrf: z.string().optional() });
  app.post('/console/credentials/:agency/approvals/:id/approve', { schema: { hide: true, params: RequestParams, body: Form } }, decide(true));
  app.post('/console/credentials/:agency/approvals/:id/refuse', { schema: { hide: true, params: RequestParams, body: Form } }, decide(false));
}
