/**
 * The part of RFC 8941 structured fields that HTTP message signatures (RFC 9421) and digests
 * (RFC 9530) use: dictionaries whose members are items or inner lists, with parameters. Our own
 * strict parser rather than the http-message-signatures package's, because the server checks
 * signatures on the mediator's hot path and must reject anything ambiguous.
 */
export class Token {
  constructor(readonly value: string) {}
}

export type BareItem = string | number | boolean | Uint8Array | Token;
export type Params = Map<string, BareItem>;
export interface Item {
  value: BareItem;
  params: Params;
}
export interface InnerList {
  items: Item[];
  params: Params;
}
export type Member = Item | InnerList;

export class StructuredFieldError extends Error {}

export const isInnerList = (m: Member): m is InnerList => 'items' in m;

const LCALPHA = /[a-z]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new StructuredFieldError(`${what} at ${this.i}`);
  }
  peek(): string | undefined {
    return this.s[this.i];
  }
  skipSp(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  skipOws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  key(): string {
    const c = this.peek();
    if (c === undefined || !(LCALPHA.test(c) || c === '*')) this.fail('expected a key');
    const start = this.i++;
    while (this.i < this.s.length && KEY_CHAR.test(this.s[this.i]!)) this.i++;
    return this.s.slice(start, this.i);
  }

  bareItem(): BareItem {
    const c = this.peek();
    if (c === undefined) this.fail('expected a value');
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (c === '"') return this.string();
    if (c === ':') return this.bytes();
    if (c === '?') {
      const v = this.s[this.i + 1];
      if (v !== '0' && v !== '1') this.fail('expected a boolean');
      this.i += 2;
      return v === '1';
    }
    if (c === '*' || /[A-Za-z]/.test(c)) {
      const start = this.i++;
      while (this.i < this.s.length && TCHAR.test(this.s[this.i]!)) this.i++;
      return new Token(this.s.slice(start, this.i));
    }
    return this.fail('unexpected character');
  }

  number(): number {
    const m = /^-?\d{1,15}(\.\d{1,3})?/.exec(this.s.slice(this.i));
    if (!m || (m[1] && m[0].replace(/^-/, '').indexOf('.') > 12)) this.fail('malformed number');
    this.i += m[0].length;
    return Number(m[0]);
  }

  string(): string {
    let out = '';
    this.i++;
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') return out;
      if (c === '\\') {
        const n = this.s[this.i++];
        if (n !== '"' && n !== '\\') this.fail('bad escape');
        out += n;
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) this.fail('bad string character');
        out += c;
      }
    }
  }

  bytes(): Uint8Array {
    const end = this.s.indexOf(':', this.i + 1);
    if (end < 0) this.fail('unterminated byte sequence');
    const b64 = this.s.slice(this.i + 1, end);
    if (!BASE64.test(b64)) this.fail('bad base64');
    this.i = end + 1;
    return new Uint8Array(Buffer.from(b64, 'base64'));
  }

  params(): Params {
    const params: Params = new Map();
    while (this.peek() === ';') {
      this.i++;
      this.skipSp();
      const k = this.key();
      let v: BareItem = true;
      if (this.peek() === '=') {
        this.i++;
        v = this.bareItem();
      }
      params.set(k, v);
    }
    return params;
  }

  item(): Item {
    const value = this.bareItem();
    return { value, params: this.params() };
  }

  innerList(): InnerList {
    this.i++;
    const items: Item[] = [];
    for (;;) {
      this.skipSp();
      if (this.peek() === ')') {
        this.i++;
        return { items, params: this.params() };
      }
      items.push(this.item());
      const c = this.peek();
      if (c !== ' ' && c !== ')') this.fail('expected a space or ) in an inner list');
    }
  }

  dictionary(): Map<string, Member> {
    const out = new Map<string, Member>();
    this.skipSp();
    if (this.i >= this.s.length) return out;
    for (;;) {
      const k = this.key();
      let member: Member;
      if (this.peek() === '=') {
        this.i++;
        member = this.peek() === '(' ? this.innerList() : this.item();
      } else {
        member = { value: true, params: this.params() };
      }
      out.set(k, member);
      this.skipOws();
      if (this.i >= this.s.length) return out;
      if (this.peek() !== ',') this.fail('expected a comma');
      this.i++;
      this.skipOws();
      if (this.i >= this.s.length) this.fail('trailing comma');
    }
  }
}

/** Parses a dictionary field value (RFC 8941 §4.2.2); throws StructuredFieldError. */
export function parseDictionary(text: string): Map<string, Member> {
  const p = new Parser(text);
  const d = p.dictionary();
  if (p.i !== text.length) p.fail('trailing characters');
  return d;
}

export function serializeBareItem(v: BareItem): string {
  if (typeof v === 'string') return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const r = Math.round(v * 1000) / 1000;
    return Number.isInteger(r) ? `${r}.0` : String(r);
  }
  if (typeof v === 'boolean') return v ? '?1' : '?0';
  if (v instanceof Token) return v.value;
  return `:${Buffer.from(v).toString('base64')}:`;
}

export function serializeParams(params: Params): string {
  let out = '';
  for (const [k, v] of params) out += v === true ? `;${k}` : `;${k}=${serializeBareItem(v)}`;
  return out;
}

export const serializeItem = (item: Item) => serializeBareItem(item.value) + serializeParams(item.params);

export const serializeInnerList = (list: InnerList) => `(${list.items.map(serializeItem).join(' ')})${serializeParams(list.params)}`;
