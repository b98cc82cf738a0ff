// The web wallet's island (bundled by esbuild, served at /wallet/wallet.js). Documents and their
// keys live in IndexedDB: each key is a non-extractable WebCrypto P-256 key, so no script, not even
// this one, can read it out; it can only sign. Offers arrive as links (?credential_offer=… or a
// pasted openid-credential-offer:// link), requests as links (?client_id=…&request_uri=…, from a
// QR code or a same-device button). Progress and errors go to the live region #wallet-status.
import { fillParams } from '../../platform/i18n.ts';
import { collect, decline, matchRequest, newHolderKey, offerTxCode, parseOffer, receive, resolveRequest, respond, WalletError, type HeldCredential, type Match, type Names, type PendingCredential, type PresentationRequest } from './holder.ts';

interface Stored {
  id: string;
  credential: HeldCredential;
  key: CryptoKey;
}
interface StoredPending {
  id: string;
  pending: PendingCredential;
  key: CryptoKey;
}
interface HistoryEntry {
  id?: number;
  at: string;
  name: Names;
  clientId: string;
  claims: Names[];
  outcome: 'sent' | 'declined' | 'failed';
}

const data = JSON.parse(document.getElementById('wallet-text')?.textContent ?? '{}') as { lang: 'ko' | 'en'; text: Record<string, string> };
const lang = data.lang === 'en' ? 'en' : 'ko';
const tx = (key: string, params: Record<string, string | number> = {}) => fillParams(data.text[key] ?? key, params).replace(/\{\w+\}/g, '');
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function say(text: string, isError = false) {
  const box = $('wallet-status');
  box.textContent = '';
  const p = document.createElement('p');
  p.className = 'hn-notice';
  p.textContent = text;
  box.setAttribute('role', isError ? 'alert' : 'status');
  box.append(p);
}
const reasonOf = (e: unknown) => (e instanceof WalletError ? e.message : e instanceof Error ? e.message : String(e));

