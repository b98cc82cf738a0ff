import type { PageContext } from '../../web/context.ts';
import { consolePath, ct, nameIn, Time, type AgencyView } from './console-common.tsx';
import { TableBox } from '../../web/components.tsx';

// The access-rights parts of the agency page: rights granted (with revoke buttons and the grant
// form for the agency's administrators) and rights received.

function Hidden({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export function Granted({ ctx, v, agency }: { ctx: PageContext; v: AgencyView; agency: string }) {
  const base = consolePath(v.member.memberCode);
  return (
    <section class="hn-section" aria-labelledby="rights-granted">
      <h2 id="rights-granted">{ct(ctx, 'section_granted')}</h2>
      <p>{ct(ctx, 'granted_lead')}</p>
      {v.granted.length ? (
        <TableBox captionId="granted-caption">
          <table class="tbl col data">
            <caption class="sr-only" id="granted-caption">
              {ct(ctx, 'granted_caption', { agency })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ct(ctx, 'col_service')}</th>
                <th scope="col">{ct(ctx, 'col_client')}</th>
                <th scope="col">{ct(ctx, 'col_legal_basis')}</th>
                <th scope="col">{ct(ctx, 'col_since')}</th>
                {v.canManage ? <th scope="col">{ct(ctx, 'col_manage')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {v.granted.map((r) => (
                <tr>
                  <th scope="row">
                    {nameIn(r.serviceTitle, ctx.lang)} <code class="hn-muted">{r.serviceId}</code>
                  </th>
                  <td>
                    <code>{r.clientId}</code> {r.otherName ? <span class="hn-muted">({nameIn(r.otherName, ctx.lang)})</span> : null}
                  </td>
                  <td>
                    {r.legalBasis ?? ct(ctx, 'none')}
                    {r.requiresConsent ? ' ' : null}
                    {r.requiresConsent ? <span class="krds-badge bg-light-success">{ct(ctx, 'consent_required_badge')}</span> : null}
                  </td>
                  <td>
                    <Time iso={r.grantedAt} lang={ctx.lang} />
                  </td>
                  {v.canManage ? (
                    <td>
                      <form method="post" action={`${base}/rights/revoke`}>
                        <Hidden ctx={ctx} />
                        <input type="hidden" name="service" value={r.serviceId} />
                        <input type="hidden" name="client" value={r.clientId} />
                        <button type="submit" class="krds-btn tertiary small" aria-label={`${ct(ctx, 'revoke')}: ${ct(ctx, 'revoke_what', { client: r.clientId, service: r.serviceId })}`}>
                          {ct(ctx, 'revoke')}
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      ) : (
        <p>{ct(ctx, 'no_granted')}</p>
      )}
      {v.canManage && v.services.length ? <GrantForm ctx={ctx} v={v} /> : <p class="hn-muted">{ct(ctx, 'admin_only')}</p>}
    </section>
  );
}

function GrantForm({ ctx, v }: { ctx: PageContext; v: AgencyView }) {
  return (
    <form method="post" action={`${consolePath(v.member.memberCode)}/rights`} class="hn-form hn-section" aria-labelledby="grant-title">
      <Hidden ctx={ctx} />
      <fieldset class="hn-fieldset">
        <legend class="hn-legend" id="grant-title">
          {ct(ctx, 'grant_title')}
        </legend>
        <p class="hn-lead">{ct(ctx, 'grant_lead')}</p>
        <div class="fieldset">
          <div class="form-group">
            <div class="form-tit">
              <label for="grant-service">{ct(ctx, 'grant_service')}</label>
            </div>
            <div class="form-conts">
              <select id="grant-service" name="service" class="krds-form-select completed" required>
                {v.services.map((s) => (
                  <option value={s.id}>{`${nameIn(s.title, ctx.lang) || s.serviceCode} (${s.id})`}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="grant-client">{ct(ctx, 'grant_client')}</label>
            </div>
            <div class="form-conts">
              <select id="grant-client" name="client" class="krds-form-select completed" required aria-describedby="grant-client-hint">
                {v.clients.map((c) => (
                  <option value={c.id}>{`${c.id} (${nameIn(c.name, ctx.lang) || c.subsystemCode})`}</option>
                ))}
              </select>
            </div>
            <p class="form-hint" id="grant-client-hint">
              {ct(ctx, 'grant_client_hint')}
            </p>
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="grant-legal-basis">{ct(ctx, 'grant_legal_basis')}</label>
            </div>
            <div class="form-conts">
              <input type="text" id="grant-legal-basis" name="legalBasis" class="krds-input" maxLength={200} autocomplete="off" aria-describedby="grant-legal-basis-hint" />
            </div>
            <p class="form-hint" id="grant-legal-basis-hint">
              {ct(ctx, 'grant_legal_basis_hint')}
            </p>
          </div>
        </div>
        <div class="hn-actions">
          <button type="submit" class="krds-btn primary large">
            {ct(ctx, 'grant_submit')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

export function Received({ ctx, v, agency }: { ctx: PageContext; v: AgencyView; agency: string }) {
  return (
    <section class="hn-section" aria-labelledby="rights-received">
      <h2 id="rights-received">{ct(ctx, 'section_received')}</h2>
      <p>{ct(ctx, 'received_lead')}</p>
      {v.received.length ? (
        <TableBox captionId="received-caption">
          <table class="tbl col data">
            <caption class="sr-only" id="received-caption">
              {ct(ctx, 'received_caption', { agency })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ct(ctx, 'col_provider_agency')}</th>
                <th scope="col">{ct(ctx, 'col_service')}</th>
                <th scope="col">{ct(ctx, 'col_own_client')}</th>
                <th scope="col">{ct(ctx, 'col_legal_basis')}</th>
                <th scope="col">{ct(ctx, 'col_since')}</th>
              </tr>
            </thead>
            <tbody>
              {v.received.map((r) => (
                <tr>
                  <td>{nameIn(r.otherName, ctx.lang) || r.serviceId.split('/')[2]}</td>
                  <th scope="row">
                    {nameIn(r.serviceTitle, ctx.lang)} <code class="hn-muted">{r.serviceId}</code>
                  </th>
                  <td>
                    <code>{r.clientId}</code>
                  </td>
                  <td>
                    {r.legalBasis ?? ct(ctx, 'none')}
                    {r.requiresConsent ? ' ' : null}
                    {r.requiresConsent ? <span class="krds-badge bg-light-success">{ct(ctx, 'consent_required_badge')}</span> : null}
                  </td>
                  <td>
                    <Time iso={r.grantedAt} lang={ctx.lang} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      ) : (
        <p>{ct(ctx, 'no_received')}</p>
      )}
    </section>
  );
}

