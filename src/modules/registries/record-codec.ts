import { maskRrn, normaliseRrn, type FieldCrypto } from '../../platform/crypto.ts';
import type { RegistryInfo } from './catalog.ts';

/**
 * How record values are stored and shown. An `rrn` field is stored only as field-encrypted text
 * whose context names the registry, the record and the field (a value copied into another
 * record does not decrypt), with a blind index in `registries.record.rrn_index` for look-ups.
 * It leaves the registry only masked (`900101-1******`).
 *
 * The population generator writes records with these same functions, so that the service can
 * read what it wrote.
 */

/** The blind-index context: one for all registries, so that an RRN finds a person's records everywhere. */
export const RRN_INDEX_CONTEXT = 'registries.rrn';

/** The encryption context of one rrn value. */
export const rrnContext = (code: string, recordId: string, field: string) => `registries.record:${code}:${recordId}:${field}`;

/** The blind index of an RRN (normalised to 13 digits); undefined if it is not 13 digits. */
export function rrnIndex(crypto: FieldCrypto, rrn: string): string | undefined {
  const digits = normaliseRrn(rrn);
  return digits ? crypto.blindIndex(digits, RRN_INDEX_CONTEXT) : undefined;
}

export interface SealedValues {
  values: Record<string, unknown>;
  /** The blind index of the registry's rrn field, when `values` sets it. */
  rrnIndex?: string;
}

/** Encrypts the rrn fields among freshly written (plain, validated) values. */
export function sealValues(crypto: FieldCrypto, info: RegistryInfo, recordId: string, values: Record<string, unknown>): SealedValues {
  const out: SealedValues = { values: { ...values } };
  for (const f of info.fields) {
    const v = values[f.name];
    if (f.type !== 'rrn' || typeof v !== 'string') continue;
    const digits = normaliseRrn(v)!;
    out.values[f.name] = crypto.encrypt(digits, rrnContext(info.code, recordId, f.name));
    // the registry's first rrn field is the indexed one (the Database API allows only one)
    out.rrnIndex ??= crypto.blindIndex(digits, RRN_INDEX_CONTEXT);
  }
  return out;
}

/**
 * The fields of a stored record as they may leave the registry: rrn fields decrypted and masked,
 * everything else as stored. `only` limits the fields (in the registry's order).
 */
export function presentValues(crypto: FieldCrypto, info: RegistryInfo, recordId: string, data: Record<string, unknown>, only?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of info.fields) {
    if (only && !only.has(f.name)) continue;
    const v = data[f.name];
    if (v === undefined || v === null) continue;
    if (f.type === 'rrn' && typeof v === 'string') {
      let plain: string | undefined;
      try {
        plain = crypto.decrypt(v, rrnContext(info.code, recordId, f.name));
      } catch {
        // a value that does not decrypt is shown fully hidden, never as stored
      }
      out[f.name] = plain ? maskRrn(plain) : maskRrn('');
    } else out[f.name] = v;
  }
  return out;
}

/** Names of the personal fields among presented values (what an access record lists as items). */
export function personalItems(info: RegistryInfo, presented: Record<string, unknown>, into = new Set<string>()): Set<string> {
  for (const f of info.fields) if (f.personal && presented[f.name] !== undefined) into.add(f.name);
  return into;
}
