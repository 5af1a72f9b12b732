import type { Faker } from '@faker-js/faker';
import type { Rng } from '../../random/rng';
import { hashString } from '../../random/rng';
import { directIdentifier, headerWords } from '../../schema/pii';
import type { ColumnKind, ColumnSchema, PiiKind, Schema } from '../../schema/schema';
import type { CategoricalColumn, Column, Table } from '../../table/table';
import { HashSet } from '../../table/rowHash';
import type { FakeLocale } from './fakerLoader';

/**
 * Role `fake`: realistic values made up for every row (faker, in one locale chosen from the data), for
 * direct identifiers such as names, e-mails and phone numbers. Nothing is learnt from the real values but
 * their style (lower-case e-mails, a leading + on phones, the shape of ids such as "###-##-####", an IBAN's
 * country) and the share of missing values.
 *
 * A fake is never a real value of its column: the model keeps, per fake column, hashes of the training
 * values (normalised: case, spaces and punctuation aside), and a fake that matches one is drawn again.
 * The hashes are salted and cut to a few bits more than the number of values needs (see `hashBits`), so
 * that a stored model narrows a guessed value down to a bucket shared with many others rather than
 * confirming it, at the cost of rare needless redraws (under 1 in 256 draws).
 *
 * Within a row fakes agree: the e-mail is made from the row's fake first and last name when the table has
 * a name column.
 */
export type FakeKind =
  | 'full-name'
  | 'first-name'
  | 'last-name'
  | 'email'
  | 'phone'
  | 'national-id'
  | 'iban'
  | 'credit-card'
  | 'address'
  | 'ip-address'
  | 'postcode'
  | 'pattern';

export interface FakePlan {
  mode: 'fake';
  name: string;
  kind: ColumnKind;
  fake: FakeKind;
  locale: FakeLocale;
  /** Share of training rows missing this column: drawn missing at the same rate. */
  missingShare: number;
  /** The most common shape of the real values ('#' digit, 'A' upper, 'a' lower letter, others as is). */
  template: string;
  /** E-mails: most real ones are lower case. */
  lowerCase: boolean;
  /** Phones: most real ones start with '+'. */
  international: boolean;
  /** IBANs: the most common country of the real ones; grouped in fours when most real ones are. */
  countryCode: string;
  grouped: boolean;
  /** Salt and width of the stored hashes of the training values. */
  salt: number;
  hashBits: number;
}

/** Fakes tried per value before the value is altered instead (names, when faker's list is used up). */
const MAX_TRIES = 50;
/** Values examined to learn a column's style and the table's locale. */
const STYLE_SAMPLE = 2000;

/** The plan of a fake column and the hashes of its training values (to store with the model). */
export function planFake(col: Column, cs: ColumnSchema, locale: FakeLocale, salt: number): { plan: FakePlan; hashes: Float64Array } {
  const { values, missing } = usedValues(col);
  const fake = fakeKindOf(cs);
  const sample = values.length <= STYLE_SAMPLE ? values : values.filter((_, i) => i % Math.ceil(values.length / STYLE_SAMPLE) === 0);
  const plan: FakePlan = {
    mode: 'fake',
    name: cs.name,
    kind: cs.kind,
    fake,
    locale,
    missingShare: col.type === 'numeric' ? missing / Math.max(1, col.values.length) : missing / Math.max(1, col.codes.length),
    // Only the style a kind uses is learnt (a name column keeps no shape or prefix of real names).
    template: fake === 'national-id' || fake === 'credit-card' || fake === 'pattern' ? commonShape(sample) : '',
    lowerCase: fake === 'email' && (sample.length === 0 || sample.filter((v) => v === v.toLowerCase()).length >= sample.length / 2),
    international: fake === 'phone' && sample.filter((v) => v.trim().startsWith('+')).length > sample.length / 2,
    countryCode: fake === 'iban' ? (mostCommon(sample.map((v) => v.trim().slice(0, 2).toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c))) ?? '') : '',
    grouped: fake === 'iban' && sample.filter((v) => /\s/.test(v.trim())).length > sample.length / 2,
    salt,
    hashBits: hashBits(values.length),
  };
  const hashes = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) hashes[i] = valueHash(plan, values[i]);
  hashes.sort();
  let k = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) hashes[k++] = hashes[i];
  return { plan, hashes: hashes.slice(0, k) };
}

