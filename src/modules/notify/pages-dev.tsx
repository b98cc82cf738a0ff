import { Layout } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { Captured } from './capture.ts';
import { t, When } from './pages-common.tsx';

// Demo mode's windows on what the platform sent: /dev/mail (e-mail the capture SMTP server took)
// and /dev/sms (text messages and AlimTalk the capture gateway took), newest first. The bodies
// are shown as sent, escaped, with their line breaks.

const CHANNEL_KEY = { email: 'channel_email', sms: 'channel_sms', alimtalk: 'channel_alimtalk' } as const;

function Message({ ctx, m }: { ctx: PageContext; m: Captured }) {
  const id = `message-${m.id}`;
  const channel = CHANNEL_KEY[m.channel as keyof typeof CHANNEL_KEY] ?? 'channel_email';
  const heading = m.channel === 'email' ? m.subject || t(ctx, 'dev_no_subject') : `${t(ctx, channel)} → ${m.recipient}`;
  return (
    <article class="hn-section" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'dev_channel')}</dt>
          <dd>{t(ctx, channel)}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'dev_to')}</dt>
          <dd>{m.recipient}</dd>
        </div>
        {m.subject ? (
          <div>
            <dt>{t(ctx, m.channel === 'alimtalk' ? 'dev_template_code' : 'dev_subject')}</dt>
            <dd>{m.subject}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t(ctx, 'dev_received')}</dt>
          <dd>
            <When at={m.receivedAt} lang={ctx.lang} />
          </dd>
        </div>
      </dl>
      <pre class="hn-code hn-code-block">{m.body}</pre>
    </article>
  );
}

export function renderCaptured(ctx: PageContext, v: { kind: 'mail' | 'sms'; messages: Captured[] }) {
  const title = t(ctx, v.kind === 'mail' ? 'dev_mail_title' : 'dev_sms_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, v.kind === 'mail' ? 'dev_mail_lead' : 'dev_sms_lead')}</p>
      <p>
        <a href={v.kind === 'mail' ? '/dev/sms' : '/dev/mail'} class="hn-link">
          {t(ctx, v.kind === 'mail' ? 'dev_see_sms' : 'dev_see_mail')}
        </a>
      </p>
      {v.messages.length ? v.messages.map((m) => <Message ctx={ctx} m={m} />) : <p class="hn-section">{t(ctx, 'dev_none')}</p>}
    </Layout>,
  );
}
