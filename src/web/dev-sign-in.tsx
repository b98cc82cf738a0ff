import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OFFICIAL_ROLES, setDemoActor, type Actor, type OfficialRole } from '../platform/auth.ts';
import { PlatformError } from '../platform/errors.ts';
import { defineMessages, type Lang } from '../platform/i18n.ts';
import type { Platform } from '../platform/platform.ts';
import { Layout } from './components.tsx';
import { pageContext, requireForm, sendPrivatePage, type PageContext } from './context.ts';
import { renderDocument } from './pages.tsx';
import { cacheDirOf, shellAssets, shellStylesheet } from './shell.ts';

// The demo stand-in for signing officials in (`/dev/sign-in`), until the identity module brings
// real sessions: pick an agency and roles, and a signed cookie (platform/auth.ts) says you are
// that official. Demo mode only: in production mode the routes do not exist (404).
//
// Its classes must also appear in a module template (src/modules/**/*.tsx), the only templates
// besides the shell's sample pages that the stylesheet purge reads; the console's templates
// carry every one of them (dev-sign-in.test.ts checks this).

const messages = defineMessages({
  ko: {
    title: '데모 로그인',
    lead: '공무원으로 화면을 둘러볼 수 있도록 기관과 역할을 골라 로그인합니다.',
    stand_in: '이 화면은 본인 확인 기능이 만들어지기 전까지 데모 모드에서만 쓰는 임시 로그인입니다. 비밀번호도 인증서도 묻지 않으며, 실제 공무원 인증이 아닙니다.',
    current: '지금 로그인한 신분',
    current_name: '이름',
    current_agency: '기관',
    current_roles: '역할',
    sign_out: '로그아웃',
    agency: '기관',
    agency_hint: '정보 연계에 등록된 기관입니다.',
    no_agencies: '등록된 기관이 없습니다. 먼저 데모 데이터를 만드세요 (npx hanaro seed).',
    name: '이름',
    name_hint: '화면과 감사 기록에 보일 이름입니다.',
    default_name: '데모 공무원',
    roles: '역할',
    roles_hint: '하나 이상 고르세요.',
    'role_case-worker': '담당 공무원',
    'role_case-worker_text': '민원과 사례를 처리하고 기관의 화면을 봅니다.',
    'role_agency-admin': '기관 관리자',
    'role_agency-admin_text': '기관의 서비스 접근 권한을 부여하고 회수합니다.',
    'role_platform-admin': '플랫폼 관리자',
    'role_platform-admin_text': '모든 기관의 화면을 봅니다.',
    role_auditor: '감사 담당',
    role_auditor_text: '기록을 열람합니다.',
    'role_information-sharing': '행정정보 공동이용 담당',
    'role_information-sharing_text': '법령에 근거해 동의 없이 시민 정보를 조회합니다(모두 기록됨).',
    submit: '이 신분으로 로그인',
    error_title: '입력한 내용을 확인해 주세요',
    error_agency: '기관을 고르세요.',
    error_roles: '역할을 하나 이상 고르세요.',
    error_prefix: '오류',
  },
  en: {
    title: 'Demo sign-in',
    lead: 'Choose an agency and roles to look around as an official.',
    stand_in: 'This page stands in for signing in, in demo mode only, until identity verification is built. It asks for no password or certificate and proves nothing about who you are.',
    current: 'Signed in now as',
    current_name: 'Name',
    current_agency: 'Agency',
    current_roles: 'Roles',
    sign_out: 'Sign out',
    agency: 'Agency',
    agency_hint: 'Agencies registered with the information mediator.',
    no_agencies: 'No agency is registered. Seed the demo data first (npx hanaro seed).',
    name: 'Name',
    name_hint: 'Shown on pages and in the audit log.',
    default_name: 'Demo official',
    roles: 'Roles',
    roles_hint: 'Choose at least one.',
    'role_case-worker': 'Case worker',
    'role_case-worker_text': 'Handles applications and cases and sees the agency’s pages.',
    'role_agency-admin': 'Agency administrator',
    'role_agency-admin_text': 'Grants and revokes access to the agency’s services.',
    'role_platform-admin': 'Platform administrator',
    'role_platform-admin_text': 'Sees every agency’s pages.',
    role_auditor: 'Auditor',
    role_auditor_text: 'Reads the logs.',
    'role_information-sharing': 'Information sharing officer',
    'role_information-sharing_text': 'Looks citizens\' data up under a legal basis without consent (all logged).',
    submit: 'Sign in as this official',
    error_title: 'Please check what you entered',
    error_agency: 'Choose an agency.',
    error_roles: 'Choose at least one role.',
    error_prefix: 'Error',
  },
});
type Key = keyof typeof messages.catalogue.ko;
const t = (ctx: Pick<PageContext, 'lang'>, key: Key) => messages(ctx.lang, key);

