import { createRng } from '../../platform/seed.ts';
import { testApp } from '../../platform/testing.ts';
import { createApiKey } from './auth.ts';
import { definitionsSeeder } from './catalog.ts';
import { registriesModule } from './index.ts';
import { businessNumberCheckDigit, rrnCheckDigit } from './identifiers.ts';

/** Shared set-up of the registries' tests (not a test file itself). */

export const MOIS = 'KR/GOV/MOIS/resident-registry';
export const MOLIT = 'KR/GOV/MOLIT/vehicle-registry';
export const MOHW = 'KR/GOV/MOHW/welfare-services';
export const BASE = '/govstack/digital-registries';

/** A valid RRN for a birth date and sex (serial makes it unique). */
export function makeRrn(birthDate: string, sex: 'M' | 'F', serial: number): string {
  const [y, m, d] = birthDate.split('-');
  const century = Number(y) >= 2000 ? (sex === 'M' ? 3 : 4) : sex === 'M' ? 1 : 2;
  const first12 = `${y!.slice(2)}${m}${d}${century}${String(serial).padStart(5, '0').slice(-5)}`;
  return `${first12.slice(0, 6)}-${first12.slice(6)}${rrnCheckDigit(first12)}`;
}

export function makeBusinessNumber(first9: string): string {
  return `${first9.slice(0, 3)}-${first9.slice(3, 5)}-${first9.slice(5)}${businessNumberCheckDigit(first9)}`;
}

export async function registriesApp() {
  const t = await testApp({ modules: [registriesModule] });
  await definitionsSeeder.run({ platform: t.platform, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  const keys = {
    mois: (await createApiKey(t.platform, { client: MOIS, label: 'test' })).key,
    molit: (await createApiKey(t.platform, { client: MOLIT })).key,
    mohw: (await createApiKey(t.platform, { client: MOHW })).key,
  };
  return { ...t, keys };
}

export const auth = (key: string, client: string, issue?: string) => ({
  authorization: `Bearer ${key}`,
  'information-mediator-client': client,
  ...(issue ? { 'x-road-issue': issue } : {}),
});

/** A resident's content with sensible defaults. */
export function resident(over: Record<string, unknown> & { serial: number }) {
  const { serial, ...rest } = over;
  const birthDate = (rest.birthDate as string | undefined) ?? '1985-03-14';
  const sex = (rest.sex as 'M' | 'F' | undefined) ?? 'F';
  return {
    rrn: makeRrn(birthDate, sex, serial),
    name: '김민지',
    sex,
    birthDate,
    sido: '서울특별시',
    sigungu: '종로구',
    roadAddress: '서울특별시 종로구 세종대로 209',
    postalCode: '03154',
    status: 'active',
    ...rest,
  };
}

/**
 * For other modules' tests: the registry definitions (when not there yet) and residents written
 * through the GovStack Data API as MOIS would. Returns each resident's id and RRN.
 */
export async function seedResidents(
  app: { inject: (o: object) => Promise<{ statusCode: number; body: string; json: () => { content: { id: string } } }> },
  platform: Parameters<typeof createApiKey>[0],
  residents: Array<Record<string, unknown> & { serial: number }>,
): Promise<Array<{ id: string; rrn: string }>> {
  await definitionsSeeder.run({ platform, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  const { key } = await createApiKey(platform, { client: MOIS });
  const out: Array<{ id: string; rrn: string }> = [];
  for (const r of residents) {
    const content = resident(r);
    const res = await app.inject({ method: 'POST', url: `${BASE}/data/resident/1.0/create`, headers: auth(key, MOIS), payload: { write: { content } } });
    if (res.statusCode !== 200) throw new Error(`resident not created: ${res.statusCode} ${res.body}`);
    out.push({ id: res.json().content.id, rrn: content.rrn });
  }
  return out;
}

/**
 * For other modules' tests: records in any registry, written through the GovStack Data API as the
 * owning agency's system `client` would (e.g. `KR/GOV/KNPA/licence-registry` for `licence`).
 */
export async function seedRecords(
  app: { inject: (o: object) => Promise<{ statusCode: number; body: string; json: () => { content: { id: string } } }> },
  platform: Parameters<typeof createApiKey>[0],
  registry: string,
  client: string,
  contents: Array<Record<string, unknown>>,
): Promise<string[]> {
  const { key } = await createApiKey(platform, { client });
  const ids: string[] = [];
  for (const content of contents) {
    const res = await app.inject({ method: 'POST', url: `${BASE}/data/${registry}/1.0/create`, headers: auth(key, client), payload: { write: { content } } });
    if (res.statusCode !== 200) throw new Error(`${registry} record not created: ${res.statusCode} ${res.body}`);
    ids.push(res.json().content.id);
  }
  return ids;
}