/** A few bits more than the distinct values need: at most 1 fake in 256 is redrawn needlessly. */
function hashBits(distinct: number): number {
  // A doubling loop, not `**`: integer-exact the same in every engine (see detMath.test.ts).
  let bits = 8;
  let room = 1;
  while (bits < 32 && room < distinct) {
    bits++;
    room *= 2;
  }
  return Math.max(16, bits);
}

/** Values compared as a person would: case and spacing aside; phones, ids and numbers by their characters only. */
function normalise(fake: FakeKind, s: string): string {
  const t = s.trim().toLowerCase();
  if (fake === 'phone' || fake === 'national-id' || fake === 'iban' || fake === 'credit-card' || fake === 'pattern' || fake === 'postcode') {
    return t.replace(/[^0-9a-z]/g, '');
  }
  return t.replace(/\s+/g, ' ');
}

function valueHash(plan: FakePlan, value: string): number {
  return hashString(normalise(plan.fake, value), plan.salt) >>> (32 - plan.hashBits);
}

/** What to make for a column: from its direct-identifier hint (or its other PII hint), names by their header. */
export function fakeKindOf(cs: ColumnSchema): FakeKind {
  const kind: PiiKind | undefined = directIdentifier(cs.pii) ?? cs.pii[0]?.kind;
  switch (kind) {
    case 'person-name': {
      const words = headerWords(cs.name);
      if (/\b(first|given|fore|forename|firstname|nick)\b/.test(words)) return 'first-name';
      if (/\b(last|family|sur|surname|lastname|maiden)\b/.test(words)) return 'last-name';
      return 'full-name';
    }
    case undefined:
      return 'pattern';
    default:
      return kind;
  }
}

const PHONE_PREFIX: [string, FakeLocale][] = [
  ['+49', 'de'], ['0049', 'de'], ['+33', 'fr'], ['0033', 'fr'], ['+31', 'nl'], ['0031', 'nl'], ['+34', 'es'], ['0034', 'es'],
  ['+39', 'it'], ['0039', 'it'], ['+44', 'en_GB'], ['0044', 'en_GB'], ['+1', 'en_US'],
];
const COUNTRY: Record<string, FakeLocale> = { DE: 'de', FR: 'fr', NL: 'nl', ES: 'es', IT: 'it', GB: 'en_GB', UK: 'en_GB', US: 'en_US' };
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
const NL_POSTCODE = /^\d{4} ?[A-Z]{2}$/;

/**
 * One locale for the table's fakes, by a vote over values that say where they are from: phone prefixes
 * (+49 → de), IBAN countries (FR… → fr), e-mail domains (.nl → nl, .co.uk → en_GB) and UK or Dutch
 * postcodes. A locale needs a fifth of the examined values; otherwise en_US. Names are not used: they
 * travel too well to tell a country.
 */
