/**
 * The e-mail as it goes over SMTP: a plain-text UTF-8 message (RFC 5322, MIME with base64 body,
 * RFC 2047 encoded words for Korean in headers). Written here rather than by nodemailer's
 * composer because composing is most of the cost of sending (docs/research/notifications.md: the
 * composer holds the worker to ~900 messages/s, pre-built messages reach ~2,450/s); the tests
 * read what this makes back with an independent parser (mailparser).
 */

const SAFE_HEADER = /^[\x20-\x7e]*$/;

/** An RFC 2047 `B` encoded word per ≤ 45 bytes of UTF-8, split between characters, folded. */
export function encodeWords(text: string): string {
  if (SAFE_HEADER.test(text) && !/=\?/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** `"Name" <addr>` with the name encoded when it is not plain ASCII. */
export function mailbox(address: string, name?: string): string {
  if (!name) return `<${address}>`;
  const n = SAFE_HEADER.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeWords(name);
  return `${n} <${address}>`;
}

/** Parses `Name <addr>` or a bare address. */
export function parseMailbox(s: string): { name?: string; address: string } {
  const m = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(s);
  if (m) return { name: m[1]!.replace(/^"|"$/g, '') || undefined, address: m[2]! };
  return { address: s.trim() };
}

const wrap = (b64: string) => b64.replace(/.{1,76}/g, '$&\r\n');

export interface MimeInput {
  messageId: string;
  from: { name?: string; address: string };
  to: string;
  cc?: string[];
  replyTo?: string;
  subject: string;
  body: string;
  lang: string;
  date?: Date;
  /** Extra headers (ASCII). */
  headers?: Record<string, string>;
}

export function composeMime(m: MimeInput): string {
  const date = (m.date ?? new Date()).toUTCString().replace('GMT', '+0000');
  const head = [
    `From: ${mailbox(m.from.address, m.from.name)}`,
    `To: <${m.to}>`,
    ...(m.cc?.length ? [`Cc: ${m.cc.map((c) => `<${c}>`).join(', ')}`] : []),
    ...(m.replyTo ? [`Reply-To: <${m.replyTo}>`] : []),
    `Subject: ${encodeWords(m.subject)}`,
    `Date: ${date}`,
    `Message-ID: <${m.messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    `Content-Language: ${m.lang}`,
    'Auto-Submitted: auto-generated',
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  const body = m.body.replace(/\r?\n/g, '\r\n');
  return `${head.join('\r\n')}\r\n\r\n${wrap(Buffer.from(body, 'utf8').toString('base64'))}`;
}
