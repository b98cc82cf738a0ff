import { defineMessages } from '../../platform/i18n.ts';
import { Layout } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';

// 전자지갑 (/wallet): the web wallet. Its keys and documents live in this browser (IndexedDB, keys
// as non-extractable WebCrypto keys), so the server sends the same page to everyone and the
// island /wallet/wallet.js fills it in; the templates below carry its markup (and keep the KRDS
// classes it uses in the purged stylesheet). Without JavaScript the page says what it needs.

export const walletText = defineMessages({
  ko: {
    title: '전자지갑',
    lead: '전자증명서와 모바일 신분증을 이 기기에 보관하고, 필요한 항목만 골라 보여 줍니다. 증명서와 열쇠는 이 브라우저 밖으로 나가지 않습니다.',
    noscript: '전자지갑은 증명서의 열쇠를 이 브라우저 안에 만들어 보관하므로 JavaScript가 필요합니다. JavaScript를 켜거나, 발급받은 증명서는 내 전자증명서 화면에서 확인하세요.',
    documents_link: '내 전자증명서',
    cards: '내 증명서',
    empty: '아직 받은 증명서가 없습니다. 내 전자증명서에서 증명서를 받으세요.',
    details: '자세히 보기',
    issuer: '발급자',
    received: '받은 날',
    expires: '유효기간',
    delete: '삭제',
    delete_label: '{name} 삭제',
    confirm_delete: '{name}을(를) 이 기기에서 삭제할까요? 다시 받으려면 새로 발급받아야 합니다.',
    deleted: '{name}을(를) 삭제했습니다.',
    open: '링크로 받기·제출하기',
    open_label: '증명서 받기 링크 또는 제출 요청 링크',
    open_hint: 'openid-credential-offer:// 또는 openid4vp:// 로 시작하는 링크, 또는 QR 코드의 주소를 붙여 넣으세요.',
    open_button: '열기',
    offer_title: '증명서 받기',
    offer_lead: '{issuer}에서 다음 증명서를 보냅니다: {names}',
    tx_code: '확인 번호 ({length}자리)',
    tx_code_hint: '증명서를 요청한 화면에 나온 번호입니다.',
    accept: '받기',
    receiving: '증명서를 받고 있습니다…',
    received_ok: '{names}을(를) 받았습니다.',
    pending_ok: '{names}은(는) 담당 공무원이 확인한 뒤 발급됩니다. 승인되면 이 지갑이 받아 옵니다.',
    pending: '발급을 기다리는 증명서',
    pending_item: '{name} ({issuer}, {date} 신청): 담당 공무원 확인 중',
    pending_check: '다시 확인',
    pending_arrived: '승인된 증명서 {count}개를 받았습니다.',
    pending_still: '아직 확인 중입니다.',
    pending_refused: '{name}은(는) 발급되지 않았습니다: {reason}',
    request_title: '제출 요청',
    request_who: '{name}이(가) 증명서 항목을 요청합니다.',
    request_registered: '하나로에 등록된 이용기관입니다 ({kind}).',
    request_unregistered: '하나로에 등록되지 않은 곳입니다. 믿을 수 있는 곳인지 확인하세요.',
    request_why: '요청 이유: {purpose}',
    request_document: '보낼 증명서',
    request_claims: '보낼 항목',
    request_optional: '선택 항목 (보낼지 직접 고르세요)',
    request_only: '이 항목만 보내고, 다른 정보는 보내지 않습니다.',
    submit: '동의하고 제출',
    decline: '거절',
    submitting: '제출하고 있습니다…',
    submitted: '{name}에 제출했습니다.',
    declined: '제출을 거절했습니다.',
    no_match: '요청한 항목이 든 증명서가 이 지갑에 없습니다.',
    failed: '처리하지 못했습니다: {reason}',
    history: '제출 기록',
    history_empty: '아직 제출한 기록이 없습니다.',
    history_item: '{time} · {name} · {claims} · {outcome}',
    outcome_sent: '제출함',
    outcome_declined: '거절함',
    outcome_failed: '실패',
    kind_private: '민간',
    kind_agency: '공공기관',
    offline: '오프라인입니다. 보관한 증명서는 볼 수 있지만 받기와 제출은 연결된 뒤에 할 수 있습니다.',
    yes: '예',
    no: '아니요',
  },
  en: {
    title: 'Wallet',
    lead: 'Keep digital documents and your mobile ID on this device and show only the items someone needs. Documents and their keys never leave this browser.',
    noscript: 'The wallet makes and keeps the keys of your documents inside this browser, so it needs JavaScript. Turn JavaScript on, or see the documents issued to you under My digital documents.',
    documents_link: 'My digital documents',
    cards: 'My documents',
    empty: 'No document yet. Get one under My digital documents.',
    details: 'Details',
    issuer: 'Issuer',
    received: 'Received',
    expires: 'Valid until',
    delete: 'Delete',
    delete_label: 'Delete {name}',
    confirm_delete: 'Delete {name} from this device? To have it again it must be issued anew.',
    deleted: '{name} deleted.',
    open: 'Open a link',
    open_label: 'Document offer link or presentation request link',
    open_hint: 'Paste a link starting with openid-credential-offer:// or openid4vp://, or the address in a QR code.',
    open_button: 'Open',
    offer_title: 'Receive a document',
    offer_lead: '{issuer} is sending: {names}',
    tx_code: 'Transaction code ({length} digits)',
    tx_code_hint: 'The number shown where you asked for the document.',
    accept: 'Receive',
    receiving: 'Receiving…',
    received_ok: 'Received {names}.',
    pending_ok: '{names} will be issued once an official has checked it. The wallet will collect it when it is approved.',
    pending: 'Waiting for approval',
    pending_item: '{name} ({issuer}, asked on {date}): being checked by an official',
    pending_check: 'Check again',
    pending_arrived: '{count} approved document(s) received.',
    pending_still: 'Still being checked.',
    pending_refused: '{name} was not issued: {reason}',
    request_title: 'Presentation request',
    request_who: '{name} asks for items from your documents.',
    request_registered: 'Registered with Hanaro ({kind}).',
    request_unregistered: 'Not registered with Hanaro. Make sure you trust them.',
    request_why: 'Why: {purpose}',
    request_document: 'Document to use',
    request_claims: 'Items that will be sent',
    request_optional: 'Optional items (your choice)',
    request_only: 'Only these items are sent; nothing else.',
    submit: 'Agree and send',
    decline: 'Decline',
    submitting: 'Sending…',
    submitted: 'Sent to {name}.',
    declined: 'You declined.',
    no_match: 'This wallet holds no document with the items asked for.',
    failed: 'That did not work: {reason}',
    history: 'Presentation history',
    history_empty: 'Nothing sent yet.',
    history_item: '{time} · {name} · {claims} · {outcome}',
    outcome_sent: 'sent',
    outcome_declined: 'declined',
    outcome_failed: 'failed',
    kind_private: 'private',
    kind_agency: 'public agency',
    offline: 'You are offline. Your documents are here; receiving and sending wait for a connection.',
    yes: 'Yes',
    no: 'No',
  },
});
type Key = keyof typeof walletText.catalogue.ko;
const t = (ctx: Pick<PageContext, 'lang'>, key: Key, params?: Record<string, string | number>) => walletText(ctx.lang, key, params);