export function chooseFakeLocale(train: Table, schema: Schema): FakeLocale {
  const votes = new Map<FakeLocale, number>();
  let examined = 0;
  for (const cs of schema.columns) {
    const kinds = new Set(cs.pii.map((p) => p.kind));
    if (!kinds.has('phone') && !kinds.has('iban') && !kinds.has('email') && !kinds.has('postcode')) continue;
    const col = train.columns.find((c) => c.name === cs.name);
    if (!col || col.type !== 'categorical') continue;
    const { values } = usedValues(col);
    const step = Math.max(1, Math.ceil(values.length / STYLE_SAMPLE));
    for (let i = 0; i < values.length; i += step) {
      const v = values[i].trim();
      examined++;
      let vote: FakeLocale | undefined;
      if (kinds.has('phone')) vote = PHONE_PREFIX.find(([p]) => v.startsWith(p))?.[1];
      if (!vote && kinds.has('iban') && /^[A-Z]{2}\d\d/i.test(v)) vote = COUNTRY[v.slice(0, 2).toUpperCase()];
      if (!vote && kinds.has('email')) {
        const tld = /\.([a-z]{2,})$/i.exec(v)?.[1].toLowerCase();
        vote = tld === 'uk' ? 'en_GB' : tld ? COUNTRY[tld.toUpperCase()] : undefined;
        if (vote === 'en_US') vote = undefined; // .us is rare and says little
      }
      if (!vote && kinds.has('postcode')) vote = UK_POSTCODE.test(v) ? 'en_GB' : NL_POSTCODE.test(v) ? 'nl' : undefined;
      if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
  }
  let best: FakeLocale = 'en_US';
  let most = 0;
  for (const [l, c] of votes) if (c > most) [best, most] = [l, c];
  return most >= examined / 5 && most > 0 ? best : 'en_US';
}

/** Fake values for every fake plan, n rows each, as categorical columns (same order as `plans`). */
export function generateFakes(plans: FakePlan[], n: number, rng: Rng, hashes: ReadonlyMap<string, HashSet>, faker: Faker): { columns: Column[]; redrawn: number } {
  faker.seed(rng.uint32());
  const sets = plans.map((p) => hashes.get(p.name) ?? new HashSet(new Float64Array(0)));
  const isReal = (j: number, v: string) => sets[j].size > 0 && sets[j].has(valueHash(plans[j], v));
  const out = plans.map(() => ({ codes: new Int32Array(n), levels: [] as string[], index: new Map<string, number>() }));
  const nameCols = plans.map((p, j) => (p.fake === 'full-name' || p.fake === 'first-name' || p.fake === 'last-name' ? j : -1)).filter((j) => j >= 0);
  const present = new Uint8Array(plans.length);
  const values: string[] = new Array(plans.length);
  let redrawn = 0;

  for (let i = 0; i < n; i++) {
    for (let j = 0; j < plans.length; j++) present[j] = rng.next() < plans[j].missingShare ? 0 : 1;
    // The row's person: names are drawn together, again while any of them is a real value of its column.
    let first = faker.person.firstName();
    let last = faker.person.lastName();
    for (let t = 0; nameCols.length > 0; t++) {
      const clashes: number[] = [];
      for (const j of nameCols) {
        if (!present[j]) continue;
        values[j] = nameValue(plans[j].fake, first, last);
        if (isReal(j, values[j])) clashes.push(j);
      }
      if (clashes.length === 0) break;
      redrawn++;
      if (t >= MAX_TRIES) {
        // faker's names of this locale are used up by the real ones: alter the clashing ones.
        for (const j of clashes) values[j] = alter(values[j], (v) => isReal(j, v), rng, () => nameValue(plans[j].fake, faker.person.firstName(), faker.person.lastName()));
        break;
      }
      first = faker.person.firstName();
      last = faker.person.lastName();
    }
    for (let j = 0; j < plans.length; j++) {
      const p = plans[j];
      if (!present[j]) {
        out[j].codes[i] = -1;
        continue;
      }
      if (!nameCols.includes(j)) {
        const draw = () => fakeValue(p, faker, rng, nameCols.length > 0 ? first : undefined, nameCols.length > 0 ? last : undefined);
        let v = draw();
        for (let t = 0; isReal(j, v); t++) {
          redrawn++;
          v = t < MAX_TRIES ? draw() : alter(v, (x) => isReal(j, x), rng, draw);
        }
        values[j] = v;
      }
      const o = out[j];
      let code = o.index.get(values[j]);
      if (code === undefined) {
        code = o.levels.length;
        o.levels.push(values[j]);
        o.index.set(values[j], code);
      }
      o.codes[i] = code;
    }
  }
  const columns: Column[] = plans.map((p, j): CategoricalColumn => ({ type: 'categorical', name: p.name, codes: out[j].codes, levels: out[j].levels }));
  return { columns, redrawn };
}

function nameValue(fake: FakeKind, first: string, last: string): string {
  return fake === 'first-name' ? first : fake === 'last-name' ? last : `${first} ${last}`;
}

function fakeValue(p: FakePlan, faker: Faker, rng: Rng, first: string | undefined, last: string | undefined): string {
  switch (p.fake) {
    case 'full-name':
    case 'first-name':
    case 'last-name':
      return nameValue(p.fake, faker.person.firstName(), faker.person.lastName());
    case 'email': {
      const e = faker.internet.email({ firstName: first ?? faker.person.firstName(), lastName: last ?? faker.person.lastName() });
      return p.lowerCase ? e.toLowerCase() : e;
    }
    case 'phone':
      return phone(faker, p.international);
    case 'iban':
      return iban(faker, p.countryCode, p.grouped);
    case 'credit-card':
      return creditCard(p.template, rng);
    case 'national-id':
      return nationalId(p.template, rng);
    case 'address':
      return faker.location.streetAddress();
    case 'ip-address':
      return faker.internet.ipv4();
    case 'postcode':
      return faker.location.zipCode();
    case 'pattern':
      return fillTemplate(p.template || 'AAA-####', rng);
  }
}

function phone(faker: Faker, international: boolean): string {
  try {
    return faker.phone.number({ style: international ? 'international' : 'human' });
  } catch {
    return faker.phone.number();
  }
}

function iban(faker: Faker, countryCode: string, grouped: boolean): string {
  try {
    return faker.finance.iban({ countryCode: countryCode || undefined, formatted: grouped });
  } catch {
    return faker.finance.iban({ formatted: grouped });
  }
}

/** A card number in the real ones' layout (16 digits in fours when none is known), with a valid Luhn digit. */
function creditCard(template: string, rng: Rng): string {
  const t = (template.match(/#/g) ?? []).length >= 13 ? template : '#### #### #### ####';
  const digits: number[] = [];
  const nDigits = (t.match(/#/g) ?? []).length;
  digits.push(4); // a Visa-like prefix
  for (let i = 1; i < nDigits - 1; i++) digits.push(rng.int(10));
  digits.push(0);
  let sum = 0;
  for (let i = nDigits - 2, double = true; i >= 0; i--, double = !double) {
    let d = digits[i];
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  digits[nDigits - 1] = (10 - (sum % 10)) % 10;
  let k = 0;
  return t.replace(/#/g, () => String(digits[k++]));
}

/** An id in the real ones' shape; US social security numbers keep to valid area numbers. */
function nationalId(template: string, rng: Rng): string {
  if (template === '###-##-####') {
    const area = 1 + rng.int(665); // 001-665 (666 and 900-999 are never issued)
    return `${String(area).padStart(3, '0')}-${String(1 + rng.int(99)).padStart(2, '0')}-${String(1 + rng.int(9999)).padStart(4, '0')}`;
  }
  return fillTemplate(template || '###-##-####', rng);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function fillTemplate(template: string, rng: Rng): string {
  let s = '';
  for (const ch of template) s += ch === '#' ? String(rng.int(10)) : ch === 'A' ? UPPER[rng.int(26)] : ch === 'a' ? LOWER[rng.int(26)] : ch;
  return s;
}

/** The shape of a value: digits '#', letters 'A' or 'a', other characters kept. */
function shapeOf(v: string): string {
  return v.trim().replace(/[0-9]/g, '#').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a').slice(0, 40);
}

function commonShape(values: string[]): string {
  return mostCommon(values.map(shapeOf)) ?? '';
}

function mostCommon(xs: string[]): string | undefined {
  const counts = new Map<string, number>();
  let best: string | undefined;
  let most = 0;
  for (const x of xs) {
    const c = (counts.get(x) ?? 0) + 1;
    counts.set(x, c);
    if (c > most) [best, most] = [x, c];
  }
  return best;
}

/**
 * A variant of `v` that is no real value: a digit changed at random when it has digits, else the front of
 * one fake joined to the back of another; a counter added as a last resort (the real values are finite).
 */
function alter(v: string, real: (x: string) => boolean, rng: Rng, another: () => string): string {
  let x = v;
  for (let t = 0; t < 10 * MAX_TRIES; t++) {
    const digits = [...x].map((ch, i) => (ch >= '0' && ch <= '9' ? i : -1)).filter((i) => i >= 0);
    if (digits.length > 0) {
      const at = digits[rng.int(digits.length)];
      x = x.slice(0, at) + String(rng.int(10)) + x.slice(at + 1);
    } else {
      const a = v, b = another();
      x = a.slice(0, Math.max(1, Math.ceil(a.length / 2))) + b.slice(Math.floor(b.length / 2));
    }
    if (!real(x)) return x;
  }
  for (let k = 2; ; k++) if (!real(`${v} ${k}`)) return `${v} ${k}`;
}

/** The present values of a column, one per row that has one (numbers as text), and how many rows miss it. */
function usedValues(col: Column): { values: string[]; missing: number } {
  const values: string[] = [];
  let missing = 0;
  if (col.type === 'numeric') {
    for (const x of col.values) {
      if (Number.isNaN(x)) missing++;
      else values.push(String(x));
    }
    return { values: distinct(values), missing };
  }
  const used = new Uint8Array(col.levels.length);
  for (const c of col.codes) {
    if (c < 0) missing++;
    else used[c] = 1;
  }
  for (let l = 0; l < col.levels.length; l++) if (used[l] && col.levels[l].trim() !== '') values.push(col.levels[l]);
  return { values, missing };
}

function distinct(xs: string[]): string[] {
  return [...new Set(xs)];
}
