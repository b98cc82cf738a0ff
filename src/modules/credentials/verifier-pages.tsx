import { defineMessages } from '../../platform/i18n.ts';
import { DataTable, Layout } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import { CONFIGURATIONS, type Names } from './documents.ts';
import type { CheckId, PresentationRequest, VerifiedCredential } from './verifier.ts';

// 창구 확인 (/verifier): an official at a counter asks a visitor's wallet for what the check needs
// (age, identity, address, a licence), shows the QR code, and sees the verified result. The page
// reads without JavaScript (a link reloads it); with it, the page reloads itself when the answer
// arrives.

export const verifierText = defineMessages({
  ko: {
    title: '창구 전자증명서 확인',
    lead: '방문자의 전자지갑에 필요한 항목만 요청합니다. 방문자가 QR 코드를 찍어 동의하면 결과가 이 화면에 나옵니다. 정부 시스템에 묻지 않고 서명과 폐기 여부를 확인합니다.',
    check: '무엇을 확인할까요?',
    purpose: '확인하는 이유 (방문자의 지갑에 보입니다, 선택)',
    create: '확인 요청 만들기',
    request_title: '{check}',
    scan: '방문자가 휴대전화의 전자지갑이나 카메라로 아래 QR 코드를 찍게 하세요.',
    qr_alt: '전자지갑으로 찍을 QR 코드: {check} 요청',
    same_device: '이 기기의 하나로 전자지갑으로 열기',
    link: 'QR 코드를 찍을 수 없으면 이 링크를 보내세요',
    pending: '방문자의 응답을 기다리고 있습니다. {time}까지 유효합니다.',
    refresh: '결과 확인',
    verified: '확인했습니다. 서명, 유효기간, 폐기 여부와 본인 기기 소지를 모두 확인했습니다.',
    failed: '확인하지 못했습니다: {reason}',
    expired: '요청 시간이 지났습니다. 새 요청을 만드세요.',
    col_item: '항목',
    col_value: '값',
    document: '증명서',
    issuer: '발급자',
    yes: '예',
    no: '아니요',
    again: '새 확인 요청',
    reason_revoked: '폐기된 증명서입니다',
    reason_suspended: '정지된 증명서입니다',
    reason_expired: '유효기간이 지났습니다',
    reason_untrusted_issuer: '신뢰하는 발급자가 아닙니다',
    reason_wallet: '방문자가 제출을 거절했습니다',
    reason_other: '증명서를 검증할 수 없습니다 ({code})',
    enrol_title: '모바일 신분증으로 시작하기',
    enrol_lead: '전자지갑의 모바일 주민등록증으로 본인임을 확인하고 하나로 계정을 만들거나 로그인합니다. 성명만 보내며, 주민등록번호는 묻지 않습니다. 확인한 뒤에는 이 기기에 패스키를 등록하세요.',
    enrol_scan: '휴대전화의 전자지갑이나 카메라로 QR 코드를 찍으세요. 이 기기에 전자지갑이 있으면 아래 단추를 누르세요.',
    enrol_qr_alt: '전자지갑으로 찍을 QR 코드: 하나로 가입·로그인 요청',
    enrol_continue: '확인했으면 계속',
    enrol_failed: '모바일 신분증을 확인하지 못했습니다: {reason}',
    enrol_unknown: '이 모바일 주민등록증은 하나로가 발급한 유효한 신분증이 아닙니다.',
    enrol_again: '다시 시도',
    enrol_warning: '다른 사람이 보낸 QR 코드는 찍지 마세요. 이 요청은 지금 이 화면에서 시작한 것입니다.',
  },
  en: {
    title: 'Check documents at the counter',
    lead: 'Ask a visitor’s wallet for only what you need. When the visitor scans the QR code and agrees, the result appears here. The signature and revocation are checked without calling any government system.',
    check: 'What do you need to check?',
    purpose: 'Why you ask (shown in the visitor’s wallet, optional)',
    create: 'Create the request',
    request_title: '{check}',
    scan: 'Have the visitor scan this QR code with the wallet or the camera on their phone.',
    qr_alt: 'QR code for the wallet: request for {check}',
    same_device: 'Open in the Hanaro wallet on this device',
    link: 'If the QR code cannot be scanned, send this link',
    pending: 'Waiting for the visitor. The request is valid until {time}.',
    refresh: 'Check for the result',
    verified: 'Verified: the signature, validity, revocation and the holder’s device were all checked.',
    failed: 'Not verified: {reason}',
    expired: 'The request has expired. Create a new one.',
    col_item: 'Item',
    col_value: 'Value',
    document: 'Document',
    issuer: 'Issuer',
    yes: 'Yes',
    no: 'No',
    again: 'New request',
    reason_revoked: 'the document was revoked',
    reason_suspended: 'the document is suspended',
    reason_expired: 'the document has expired',
    reason_untrusted_issuer: 'the issuer is not trusted',
    reason_wallet: 'the visitor declined',
    reason_other: 'the document could not be verified ({code})',
    enrol_title: 'Start with your mobile ID',
    enrol_lead: 'Prove who you are with the mobile resident ID in your wallet to create your Hanaro account or sign in. Only your name is sent; no resident registration number is asked. Then register a passkey on this device.',
    enrol_scan: 'Scan the QR code with the wallet or camera on your phone. If the wallet is on this device, use the button below.',
    enrol_qr_alt: 'QR code for the wallet: Hanaro sign-up and sign-in request',
    enrol_continue: 'Continue once confirmed',
    enrol_failed: 'Your mobile ID could not be verified: {reason}',
    enrol_unknown: 'This mobile resident ID is not a valid ID issued by Hanaro.',
    enrol_again: 'Try again',
    enrol_warning: 'Never scan a QR code someone else sent you. This request was started on this screen just now.',
  },
});
type Key = keyof typeof verifierText.catalogue.ko;
const t = (ctx: Pick<PageContext, 'lang'>, key: Key, params?: Record<string, string | number>) => verifierText(ctx.lang, key, params);

