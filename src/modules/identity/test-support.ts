import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { createOfficial } from './officials.ts';

/** Form posts as a browser makes them, for the identity module's tests (and other modules' that need a signed-in person). */
export function browser(appOf: FastifyInstance | (() => FastifyInstance)) {
  const app = { inject: (opts: InjectOptions) => (typeof appOf === 'function' ? appOf() : appOf).inject(opts) };
  const form = (url: string, body: Record<string, string | string[]>, cookie?: string, ip = '10.0.0.1') => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) params.append(k, x);
    return app.inject({ method: 'POST', url, remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) }, payload: params.toString() });
  };
  /** A form post with the CSRF token of `pageUrl` (and the cookies it set). */
  const formWithToken = async (pageUrl: string, url: string, body: Record<string, string | string[]>, cookie = '', ip?: string) => {
    const page = await app.inject({ method: 'GET', url: pageUrl, headers: cookie ? { cookie } : {} });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const set = [page.headers['set-cookie']].flat().filter(Boolean).map((c) => String(c).split(';')[0]);
    return form(url, { ...body, _csrf: token ?? '' }, [cookie, ...set].filter(Boolean).join('; '), ip);
  };
  const sessionCookie = (res: { headers: Record<string, unknown> }) =>
    [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('__Host-hanaro-session='))?.split(';')[0];
  return { form, formWithToken, sessionCookie };
}

/** Creates an official and signs them in with their invitation code; returns the account id and the session cookie. */
export async function signedInOfficial(app: FastifyInstance, platform: Platform, o: { name: string; agency: string; roles: string[] }, ip = '10.1.0.1'): Promise<{ accountId: string; cookie: string }> {
  const { formWithToken, sessionCookie } = browser(app);
  const made = await createOfficial(platform, o, 'operator:test');
  const res = await formWithToken('/enrol/official', '/enrol/official', { code: made.code }, '', ip);
  if (res.statusCode !== 303) throw new Error(`official enrolment failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return { accountId: made.accountId, cookie: sessionCookie(res)! };
}