// ---- storage ------------------------------------------------------------------------------------
function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('hanaro-wallet', 2);
    req.onupgradeneeded = (ev) => {
      // version 1: documents and history; version 2: documents waiting for an official's approval
      if (ev.oldVersion < 1) {
        req.result.createObjectStore('credentials', { keyPath: 'id' });
        req.result.createObjectStore('history', { keyPath: 'id', autoIncrement: true });
      }
      if (ev.oldVersion < 2) req.result.createObjectStore('pending', { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
const dbPromise = openDb();
async function store<T>(name: 'credentials' | 'history' | 'pending', mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await dbPromise;
  return new Promise((resolve, reject) => {
    const tr = db.transaction(name, mode);
    const req = fn(tr.objectStore(name));
    tr.oncomplete = () => resolve(req.result);
    tr.onerror = () => reject(tr.error);
  });
}
const allCredentials = () => store<Stored[]>('credentials', 'readonly', (s) => s.getAll());
const allHistory = () => store<HistoryEntry[]>('history', 'readonly', (s) => s.getAll());
const allPending = () => store<StoredPending[]>('pending', 'readonly', (s) => s.getAll());

// ---- rendering ----------------------------------------------------------------------------------
function valueText(v: unknown): string {
  if (v === true) return tx('yes');
  if (v === false) return tx('no');
  if (Array.isArray(v)) return v.map(valueText).join('; ');
  if (v && typeof v === 'object') return Object.values(v).map(valueText).join(', ');
  return String(v ?? '');
}
const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul' });

function rowsOf(c: HeldCredential): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const l of c.claimLabels) {
    let v: unknown = c.claims;
    for (const el of l.path) v = v && typeof v === 'object' && el !== null ? (v as Record<string, unknown>)[String(el)] : undefined;
    if (v !== undefined) out.push([l.label[lang], valueText(v)]);
  }
  return out;
}

async function renderCards() {
  const list = $('wallet-cards');
  const template = $<HTMLTemplateElement>('wallet-card');
  const items = (await allCredentials()).sort((a, b) => b.credential.receivedAt.localeCompare(a.credential.receivedAt));
  list.replaceChildren();
  $('wallet-empty').hidden = items.length > 0;
  for (const { id, credential: c } of items) {
    const li = (template.content.cloneNode(true) as DocumentFragment).firstElementChild as HTMLLIElement;
    li.querySelector('.hn-wallet-card-name')!.textContent = c.name[lang];
    li.querySelector('.hn-wallet-card-issuer')!.textContent = `${tx('issuer')}: ${c.issuerName[lang]}`;
    const dl = li.querySelector('dl')!;
    const facts: Array<[string, string]> = [...rowsOf(c), [tx('received'), date(c.receivedAt)], ...(c.expiresAt ? ([[tx('expires'), date(c.expiresAt)]] as Array<[string, string]>) : [])];
    for (const [k, v] of facts) {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = k;
      dd.textContent = v;
      div.append(dt, dd);
      dl.append(div);
    }
    const del = li.querySelector<HTMLButtonElement>('[data-action="delete"]')!;
    del.setAttribute('aria-label', tx('delete_label', { name: c.name[lang] }));
    del.addEventListener('click', async () => {
      if (!window.confirm(tx('confirm_delete', { name: c.name[lang] }))) return;
      await store('credentials', 'readwrite', (s) => s.delete(id));
      await renderCards();
      say(tx('deleted', { name: c.name[lang] }));
    });
    list.append(li);
  }
}

async function renderHistory() {
  const list = $('wallet-history');
  const items = (await allHistory()).reverse();
  $('wallet-history-empty').hidden = items.length > 0;
  list.replaceChildren(
    ...items.map((h) => {
      const li = document.createElement('li');
      const time = new Date(h.at).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul' });
      li.textContent = tx('history_item', { time, name: h.name[lang], claims: h.claims.map((c) => c[lang]).join(', '), outcome: tx(`outcome_${h.outcome}`) });
      return li;
    }),
  );
}

// ---- documents waiting for an official's approval ----------------------------------------------------
async function renderPending() {
  const items = await allPending();
  const section = $('wallet-pending');
  section.hidden = items.length === 0;
  $('wallet-pending-list').replaceChildren(
    ...items.map((p) => {
      const li = document.createElement('li');
      li.textContent = tx('pending_item', { name: p.pending.name[lang], issuer: p.pending.issuerName[lang], date: date(p.pending.requestedAt) });
      return li;
    }),
  );
}

/** Asks the issuers again for every waiting document; moves the approved ones to the documents. */
async function checkPending(announce: boolean) {
  let arrived = 0;
  for (const p of await allPending()) {
    try {
      const r = await collect(p.pending);
      if ('credential' in r) {
        await store('credentials', 'readwrite', (s) => s.put({ id: r.credential.id, credential: r.credential, key: p.key } satisfies Stored));
        await store('pending', 'readwrite', (s) => s.delete(p.id));
        arrived++;
      } else await store('pending', 'readwrite', (s) => s.put({ ...p, pending: r.pending }));
    } catch (e) {
      // refused or gone: the request is over
      if (e instanceof WalletError) {
        await store('pending', 'readwrite', (s) => s.delete(p.id));
        say(tx('pending_refused', { name: p.pending.name[lang], reason: e.message }), true);
      }
    }
  }
  await Promise.all([renderCards(), renderPending()]);
  if (arrived) say(tx('pending_arrived', { count: arrived }));
  else if (announce) say(tx('pending_still'));
}

// ---- receiving ----------------------------------------------------------------------------------
async function showOffer(link: string) {
  const offer = await parseOffer(link);
  const section = $('wallet-offer');
  const names = offer.credential_configuration_ids.join(', ');
  $('wallet-offer-lead').textContent = tx('offer_lead', { issuer: new URL(offer.credential_issuer).host, names });
  const code = offerTxCode(offer);
  $('wallet-tx').hidden = !code;
  const input = $<HTMLInputElement>('wallet-tx-code');
  input.required = Boolean(code);
  $('wallet-tx-label').textContent = tx('tx_code', { length: code?.length ?? 6 });
  section.hidden = false;
  (code ? input : section.querySelector<HTMLButtonElement>('button[type="submit"]')!).focus();
  const form = $<HTMLFormElement>('wallet-offer-form');
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    button.disabled = true;
    say(tx('receiving'));
    try {
      const got = await receive(link, { txCode: input.value.trim() || undefined, newKey: () => newHolderKey(false) });
      for (const g of got) {
        if ('pending' in g) await store('pending', 'readwrite', (s) => s.put({ id: g.pending.id, pending: g.pending, key: g.key.privateKey } satisfies StoredPending));
        else await store('credentials', 'readwrite', (s) => s.put({ id: g.credential.id, credential: g.credential, key: g.key.privateKey } satisfies Stored));
      }
      section.hidden = true;
      history.replaceState(null, '', '/wallet');
      await Promise.all([renderCards(), renderPending()]);
      const names = (list: typeof got) => list.map((g) => ('pending' in g ? g.pending.name : g.credential.name)[lang]).join(', ');
      const waiting = got.filter((g) => 'pending' in g);
      say(waiting.length === got.length ? tx('pending_ok', { names: names(waiting) }) : tx('received_ok', { names: names(got) }));
    } catch (e) {
      say(tx('failed', { reason: reasonOf(e) }), true);
      button.disabled = false;
    }
  };
}