export function renderCounter(ctx: PageContext, v: { checks: Array<{ id: CheckId; name: Names }> }) {
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'title')}>
      <h1 class="hn-title">{t(ctx, 'title')}</h1>
      <p class="hn-lead">{t(ctx, 'lead')}</p>
      <form method="post" action="/verifier/requests" class="hn-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <fieldset class="hn-fieldset">
          <legend class="hn-legend">{t(ctx, 'check')}</legend>
          {v.checks.map((c, i) => (
            <div class="krds-form-check">
              <input type="radio" id={`check-${c.id}`} name="check" value={c.id} checked={i === 0} />
              <label for={`check-${c.id}`}>{c.name[ctx.lang]}</label>
            </div>
          ))}
        </fieldset>
        <div class="form-group">
          <div class="form-tit">
            <label for="purpose">{t(ctx, 'purpose')}</label>
          </div>
          <div class="form-conts">
            <input type="text" id="purpose" name="purpose" class="krds-input" maxLength={200} />
          </div>
        </div>
        <div class="hn-actions">
          <button type="submit" class="krds-btn primary medium">
            {t(ctx, 'create')}
          </button>
        </div>
      </form>
    </Layout>,
  );
}

/** A disclosed claim's label from the document's claim list (`address.region` → 시도). */
function labelOf(type: string | undefined, path: string[], lang: 'ko' | 'en'): string {
  const c = type ? CONFIGURATIONS[type]?.claims.find((x) => x.path.join('.') === path.join('.')) : undefined;
  return c ? c.display[lang] : path.join('.');
}

