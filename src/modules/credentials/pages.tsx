import { defineMessages } from '../../platform/i18n.ts';
import { DataTable, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { DeferredRequest } from './deferred.ts';
import type { CredentialConfiguration } from './documents.ts';
import type { StatusName } from './status.ts';

// 내 전자증명서 (/documents): a signed-in citizen's documents. They ask for one (an offer for
// their wallet, with its transaction code), see what was issued and its status, and report a
// lost device. Reads without JavaScript.

export const documentText = defineMessages({
  ko: {
    title: '내 전자증명서',
    lead: '기관의 등록부에 있는 정보로 전자증명서를 만들어 전자지갑에 받습니다. 받은 증명서는 필요한 항목만 골라 보여 줄 수 있습니다.',
    available: '받을 수 있는 증명서',
    get: '전자지갑으로 받기',
    get_label: '{action}: {name}',
    get_mdoc: 'ISO mdoc 형식으로 받기',
    issued: '발급한 증명서',
    none: '아직 발급한 증명서가 없습니다.',
    col_document: '증명서',
    col_status: '상태',
    col_issued: '발급일',
    col_expires: '유효기간',
    status_valid: '유효',
    status_suspended: '정지',
    status_invalid: '폐기',
    lost: '기기를 잃어버렸나요?',
    lost_text: '전자지갑이 든 기기를 잃어버렸다면 발급한 증명서를 모두 바로 정지합니다. 정지를 풀려면 주민센터에서 본인 확인을 받으세요.',
    lost_button: '모든 증명서 정지',
    done_suspended: '증명서 {count}개를 정지했습니다.',
    offer_title: '{name} 받기',
    offer_lead: '전자지갑 앱에서 아래 링크를 열거나, 링크를 지갑에 붙여 넣으세요. 지갑이 확인 번호를 물으면 아래 번호를 입력하세요. 15분 안에 한 번만 쓸 수 있습니다.',
    offer_link: '전자지갑에서 열기',
    offer_web_wallet: '이 기기의 하나로 전자지갑에서 받기',
    offer_code: '확인 번호',
    offer_uri: '지갑에 붙여 넣을 링크',
    offer_qr: '다른 기기의 전자지갑으로 받으려면 이 QR 코드를 휴대전화로 찍으세요',
    offer_qr_alt: '{name}을(를) 받을 QR 코드',
    back: '내 전자증명서로 돌아가기',
    needs_approval: '{agency} 담당자가 승인한 뒤 지갑으로 발급됩니다.',
    requests: '승인을 기다리는 신청',
    col_requested: '신청일',
    col_reason: '사유',
    request_pending: '승인 대기',
    request_issuing: '승인 대기',
    request_approved: '승인됨: 지갑에서 받기를 기다림',
    request_refused: '거절됨',
  },
  en: {
    title: 'My digital documents',
    lead: 'Documents made from what the agencies’ registers hold, received into your digital wallet. You can then show only the items someone needs.',
    available: 'Documents you can get',
    get: 'Get it in my wallet',
    get_label: '{action}: {name}',
    get_mdoc: 'Get it as an ISO mdoc',
    issued: 'Documents issued',
    none: 'No document has been issued yet.',
    col_document: 'Document',
    col_status: 'Status',
    col_issued: 'Issued',
    col_expires: 'Valid until',
    status_valid: 'Valid',
    status_suspended: 'Suspended',
    status_invalid: 'Revoked',
    lost: 'Lost your device?',
    lost_text: 'If you lost the device that holds your wallet, suspend every document issued at once. To lift the suspension, have your identity checked at a community centre.',
    lost_button: 'Suspend all documents',
    done_suspended: '{count} document(s) suspended.',
    offer_title: 'Get {name}',
    offer_lead: 'Open the link below in your wallet app, or paste it into your wallet. If the wallet asks for a transaction code, enter the one below. It works once, within 15 minutes.',
    offer_link: 'Open in my wallet',
    offer_web_wallet: 'Receive in the Hanaro wallet on this device',
    offer_code: 'Transaction code',
    offer_uri: 'Link to paste into your wallet',
    offer_qr: 'To receive it on another device, scan this QR code with your phone',
    offer_qr_alt: 'QR code to receive {name}',
    back: 'Back to my documents',
    needs_approval: 'Issued to your wallet once an official of {agency} approves it.',
    requests: 'Requests waiting for approval',
    col_requested: 'Requested',
    col_reason: 'Reason',
    request_pending: 'Waiting for approval',
    request_issuing: 'Waiting for approval',
    request_approved: 'Approved: waiting for your wallet to collect it',
    request_refused: 'Refused',
  },
});
type Key = keyof typeof documentText.catalogue.ko;
const t = (ctx: Pick<PageContext, 'lang'>, key: Key, params?: Record<string, string | number>) => documentText(ctx.lang, key, params);

export interface DocumentsView {
  configurations: CredentialConfiguration[];
  credentials: Array<{ id: string; configurationId: string; status: StatusName; issuedAt: string; expiresAt: string }>;
  /** Requests for documents that need an official's approval, not yet in the wallet. */
  requests?: DeferredRequest[];
  done?: string;
}

const STATUS_KEY: Record<StatusName, Key> = { valid: 'status_valid', suspended: 'status_suspended', invalid: 'status_invalid' };

export function renderDocuments(ctx: PageContext, v: DocumentsView) {
  // a document's mdoc form is offered next to its SD-JWT VC, not as a document of its own
  const hasMain = (m: CredentialConfiguration) => v.configurations.some((c) => c.format !== 'mso_mdoc' && c.type === m.type);
  const documents = v.configurations
    .filter((c) => c.format !== 'mso_mdoc' || !hasMain(c))
    .map((main) => ({ main, mdocs: main.format === 'mso_mdoc' ? [] : v.configurations.filter((m) => m.format === 'mso_mdoc' && m.type === main.type) }));
  const nameOf = (id: string) => {
    const c = v.configurations.find((x) => x.id === id);
    return c ? c.name[ctx.lang] : id;
  };
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'title')}>
      <h1 class="hn-title">{t(ctx, 'title')}</h1>
      <p class="hn-lead">{t(ctx, 'lead')}</p>
      <StatusNotice text={v.done} />
      <section class="hn-section" aria-labelledby="available">
        <h2 id="available" class="hn-subtitle">
          {t(ctx, 'available')}
        </h2>
        <ul class="hn-facts">
          {documents.map(({ main, mdocs }) => (
            <li>
              <strong>{main.name[ctx.lang]}</strong>: {main.description[ctx.lang]}
              {main.approval ? (
                <>
                  <br />
                  {t(ctx, 'needs_approval', { agency: main.approval.name[ctx.lang] })}
                </>
              ) : null}
              {[main, ...mdocs].map((c) => (
                <form method="post" action="/documents/offer" class="hn-actions">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <input type="hidden" name="configuration" value={c.id} />
                  {/* the visible words first in the accessible name (WCAG 2.5.3), then which document */}
                  <button type="submit" class="krds-btn secondary small" aria-label={t(ctx, 'get_label', { action: t(ctx, c === main ? 'get' : 'get_mdoc'), name: c.name[ctx.lang] })}>
                    {t(ctx, c === main ? 'get' : 'get_mdoc')}
                  </button>
                </form>
              ))}
            </li>
          ))}
        </ul>
      </section>
      {v.requests?.length ? (
        <section class="hn-section" aria-labelledby="requests">
          <h2 id="requests" class="hn-subtitle">
            {t(ctx, 'requests')}
          </h2>
          <DataTable captionId="requests" columns={[t(ctx, 'col_document'), t(ctx, 'col_requested'), t(ctx, 'col_status'), t(ctx, 'col_reason')]}>
            {v.requests.map((r) => (
              <tr>
                <th scope="row">{nameOf(r.configurationId)}</th>
                <td>{r.createdAt.slice(0, 10)}</td>
                <td>{t(ctx, `request_${r.status === 'delivered' ? 'approved' : r.status}`)}</td>
                <td>{r.reason ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
      <section class="hn-section" aria-labelledby="issued">
        <h2 id="issued" class="hn-subtitle">
          {t(ctx, 'issued')}
        </h2>
        {v.credentials.length ? (
          <DataTable captionId="issued" columns={[t(ctx, 'col_document'), t(ctx, 'col_status'), t(ctx, 'col_issued'), t(ctx, 'col_expires')]}>
            {v.credentials.map((c) => (
              <tr>
                <th scope="row">{nameOf(c.configurationId)}</th>
                <td>{t(ctx, STATUS_KEY[c.status])}</td>
                <td>{c.issuedAt.slice(0, 10)}</td>
                <td>{c.expiresAt.slice(0, 10)}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'none')}</p>
        )}
      </section>
      <section class="hn-section" aria-labelledby="lost">
        <h2 id="lost" class="hn-subtitle">
          {t(ctx, 'lost')}
        </h2>
        <p>{t(ctx, 'lost_text')}</p>
        <form method="post" action="/documents/lost-device">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="krds-btn tertiary medium">
            {t(ctx, 'lost_button')}
          </button>
        </form>
      </section>
    </Layout>,
  );
}

export function renderOffer(ctx: PageContext, o: { name: string; uri: string; webWalletUrl?: string; qr?: string; txCode?: string }) {
  const title = t(ctx, 'offer_title', { name: o.name });
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'offer_lead')}</p>
      <p>
        <a href={o.uri} class="krds-btn primary large">
          {t(ctx, 'offer_link')}
        </a>{' '}
        {o.webWalletUrl ? (
          <a href={o.webWalletUrl} class="krds-btn secondary large">
            {t(ctx, 'offer_web_wallet')}
          </a>
        ) : null}
      </p>
      <dl class="hn-facts">
        {o.txCode ? (
          <>
            <dt>{t(ctx, 'offer_code')}</dt>
            <dd>
              <code class="hn-secret">{o.txCode}</code>
            </dd>
          </>
        ) : null}
        {o.qr ? (
          <>
            <dt>{t(ctx, 'offer_qr')}</dt>
            <dd>
              <img class="hn-qr" src={o.qr} alt={t(ctx, 'offer_qr_alt', { name: o.name })} width={240} height={240} />
            </dd>
          </>
        ) : null}
        <dt>{t(ctx, 'offer_uri')}</dt>
        <dd>
          <code class="hn-offer-uri">{o.uri}</code>
        </dd>
      </dl>
      <p>
        <a href="/documents" class="krds-btn secondary medium">
          {t(ctx, 'back')}
        </a>
      </p>
    </Layout>,
  );
}