// ---- presenting ---------------------------------------------------------------------------------
async function showRequest(link: string) {
  const req: PresentationRequest = await resolveRequest(link, { register: `${location.origin}/credentials/verifiers` });
  const held = await allCredentials();
  const name = req.registered?.name[lang] ?? req.clientName;
  let matches: Match[];
  try {
    matches = matchRequest(
      req,
      held.map((h) => h.credential),
    );
  } catch (e) {
    say(tx('no_match'), true);
    await record(req, name, [], 'failed');
    throw e;
  }
  $('wallet-request-who').textContent = tx('request_who', { name });
  $('wallet-request-trust').textContent = req.registered ? tx('request_registered', { kind: tx(`kind_${req.registered.kind}`) }) : tx('request_unregistered');
  const purpose = req.purpose?.[lang] ?? req.registered?.purpose[lang];
  $('wallet-request-why').textContent = purpose ? tx('request_why', { purpose }) : '';
  const docs = $('wallet-request-docs');
  const claimsList = $('wallet-request-claims');
  const optional = $('wallet-request-optional');
  const choice = $<HTMLTemplateElement>('wallet-choice');
  const chosen = new Map<string, HeldCredential>();
  // one document per credential query: the newest that fits, or the holder's pick when several do
  const draw = () => {
    claimsList.replaceChildren();
    optional.replaceChildren();
    for (const m of matches) {
      const c = chosen.get(m.queryId) ?? m.candidates[0]!;
      for (const cl of m.claims(c)) {
        if (cl.required) {
          const li = document.createElement('li');
          li.textContent = `${c.name[lang]}: ${cl.label[lang]}`;
          claimsList.append(li);
        } else {
          const box = (choice.content.cloneNode(true) as DocumentFragment).firstElementChild as HTMLDivElement;
          const input = box.querySelector('input')!;
          const id = `opt-${m.queryId}-${cl.path.join('-')}`;
          input.id = id;
          input.dataset.query = m.queryId;
          input.dataset.path = JSON.stringify(cl.path);
          const label = box.querySelector('label')!;
          label.htmlFor = id;
          label.textContent = `${tx('request_optional')}: ${cl.label[lang]}`;
          optional.append(box);
        }
      }
    }
  };
  docs.querySelectorAll('.krds-form-check').forEach((n) => n.remove());
  for (const m of matches) {
    m.candidates.forEach((c, i) => {
      const box = (choice.content.cloneNode(true) as DocumentFragment).firstElementChild as HTMLDivElement;
      const input = box.querySelector('input')!;
      input.type = 'radio';
      input.name = `doc-${m.queryId}`;
      input.id = `doc-${m.queryId}-${i}`;
      input.checked = i === 0;
      input.addEventListener('change', () => {
        chosen.set(m.queryId, c);
        draw();
      });
      const label = box.querySelector('label')!;
      label.htmlFor = input.id;
      label.textContent = `${c.name[lang]} (${c.issuerName[lang]}, ${date(c.receivedAt)})`;
      docs.append(box);
    });
  }
  draw();
  const section = $('wallet-request');
  section.hidden = false;
  $('wallet-request-title').setAttribute('tabindex', '-1');
  $('wallet-request-title').focus();
  const form = $<HTMLFormElement>('wallet-request-form');
  const buttons = () => form.querySelectorAll<HTMLButtonElement>('button');
  const finish = async (redirectUri: string | undefined, message: string) => {
    section.hidden = true;
    history.replaceState(null, '', '/wallet');
    await renderHistory();
    say(message);
    if (redirectUri) window.location.assign(redirectUri);
  };
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    buttons().forEach((b) => (b.disabled = true));
    say(tx('submitting'));
    const answers = matches.map((m) => {
      const c = chosen.get(m.queryId) ?? m.candidates[0]!;
      const extra = Array.from(optional.querySelectorAll<HTMLInputElement>(`input[data-query="${m.queryId}"]:checked`)).map((i) => JSON.parse(i.dataset.path!) as Array<string | number | null>);
      const paths = [...m.claims(c).filter((x) => x.required).map((x) => x.path), ...extra];
      return { queryId: m.queryId, credential: c, key: held.find((h) => h.credential.id === c.id)!.key, paths, labels: m.claims(c).filter((x) => x.required || extra.some((p) => JSON.stringify(p) === JSON.stringify(x.path))).map((x) => x.label) };
    });
    try {
      const { redirectUri } = await respond(req, answers);
      await record(req, name, answers.flatMap((a) => a.labels), 'sent');
      await finish(redirectUri, tx('submitted', { name }));
    } catch (e) {
      await record(req, name, answers.flatMap((a) => a.labels), 'failed');
      say(tx('failed', { reason: reasonOf(e) }), true);
      buttons().forEach((b) => (b.disabled = false));
    }
  };
  $('wallet-decline').onclick = async () => {
    buttons().forEach((b) => (b.disabled = true));
    try {
      const { redirectUri } = await decline(req);
      await record(req, name, [], 'declined');
      await finish(redirectUri, tx('declined'));
    } catch (e) {
      say(tx('failed', { reason: reasonOf(e) }), true);
      buttons().forEach((b) => (b.disabled = false));
    }
  };
}

