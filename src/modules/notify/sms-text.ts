/**
 * Korean SMS and LMS length rules. Carriers and gateways count a message in CP949 (확장 완성형)
 * bytes: ASCII is one byte, Hangul and the other KS X 1001 characters two. An SMS holds 90 bytes
 * (45 Hangul); up to 2,000 bytes go as an LMS with a title of up to 40 bytes; anything longer is
 * refused. A character CP949 cannot encode (emoji, most symbols outside KS X 1001) would reach the
 * phone as "?", so it is refused too: at template-save time for the template's own text, at send
 * time after the placeholders are filled in.
 */

export const SMS_MAX_BYTES = 90;
export const LMS_MAX_BYTES = 2000;
export const LMS_TITLE_MAX_BYTES = 40;

let ksx1001: Set<number> | undefined;

/**
 * KS X 1001's repertoire, read from the platform's own EUC-KR decoder (ICU) once: every valid
 * two-byte sequence 0xA1–0xFE × 0xA1–0xFE. CP949's extension adds only the remaining
 * precomposed Hangul syllables, which {@link encodable} takes as a range.
 */
function repertoire(): Set<number> {
  if (ksx1001) return ksx1001;
  const decoder = new TextDecoder('euc-kr', { fatal: true });
  const set = new Set<number>();
  for (let lead = 0xa1; lead <= 0xfe; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      try {
        const c = decoder.decode(Uint8Array.of(lead, trail));
        if (c.length === 1 || [...c].length === 1) set.add(c.codePointAt(0)!);
      } catch {
        // not assigned
      }
    }
  }
  ksx1001 = set;
  return set;
}

/** Whether CP949 can encode this code point. */
export function encodable(cp: number): boolean {
  if (cp <= 0x7f) return cp >= 0x20 || cp === 0x0a || cp === 0x0d || cp === 0x09;
  if (cp >= 0xac00 && cp <= 0xd7a3) return true; // every precomposed Hangul syllable (KS X 1001 + CP949's extension)
  return repertoire().has(cp);
}

export interface SmsMeasure {
  bytes: number;
  /** Characters CP949 cannot carry, each once, in order of appearance. */
  unsupported: string[];
}

/** Counts CP949 bytes and lists the characters that cannot be sent. Line breaks count as one byte (\r\n as two). */
export function measureSms(text: string): SmsMeasure {
  let bytes = 0;
  const unsupported: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!encodable(cp)) {
      if (!unsupported.includes(ch)) unsupported.push(ch);
      bytes += 2;
      continue;
    }
    bytes += cp <= 0x7f ? 1 : 2;
  }
  return { bytes, unsupported };
}

export type SmsKind = 'sms' | 'lms';

export class SmsTextError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'too-long' | 'title-too-long' | 'empty',
    message: string,
    readonly detail: { bytes?: number; characters?: string[] } = {},
  ) {
    super(message);
    this.name = 'SmsTextError';
  }
}

/** SMS when it fits in 90 bytes, else LMS up to 2,000; throws {@link SmsTextError} when it cannot be sent. */
export function smsKind(body: string, title?: string): { kind: SmsKind; bytes: number } {
  if (!body.trim()) throw new SmsTextError('empty', 'the text message is empty');
  const m = measureSms(body);
  const t = title ? measureSms(title) : { bytes: 0, unsupported: [] };
  const bad = [...m.unsupported, ...t.unsupported.filter((c) => !m.unsupported.includes(c))];
  if (bad.length) throw new SmsTextError('unsupported', `characters a text message cannot carry: ${bad.join(' ')}`, { characters: bad });
  if (m.bytes > LMS_MAX_BYTES) throw new SmsTextError('too-long', `the text message is ${m.bytes} bytes; at most ${LMS_MAX_BYTES} can be sent`, { bytes: m.bytes });
  if (t.bytes > LMS_TITLE_MAX_BYTES) throw new SmsTextError('title-too-long', `the LMS title is ${t.bytes} bytes; at most ${LMS_TITLE_MAX_BYTES}`, { bytes: t.bytes });
  // a title goes with an LMS only: a short message with a title is still an SMS (the title is dropped)
  return { kind: m.bytes <= SMS_MAX_BYTES ? 'sms' : 'lms', bytes: m.bytes };
}