export const WALLET_SCRIPT = '/wallet/wallet.js';

export function renderWallet(ctx: PageContext) {
  const texts = Object.fromEntries((Object.keys(walletText.catalogue.ko) as Key[]).map((k) => [k, walletText.catalogue[ctx.lang][k]]));
  return renderDocument(
    <Layout ctx={ctx} title={t(ctx, 'title')} head={<link rel="manifest" href={`/wallet/manifest.webmanifest?lang=${ctx.lang}`} />}>
      <h1 class="hn-title">{t(ctx, 'title')}</h1>
      <p class="hn-lead">{t(ctx, 'lead')}</p>
      <noscript>
        <p class="hn-notice">
          {t(ctx, 'noscript')} <a href="/documents">{t(ctx, 'documents_link')}</a>
        </p>
      </noscript>
      <div id="wallet-status" role="status" aria-live="polite"></div>
      <section id="wallet-offer" class="hn-section" aria-labelledby="wallet-offer-title" hidden>
        <h2 id="wallet-offer-title" class="hn-subtitle">
          {t(ctx, 'offer_title')}
        </h2>
        <p id="wallet-offer-lead"></p>
        <form id="wallet-offer-form" class="hn-form">
          <div class="form-group" id="wallet-tx" hidden>
            <div class="form-tit">
              <label for="wallet-tx-code" id="wallet-tx-label">
                {t(ctx, 'tx_code', { length: 6 })}
              </label>
            </div>
            <div class="form-conts">
              <input type="text" id="wallet-tx-code" name="tx_code" class="krds-input" inputMode="numeric" autocomplete="one-time-code" aria-describedby="wallet-tx-hint" />
            </div>
            <p class="form-hint" id="wallet-tx-hint">
              {t(ctx, 'tx_code_hint')}
            </p>
          </div>
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'accept')}
            </button>
          </div>
        </form>
      </section>
      <section id="wallet-request" class="hn-section" aria-labelledby="wallet-request-title" hidden>
        <h2 id="wallet-request-title" class="hn-subtitle">
          {t(ctx, 'request_title')}
        </h2>
        <p id="wallet-request-who"></p>
        <p id="wallet-request-trust" class="hn-notice"></p>
        <p id="wallet-request-why"></p>
        <form id="wallet-request-form" class="hn-form">
          <fieldset class="hn-fieldset" id="wallet-request-docs">
            <legend class="hn-legend">{t(ctx, 'request_document')}</legend>
          </fieldset>
          <fieldset class="hn-fieldset">
            <legend class="hn-legend">{t(ctx, 'request_claims')}</legend>
            <ul id="wallet-request-claims" class="hn-facts"></ul>
            <div id="wallet-request-optional"></div>
            <p>{t(ctx, 'request_only')}</p>
          </fieldset>
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'submit')}
            </button>
            <button type="button" id="wallet-decline" class="krds-btn secondary medium">
              {t(ctx, 'decline')}
            </button>
          </div>
        </form>
      </section>
      <section class="hn-section" aria-labelledby="wallet-cards-title">
        <h2 id="wallet-cards-title" class="hn-subtitle">
          {t(ctx, 'cards')}
        </h2>
        <p id="wallet-empty">
          {t(ctx, 'empty')} <a href="/documents">{t(ctx, 'documents_link')}</a>
        </p>
        <ul id="wallet-cards" class="hn-wallet-cards"></ul>
      </section>
      <section id="wallet-pending" class="hn-section" aria-labelledby="wallet-pending-title" hidden>
        <h2 id="wallet-pending-title" class="hn-subtitle">
          {t(ctx, 'pending')}
        </h2>
        <ul id="wallet-pending-list"></ul>
        <p class="hn-actions">
          <button type="button" id="wallet-pending-check" class="krds-btn secondary small">
            {t(ctx, 'pending_check')}
          </button>
        </p>
      </section>
      <section class="hn-section" aria-labelledby="wallet-open-title">
        <h2 id="wallet-open-title" class="hn-subtitle">
          {t(ctx, 'open')}
        </h2>
        <form id="wallet-open" class="hn-form">
          <div class="form-group">
            <div class="form-tit">
              <label for="wallet-link">{t(ctx, 'open_label')}</label>
            </div>
            <div class="form-conts">
              <input type="url" id="wallet-link" name="link" class="krds-input" aria-describedby="wallet-link-hint" />
            </div>
            <p class="form-hint" id="wallet-link-hint">
              {t(ctx, 'open_hint')}
            </p>
          </div>
          <div class="hn-actions">
            <button type="submit" class="krds-btn secondary medium">
              {t(ctx, 'open_button')}
            </button>
          </div>
        </form>
      </section>
      <section class="hn-section" aria-labelledby="wallet-history-title">
        <h2 id="wallet-history-title" class="hn-subtitle">
          {t(ctx, 'history')}
        </h2>
        <p id="wallet-history-empty">{t(ctx, 'history_empty')}</p>
        <ul id="wallet-history"></ul>
      </section>
      <template id="wallet-card">
        <li class="hn-wallet-card">
          <h3 class="hn-wallet-card-name"></h3>
          <p class="hn-wallet-card-issuer"></p>
          <details class="hn-wallet-card-details">
            <summary>{t(ctx, 'details')}</summary>
            <dl class="hn-facts"></dl>
          </details>
          <div class="hn-actions">
            <button type="button" class="krds-btn tertiary small" data-action="delete">
              {t(ctx, 'delete')}
            </button>
          </div>
        </li>
      </template>
      <template id="wallet-choice">
        <div class="krds-form-check">
          <input type="checkbox" />
          <label></label>
        </div>
      </template>
      {/* data, not code: '<' escaped so that no text can close the element */}
      <script type="application/json" id="wallet-text" dangerouslySetInnerHTML={{ __html: JSON.stringify({ lang: ctx.lang, text: texts }).replace(/</g, '\\u003c') }} />
      <script type="module" src={WALLET_SCRIPT}></script>
    </Layout>,
  );
}