async function record(req: PresentationRequest, name: string, claims: Names[], outcome: HistoryEntry['outcome']) {
  const entry: HistoryEntry = { at: new Date().toISOString(), name: req.registered?.name ?? { ko: name, en: name }, clientId: req.clientId, claims, outcome };
  await store('history', 'readwrite', (s) => s.add(entry));
  await renderHistory();
}

async function open(link: string) {
  try {
    if (/[?&]request_uri=/.test(link)) await showRequest(link);
    else await showOffer(link);
  } catch (e) {
    if (!(e instanceof WalletError && e.code === 'no_match')) say(tx('failed', { reason: reasonOf(e) }), true);
  }
}

async function main() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/wallet/sw.js', { scope: '/wallet' }).catch(() => undefined);
  if (!navigator.onLine) say(tx('offline'));
  await Promise.all([renderCards(), renderHistory(), renderPending()]);
  $('wallet-pending-check').addEventListener('click', () => void checkPending(true));
  if (navigator.onLine) await checkPending(false);
  $<HTMLFormElement>('wallet-open').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const link = $<HTMLInputElement>('wallet-link').value.trim();
    if (link) void open(link);
  });
  const here = new URL(location.href);
  if (here.searchParams.has('request_uri') || here.searchParams.has('credential_offer') || here.searchParams.has('credential_offer_uri')) await open(location.href);
  document.body.dataset.walletReady = 'true';
}

void main().catch((e: unknown) => say(tx('failed', { reason: reasonOf(e) }), true));
