import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.ts';
import { SIDO } from '../facts.ts';
import { ADDRESS_TARGETS, BIRTH_BENEFITS, INHERITANCE_INQUIRIES, type BundleCode, type FieldProblem } from './bundles.ts';
import { ot, otAny, type OnestopKey } from './messages.ts';
import type { Prefill } from './registry-reads.ts';

// The fields of the three e-forms as KRDS form groups: each with its label, hint and error
// (aria-invalid, aria-describedby), ids `f-<field>` that the error summary links to. Values are
// what the person typed (kept after an error) or what was filled in from their records.

export type FormValues = Record<string, string | string[] | undefined>;

const one = (v: FormValues[string]) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: FormValues[string]) => (Array.isArray(v) ? v : v ? [v] : []);

/** The error line of a field (its message names the field). */
export function problemText(ctx: PageContext, p: FieldProblem): string {
  const field = otAny(ctx, `f_${p.field}`);
  const key = `e_${p.code}`;
  const text = otAny(ctx, key, { field });
  return text === key ? ot(ctx, 'e_invalid', { field }) : text;
}

function Group({ ctx, id, label, hint, problem, required, children, legend }: { ctx: PageContext; id: string; label: string; hint?: string; problem?: FieldProblem; required?: boolean; legend?: boolean; children: ComponentChildren }) {
  const tag = <span class="hn-muted"> {ot(ctx, required ? 'required' : 'optional')}</span>;
  const body = (
    <>
      {hint ? (
        <p class="form-hint" id={`f-${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p class="form-hint is-error" id={`f-${id}-error`}>
          {problemText(ctx, problem)}
        </p>
      ) : null}
      <div class={`form-conts${problem ? ' is-error' : ''}`}>{children}</div>
    </>
  );
  return legend ? (
    <fieldset class="form-group">
      <legend class="form-tit">
        {label}
        {tag}
      </legend>
      {body}
    </fieldset>
  ) : (
    <div class="form-group">
      <div class="form-tit">
        <label for={`f-${id}`}>
          {label}
          {tag}
        </label>
      </div>
      {body}
    </div>
  );
}

const describedBy = (id: string, hint: boolean, problem: boolean) => [hint ? `f-${id}-hint` : '', problem ? `f-${id}-error` : ''].filter(Boolean).join(' ') || undefined;

interface FieldProps {
  ctx: PageContext;
  id: string;
  values: FormValues;
  problems: FieldProblem[];
}

function Text({ ctx, id, values, problems, type = 'text', required, hint, maxLength, autocomplete, inputMode }: FieldProps & { type?: 'text' | 'date'; required?: boolean; hint?: OnestopKey; maxLength: number; autocomplete?: string; inputMode?: 'numeric' }) {
  const problem = problems.find((p) => p.field === id);
  return (
    <Group ctx={ctx} id={id} label={otAny(ctx, `f_${id}`)} hint={hint ? ot(ctx, hint) : undefined} problem={problem} required={required}>
      {type === 'date' ? (
        <input type="date" id={`f-${id}`} name={id} value={one(values[id])} class="krds-input" required={required} aria-invalid={problem ? 'true' : undefined} aria-describedby={describedBy(id, !!hint, !!problem)} />
      ) : (
        <input type="text" id={`f-${id}`} name={id} value={one(values[id])} class="krds-input" maxLength={maxLength} autocomplete={autocomplete ?? 'off'} inputMode={inputMode} required={required} aria-invalid={problem ? 'true' : undefined} aria-describedby={describedBy(id, !!hint, !!problem)} />
      )}
    </Group>
  );
}

function Choice({ ctx, id, values, problems, options, multiple, required }: FieldProps & { options: Array<{ value: string; label: string }>; multiple?: boolean; required?: boolean }) {
  const problem = problems.find((p) => p.field === id);
  const chosen = many(values[id]);
  return (
    <Group ctx={ctx} id={id} label={otAny(ctx, `f_${id}`)} problem={problem} required={required} legend>
      {options.map((o, i) => (
        <div class="krds-form-check medium">
          <input type={multiple ? 'checkbox' : 'radio'} id={i === 0 ? `f-${id}` : `f-${id}-${i}`} name={id} value={o.value} checked={chosen.includes(o.value)} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `f-${id}-error` : undefined} />
          <label for={i === 0 ? `f-${id}` : `f-${id}-${i}`}>{o.label}</label>
        </div>
      ))}
    </Group>
  );
}

function Sido({ ctx, values, problems }: Omit<FieldProps, 'id'>) {
  const problem = problems.find((p) => p.field === 'sido');
  return (
    <Group ctx={ctx} id="sido" label={ot(ctx, 'f_sido')} problem={problem} required>
      <select id="f-sido" name="sido" class="krds-form-select" aria-invalid={problem ? 'true' : undefined} aria-describedby={describedBy('sido', false, !!problem)}>
        <option value="">—</option>
        {SIDO.map((s) => (
          <option value={s} selected={one(values.sido) === s}>
            {s}
          </option>
        ))}
      </select>
    </Group>
  );
}

/** The fields of a bundle's form; `fixed` leaves out what cannot change after submission (an amendment). */
export function FormFields({ ctx, bundle, values, problems, prefill, fixed }: { ctx: PageContext; bundle: BundleCode; values: FormValues; problems: FieldProblem[]; prefill?: Prefill; fixed?: boolean }) {
  const p = { ctx, values, problems };
  if (bundle === 'birth') {
    const spouse = prefill?.family.filter((f) => f.relation === 'spouse') ?? [];
    const current = one(values.otherParentId);
    const parents = [...spouse.map((s) => ({ value: s.id, label: `${s.name} (${ot(ctx, 'rel_spouse')})` })), ...(current && !spouse.some((s) => s.id === current) ? [{ value: current, label: current }] : [])];
    return (
      <>
        <Text {...p} id="childName" required maxLength={40} />
        <Choice {...p} id="childSex" required options={(['F', 'M'] as const).map((s) => ({ value: s, label: ot(ctx, `sex_${s}`) }))} />
        <Text {...p} id="birthDate" type="date" required hint="h_birthDate" maxLength={10} />
        <Text {...p} id="birthPlace" maxLength={100} />
        {parents.length ? <Choice {...p} id="otherParentId" options={[...parents, { value: '', label: ot(ctx, 'none_parent') }]} /> : null}
        {fixed ? null : <Choice {...p} id="benefits" multiple options={BIRTH_BENEFITS.map((b) => ({ value: b, label: otAny(ctx, `benefit_${b}`) }))} />}
      </>
    );
  }
  if (bundle === 'move') {
    return (
      <>
        <Sido {...p} />
        <Text {...p} id="sigungu" required maxLength={20} />
        <Text {...p} id="roadAddress" required maxLength={200} autocomplete="street-address" />
        <Text {...p} id="postalCode" required hint="h_postalCode" maxLength={5} autocomplete="postal-code" inputMode="numeric" />
        <Text {...p} id="moveInDate" type="date" required hint="h_moveInDate" maxLength={10} />
        {fixed ? null : <Choice {...p} id="addressChanges" multiple options={ADDRESS_TARGETS.map((r) => ({ value: r, label: otAny(ctx, `target_${r}`) }))} />}
      </>
    );
  }
  const family = (prefill?.family ?? []).filter((f) => f.status === 'active' && f.relation !== 'self');
  return (
    <>
      {fixed ? null : family.length ? (
        <Choice {...p} id="deceasedId" required options={family.map((f) => ({ value: f.id, label: `${f.name} (${ot(ctx, `rel_${f.relation}`)})` }))} />
      ) : (
        <p class="hn-notice" id="f-deceasedId">
          {prefill ? ot(ctx, 'no_family') : ot(ctx, 'prefill_needed')}
        </p>
      )}
      <Text {...p} id="deathDate" type="date" required maxLength={10} />
      <Text {...p} id="deathPlace" maxLength={100} />
      {fixed ? null : <Choice {...p} id="inquiries" multiple options={INHERITANCE_INQUIRIES.map((r) => ({ value: r, label: otAny(ctx, `inquiry_${r}`) }))} />}
    </>
  );
}

/** Form values from a prefill: the address and what the person holds, the spouse as the other parent. */
export function prefillValues(bundle: BundleCode, pre: Prefill): FormValues {
  if (bundle === 'birth') return { otherParentId: pre.family.find((f) => f.relation === 'spouse')?.id, benefits: [...BIRTH_BENEFITS] };
  if (bundle === 'move') return { addressChanges: ADDRESS_TARGETS.filter((r) => pre.holds[r]) };
  return { inquiries: [...INHERITANCE_INQUIRIES] };
}

/** Default values of a fresh form (every benefit and inquiry ticked). */
export function freshValues(bundle: BundleCode): FormValues {
  return bundle === 'birth' ? { benefits: [...BIRTH_BENEFITS] } : bundle === 'death' ? { inquiries: [...INHERITANCE_INQUIRIES] } : {};
}

/** The form data of posted values: lists for the check boxes (none ticked is an empty list), empty optional fields left out. */
export function formData(bundle: BundleCode, v: FormValues): Record<string, unknown> {
  const lists = bundle === 'birth' ? ['benefits'] : bundle === 'move' ? ['addressChanges'] : ['inquiries'];
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith('_') || k === 'prefilled') continue;
    if (lists.includes(k)) continue;
    const s = one(val).trim();
    if (s) out[k] = s;
  }
  for (const l of lists) out[l] = many(v[l]);
  return out;
}