function valueText(ctx: PageContext, v: unknown): string {
  if (v === true) return t(ctx, 'yes');
  if (v === false) return t(ctx, 'no');
  if (Array.isArray(v)) return v.map((x) => valueText(ctx, x)).join('; ');
  if (v && typeof v === 'object') {
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${valueText(ctx, x)}`)
      .join(', ');
  }
  return String(v ?? '');
}

/** Disclosed claims as rows: an object of disclosed members (address, age checks) becomes one row per member. */
function rowsOf(c: VerifiedCredential): Array<{ path: string[]; value: unknown }> {
  const out: Array<{ path: string[]; value: unknown }> = [];
  for (const [k, v] of Object.entries(c.claims)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [m, x] of Object.entries(v)) out.push({ path: [k, m], value: x });
    else out.push({ path: [k], value: v });
  }
  return out;
}

const REASONS = new Set(['revoked', 'suspended', 'expired', 'untrusted_issuer', 'wallet']);

export function renderRequest(ctx: PageContext, v: { request: PresentationRequest; checkName: string; qr: string; uri: string; walletUrl: string }) {
  const r = v.request;
  const code = (r.error ?? '').split(':')[0]!;
  const reason = REASONS.has(code) ? t(ctx, `reason_${code}` as Key) : t(ctx, 'reason_other', { code });
  const until = new Date(r.expiresAt).toLocaleTimeString(ctx.lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit' });
  return renderDocument(
    <Layout ctx={ctx} title={`${v.checkName} - ${t(ctx, 'title')}`}>
      <h1 class="hn-title">{v.checkName}</h1>
      <div id="verifier-result" data-request={r.id} data-status={r.status} role="status">
        {r.status === 'verified' ? <p class="hn-notice">{t(ctx, 'verified')}</p> : null}
        {r.status === 'failed' ? <p class="hn-notice">{t(ctx, 'failed', { reason })}</p> : null}
        {r.status === 'expired' ? <p class="hn-notice">{t(ctx, 'expired')}</p> : null}
        {r.status === 'pending' ? <p>{t(ctx, 'pending', { time: until })}</p> : null}
      </div>
      {r.status === 'pending' ? (
        <section class="hn-section" aria-labelledby="scan">
          <h2 id="scan" class="hn-subtitle">
            {t(ctx, 'scan')}
          </h2>
          <p>
            <img class="hn-qr" src={v.qr} alt={t(ctx, 'qr_alt', { check: v.checkName })} width={240} height={240} />
          </p>
          <p class="hn-actions">
            <a class="krds-btn secondary medium" href={v.walletUrl}>
              {t(ctx, 'same_device')}
            </a>
            <a class="krds-btn tertiary medium" href={`/verifier/requests/${r.id}`}>
              {t(ctx, 'refresh')}
            </a>
          </p>
          <dl class="hn-facts">
            <dt>{t(ctx, 'link')}</dt>
            <dd>
              <code class="hn-offer-uri">{v.uri}</code>
            </dd>
          </dl>
        </section>
      ) : null}
      {r.status === 'verified' && r.result
        ? Object.values(r.result.credentials)
            .flat()
            .map((c, i) => (
              <section class="hn-section" aria-labelledby={`doc-${i}`}>
                <h2 id={`doc-${i}`} class="hn-subtitle">
                  {c.name ? c.name[ctx.lang] : (c.vct ?? t(ctx, 'document'))}
                </h2>
                <DataTable captionId={`doc-${i}`} columns={[t(ctx, 'col_item'), t(ctx, 'col_value')]}>
                  {rowsOf(c).map((row) => (
                    <tr>
                      <th scope="row">{labelOf(c.type, row.path, ctx.lang)}</th>
                      <td>{valueText(ctx, row.value)}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{t(ctx, 'issuer')}</th>
                    <td>{c.issuer}</td>
                  </tr>
                </DataTable>
              </section>
            ))
        : null}
      <p>
        <a class="krds-btn primary medium" href="/verifier">
          {t(ctx, 'again')}
        </a>
      </p>
      {r.status === 'pending' ? <script type="module" src="/verifier/counter.js"></script> : null}
    </Layout>,
  );
}

/** 모바일 신분증으로 시작하기 (/enrol/mobile-id): the QR code and same-device button, then on to /enrol/mobile-id/done. */
export function renderMobileIdEnrolment(ctx: PageContext, v: { status: PresentationRequest['status'] | 'unknown'; error?: string; qr?: string; walletUrl?: string }) {
  const code = (v.error ?? '').split(':')[0]!;
  const reason = REASONS.has(code) ? t(ctx, `reason_${code}` as Key) : t(ctx, 'reason_other', { code });
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'enrol_title')}>
      <h1 class="hn-title">{t(ctx, 'enrol_title')}</h1>
      <p class="hn-lead">{t(ctx, 'enrol_lead')}</p>
      <div id="verifier-result" data-status={v.status} data-status-url="/enrol/mobile-id/status" data-done-url="/enrol/mobile-id/done" role="status">
        {v.status === 'failed' ? <p class="hn-notice">{t(ctx, 'enrol_failed', { reason })}</p> : null}
        {v.status === 'unknown' ? <p class="hn-notice">{t(ctx, 'enrol_unknown')}</p> : null}
        {v.status === 'expired' ? <p class="hn-notice">{t(ctx, 'expired')}</p> : null}
      </div>
      {v.status === 'pending' && v.qr && v.walletUrl ? (
        <section class="hn-section" aria-labelledby="scan">
          <h2 id="scan" class="hn-subtitle">
            {t(ctx, 'enrol_scan')}
          </h2>
          <p class="hn-notice">{t(ctx, 'enrol_warning')}</p>
          <p>
            <img class="hn-qr" src={v.qr} alt={t(ctx, 'enrol_qr_alt')} width={240} height={240} />
          </p>
          <p class="hn-actions">
            <a class="krds-btn secondary medium" href={v.walletUrl}>
              {t(ctx, 'same_device')}
            </a>
            <a class="krds-btn primary medium" href="/enrol/mobile-id/done">
              {t(ctx, 'enrol_continue')}
            </a>
          </p>
        </section>
      ) : (
        <p>
          <a class="krds-btn primary medium" href="/enrol/mobile-id">
            {t(ctx, 'enrol_again')}
          </a>
        </p>
      )}
      {v.status === 'pending' ? <script type="module" src="/verifier/counter.js"></script> : null}
    </Layout>,
  );
}
