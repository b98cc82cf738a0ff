import { defineMessages } from '../../platform/i18n.ts';
import { Layout } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { CredentialConfiguration } from './documents.ts';
import type { WalletClient } from './wallet-clients.ts';

// The authorization code flow's pages: the consent page (which wallet asks, for which documents
// and what they hold, to be sent where) and the page for an authorization request that cannot
// go back to the wallet. Both read without JavaScript; the consent form carries a CSRF token.

export const authorizeText = defineMessages({
  ko: {
    consent_title: '전자증명서 발급 동의',
    consent_lead: '{wallet} 전자지갑이 아래 전자증명서를 받으려고 합니다. 동의하면 하나로가 기관의 등록부에서 정보를 읽어 증명서를 만들고 이 지갑으로 보냅니다.',
    consent_wallet: '요청한 지갑',
    consent_return: '돌아갈 주소',
    consent_documents: '발급할 전자증명서',
    consent_claims: '담기는 정보: {claims}',
    consent_approval: '{agency} 담당자의 승인 후 발급됩니다. 지갑이 승인 결과를 기다립니다.',
    consent_offer: '하나로에서 받은 발급 안내(제안)에 따른 요청입니다.',
    consent_note: '요청하지 않은 지갑이라면 거부하세요. 동의 기록은 감사 로그에 남습니다.',
    allow: '동의하고 지갑으로 보내기',
    deny: '거부',
    error_title: '이 요청은 처리할 수 없습니다',
    error_lead: '전자지갑이 보낸 발급 요청에 문제가 있어 지갑으로 돌려보낼 수 없습니다. 지갑 앱을 다시 열어 처음부터 시도하세요.',
    error_code: '오류 코드',
    error_expired: '요청이 만료되었거나 이미 처리되었습니다. 지갑 앱에서 다시 시작하세요.',
    home: '하나로 처음으로',
  },
  en: {
    consent_title: 'Consent to issue digital documents',
    consent_lead: 'The wallet {wallet} asks for the documents below. If you agree, Hanaro reads the facts from the agencies’ registers, makes the documents and sends them to this wallet.',
    consent_wallet: 'Wallet asking',
    consent_return: 'Sent back to',
    consent_documents: 'Documents to issue',
    consent_claims: 'Holds: {claims}',
    consent_approval: 'Issued after an official of {agency} approves it. The wallet waits for the decision.',
    consent_offer: 'This request follows an offer Hanaro made to you.',
    consent_note: 'If you did not start this from your wallet, decline. Your decision is recorded in the audit log.',
    allow: 'Agree and send to my wallet',
    deny: 'Decline',
    error_title: 'This request cannot be handled',
    error_lead: 'The request your wallet sent has a problem, so you cannot be sent back to it. Open your wallet app and start again.',
    error_code: 'Error code',
    error_expired: 'The request has expired or was already answered. Start again from your wallet app.',
    home: 'Hanaro home',
  },
});
type Key = keyof typeof authorizeText.catalogue.ko;
const t = (ctx: Pick<PageContext, 'lang'>, key: Key, params?: Record<string, string | number>) => authorizeText(ctx.lang, key, params);

export interface ConsentView {
  id: string;
  client: WalletClient;
  redirectUri: string;
  configurations: CredentialConfiguration[];
  fromOffer: boolean;
}

export function renderConsent(ctx: PageContext, v: ConsentView) {
  const title = t(ctx, 'consent_title');
  const wallet = v.client.name[ctx.lang];
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'consent_lead', { wallet })}</p>
      <dl class="hn-facts">
        <dt>{t(ctx, 'consent_wallet')}</dt>
        <dd>
          {wallet} (<code>{v.client.id}</code>)
        </dd>
        <dt>{t(ctx, 'consent_return')}</dt>
        <dd>
          <code>{v.redirectUri}</code>
        </dd>
      </dl>
      {v.fromOffer ? <p>{t(ctx, 'consent_offer')}</p> : null}
      <section class="hn-section" aria-labelledby="consent-documents">
        <h2 id="consent-documents" class="hn-subtitle">
          {t(ctx, 'consent_documents')}
        </h2>
        <ul class="hn-facts">
          {v.configurations.map((c) => (
            <li>
              <strong>{c.name[ctx.lang]}</strong>: {c.description[ctx.lang]}
              <br />
              {t(ctx, 'consent_claims', { claims: [...new Set(c.claims.map((cl) => cl.display[ctx.lang]))].join(', ') })}
              {c.approval ? (
                <>
                  <br />
                  {t(ctx, 'consent_approval', { agency: c.approval.name[ctx.lang] })}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <p>{t(ctx, 'consent_note')}</p>
      <form method="post" action={`/credentials/authorize/${v.id}`} class="hn-actions">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <button type="submit" name="decision" value="allow" class="krds-btn primary large">
          {t(ctx, 'allow')}
        </button>
        <button type="submit" name="decision" value="deny" class="krds-btn secondary large">
          {t(ctx, 'deny')}
        </button>
      </form>
    </Layout>,
  );
}

/** An authorization request that cannot go back to the wallet (an unknown client, an unregistered redirect URI), or one that is gone. */
export function renderAuthorizeError(ctx: PageContext, e: { error: string; description?: string; expired?: boolean }) {
  const title = t(ctx, 'error_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, e.expired ? 'error_expired' : 'error_lead')}</p>
      <dl class="hn-facts">
        <dt>{t(ctx, 'error_code')}</dt>
        <dd>
          <code>{e.error}</code>
          {e.description ? ` (${e.description})` : null}
        </dd>
      </dl>
      <p>
        <a href="/" class="krds-btn secondary medium">
          {t(ctx, 'home')}
        </a>
      </p>
    </Layout>,
  );
}