export interface SignInAgency {
  code: string;
  name: { ko: string; en: string };
}

export interface DevSignInOptions {
  platform: Platform;
  /** The agencies one may act for (the information mediator's members). */
  agencies: () => Promise<SignInAgency[]>;
  /** Where a new sign-in lands (the agency's console). */
  landing: (agency: string) => string;
}

interface FormState {
  agency?: string;
  name?: string;
  roles: OfficialRole[];
  errors: Array<{ field: 'agency' | 'roles'; key: Key }>;
}

const nameOf = (a: SignInAgency, lang: Lang) => (lang === 'en' ? a.name.en || a.name.ko : a.name.ko || a.name.en);

function SignInPage({ ctx, agencies, actor, form }: { ctx: PageContext; agencies: SignInAgency[]; actor: Actor; form: FormState }) {
  const title = form.errors.length ? `${t(ctx, 'error_prefix')}: ${t(ctx, 'title')}` : t(ctx, 'title');
  const invalid = (field: string) => form.errors.some((e) => e.field === field);
  const chosen = form.agency ?? (actor.kind === 'official' ? actor.agency : undefined);
  return (
    <Layout ctx={ctx} title={title}>
      <h1 class="hn-title">{t(ctx, 'title')}</h1>
      <p class="hn-lead">{t(ctx, 'lead')}</p>
      <p class="hn-notice" role="note">
        {t(ctx, 'stand_in')}
      </p>
      {form.errors.length ? (
        <div class="hn-notice" role="alert" aria-labelledby="sign-in-errors">
          <h2 id="sign-in-errors" class="hn-subtitle">
            {t(ctx, 'error_title')}
          </h2>
          <ul>
            {form.errors.map((e) => (
              <li>
                <a href={e.field === 'agency' ? '#sign-in-agency' : '#role-case-worker'}>{t(ctx, e.key)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {actor.kind === 'official' ? (
        <section class="hn-section" aria-labelledby="current">
          <h2 id="current">{t(ctx, 'current')}</h2>
          <dl class="hn-facts">
            <div>
              <dt>{t(ctx, 'current_name')}</dt>
              <dd>{actor.name}</dd>
            </div>
            <div>
              <dt>{t(ctx, 'current_agency')}</dt>
              <dd>
                <code>{actor.agency}</code>
              </dd>
            </div>
            <div>
              <dt>{t(ctx, 'current_roles')}</dt>
              <dd>{actor.roles.map((r) => t(ctx, `role_${r}`)).join(', ')}</dd>
            </div>
          </dl>
          <form method="post" action="/dev/sign-out">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="krds-btn secondary medium">
              {t(ctx, 'sign_out')}
            </button>
          </form>
        </section>
      ) : null}
      {agencies.length ? (
        <form method="post" action="/dev/sign-in" class="hn-form hn-section">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <div class="form-group">
            <div class="form-tit">
              <label for="sign-in-agency">{t(ctx, 'agency')}</label>
            </div>
            <div class="form-conts">
              <select id="sign-in-agency" name="agency" class="krds-form-select completed" required aria-describedby="sign-in-agency-hint" aria-invalid={invalid('agency') ? 'true' : undefined}>
                {agencies.map((a) => (
                  <option value={a.code} selected={a.code === chosen}>{`${nameOf(a, ctx.lang)} (${a.code})`}</option>
                ))}
              </select>
            </div>
            <p class="form-hint" id="sign-in-agency-hint">
              {t(ctx, 'agency_hint')}
            </p>
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="sign-in-name">{t(ctx, 'name')}</label>
            </div>
            <div class="form-conts">
              <input type="text" id="sign-in-name" name="name" class="krds-input" maxLength={40} autocomplete="name" value={form.name ?? t(ctx, 'default_name')} aria-describedby="sign-in-name-hint" />
            </div>
            <p class="form-hint" id="sign-in-name-hint">
              {t(ctx, 'name_hint')}
            </p>
          </div>
          <fieldset class="hn-fieldset" aria-describedby="sign-in-roles-hint">
            <legend class="hn-legend">{t(ctx, 'roles')}</legend>
            <p class={invalid('roles') ? 'form-hint-invalid' : 'form-hint'} id="sign-in-roles-hint">
              {t(ctx, invalid('roles') ? 'error_roles' : 'roles_hint')}
            </p>
            <div class="krds-check-area chk-column">
              {OFFICIAL_ROLES.map((r) => (
                <div class="krds-form-check medium">
                  <input type="checkbox" name="roles" id={`role-${r}`} value={r} checked={form.roles.includes(r)} aria-describedby={`role-${r}-text`} />
                  <label for={`role-${r}`}>{t(ctx, `role_${r}`)}</label>
                  <div class="krds-form-check-cnt">
                    <p class="krds-form-check-p" id={`role-${r}-text`}>
                      {t(ctx, `role_${r}_text`)}
                    </p>
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary large">
              {t(ctx, 'submit')}
            </button>
          </div>
        </form>
      ) : (
        <p class="hn-section">{t(ctx, 'no_agencies')}</p>
      )}
    </Layout>
  );
}

export const renderSignIn = (ctx: PageContext, agencies: SignInAgency[], actor: Actor, form: FormState) =>
  renderDocument(<SignInPage ctx={ctx} agencies={agencies} actor={actor} form={form} />);

const SignInForm = z.object({
  agency: z.string().max(64).optional(),
  name: z.string().max(200).optional(),
  // one checkbox ticked posts a string, several an array
  roles: z.union([z.string().max(40), z.array(z.string().max(40)).max(10)]).optional(),
  _csrf: z.string().optional(),
});


/**
 * `/dev/sign-in` (GET: the form; POST: act as that official) and `/dev/sign-out`, in demo mode
 * only. Registered by the exchange console's plugin, which knows the agencies.
 */
export async function devSignInPlugin(app: FastifyInstance, opts: DevSignInOptions): Promise<void> {
  const { platform } = opts;
  if (platform.config.mode !== 'demo') return;
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const r = app.withTypeProvider<ZodTypeProvider>();

  // a form page: it carries a token and who is signed in, so nobody may keep it
  const send = async (req: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    const ctx = pageContext(req, { assets, demo: true, form: reply });
    return sendPrivatePage(reply, ctx.lang, renderSignIn(ctx, await opts.agencies(), await req.actor(), form), status);
  };

  r.get('/dev/sign-in', { schema: { hide: true } }, async (req, reply) => send(req, reply, { roles: ['case-worker'], errors: [] }));

  r.post('/dev/sign-in', { schema: { hide: true, body: SignInForm } }, async (req, reply) => {
    requireForm(req);
    const agencies = await opts.agencies();
    const wanted = req.body.roles === undefined ? [] : ([] as string[]).concat(req.body.roles);
    const roles = OFFICIAL_ROLES.filter((role) => wanted.includes(role));
    const agency = agencies.find((a) => a.code === req.body.agency);
    const name = (req.body.name ?? '').trim().slice(0, 40) || messages(req.lang, 'default_name');
    const errors: FormState['errors'] = [];
    if (!agency) errors.push({ field: 'agency', key: 'error_agency' });
    if (!roles.length || roles.length !== wanted.length) errors.push({ field: 'roles', key: 'error_roles' });
    if (!agency || errors.length) return send(req, reply, { agency: req.body.agency, name, roles, errors }, 400);
    setDemoActor(reply, { kind: 'official', id: `demo-${randomUUID().slice(0, 8)}`, name, agency: agency.code, roles });
    return reply.redirect(opts.landing(agency.code), 303);
  });

  r.post('/dev/sign-out', { schema: { hide: true, body: z.object({ _csrf: z.string().optional() }) } }, async (req, reply) => {
    requireForm(req);
    setDemoActor(reply, undefined);
    return reply.redirect('/dev/sign-in', 303);
  });
}
