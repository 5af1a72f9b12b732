import type { PiiHint, PiiKind } from './schema';

/**
 * PII hints from a column's header and from a sample of its values. Hints only flag a column for the user;
 * nothing is dropped. Value checks are strict (Luhn for cards, mod-97 for IBANs, octet ranges for IPs) so a
 * column of ordinary numbers is not flagged.
 */

const NAME_RULES: { kind: PiiKind; re: RegExp }[] = [
  { kind: 'email', re: /\be ?mail\b|\bemail/ },
  { kind: 'phone', re: /\b(phone|telephone|tel|mobile|cell|fax)\b|phone/ },
  { kind: 'national-id', re: /\b(ssn|sin|nin|nino|bsn|nhs|passport|national id|social security|tax id|taxpayer|personal id|id number)\b/ },
  { kind: 'iban', re: /\b(iban|account number|account no|bank account)\b/ },
  { kind: 'credit-card', re: /\b(credit card|card number|card no|cc number|ccn|pan)\b|creditcard/ },
  { kind: 'ip-address', re: /\b(ip|ip address|ipv4|ipv6|ip addr)\b/ },
  { kind: 'postcode', re: /\b(zip|zipcode|zip code|postcode|post code|postal code|postal)\b/ },
  {
    kind: 'person-name',
    re: /^(first|last|middle|full|given|family|maiden|nick|sur|fore|patient|customer|client|employee|person|user|contact)? ?name$|\b(surname|forename|firstname|lastname|fullname)\b/,
  },
  // Street addresses, not IP, e-mail, MAC or web addresses.
  { kind: 'address', re: /^(?!.*\b(ip|ipv4|ipv6|e ?mail|mac|web|url|wallet)\b).*\b(address|addr|street|address line ?\d?)\b|\baddress ?line/ },
];

/**
 * Kinds that identify a person on their own. Columns flagged so default to the role `fake`: realistic
 * values made up per row, never a real one. IP addresses and postcodes are quasi-identifiers rather
 * than direct ones: they stay synthesized (rare values are pooled).
 */
export const DIRECT_IDENTIFIER_KINDS: readonly PiiKind[] = ['person-name', 'email', 'phone', 'national-id', 'iban', 'credit-card', 'address'];

/** The first hint of a kind that identifies a person on its own, if any. */
export function directIdentifier(pii: readonly PiiHint[]): PiiKind | undefined {
  return pii.find((h) => DIRECT_IDENTIFIER_KINDS.includes(h.kind))?.kind;
}

/** "customerEmail_2" → "customer email 2": words from camelCase and separators. */
export function headerWords(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.\s/]+/g, ' ')
    .trim()
    .toLowerCase();
}

export function piiFromName(name: string): PiiKind[] {
  const words = headerWords(name);
  return NAME_RULES.filter((r) => r.re.test(words)).map((r) => r.kind);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;
const UK_NINO = /^[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i;
const PHONE = /^\+?[\d\s().-]{7,22}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i;
const POSTCODES = [
  /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, // UK
  /^\d{5}-\d{4}$/, // US ZIP+4
  /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, // Canada
  /^\d{4} ?[A-Z]{2}$/, // Netherlands
  /^0\d{4}$/, // US ZIP with a leading zero (kept as text by ingest)
];

export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function validIban(s: string): boolean {
  const v = s.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v)) return false;
  const moved = v.slice(4) + v.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const part = code >= 65 ? String(code - 55) : ch;
    for (const digit of part) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** Which PII pattern a single value matches, if any. */
export function piiOfValue(raw: string): PiiKind | null {
  const s = raw.trim();
  if (s.length < 5 || s.length > 64) return null;
  if (EMAIL.test(s)) return 'email';
  if (SSN.test(s) || UK_NINO.test(s)) return 'national-id';
  const ip = IPV4.exec(s);
  if (ip) return ip.slice(1).every((o) => +o <= 255) ? 'ip-address' : null;
  if (s.includes(':') && IPV6.test(s) && (s.match(/:/g) ?? []).length >= 2 && /[0-9a-f]/i.test(s)) return 'ip-address';
  if (/^[A-Za-z]{2}\d{2}/.test(s) && validIban(s)) return 'iban';
  if (/^[\d -]{13,23}$/.test(s)) {
    const digits = s.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) return 'credit-card';
  }
  if (POSTCODES.some((re) => re.test(s))) return 'postcode';
  if (PHONE.test(s)) {
    const digits = s.replace(/\D/g, '').length;
    // A separator or a leading + distinguishes a phone number from a plain count; dates are excluded.
    if (digits >= 9 && digits <= 15 && /[+\s().-]/.test(s) && !/^\d{4}-\d{2}-\d{2}/.test(s) && !/^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(s)) return 'phone';
  }
  return null;
}

/**
 * Hints for one column: header rules, plus value patterns matched by at least `minShare` of the sampled
 * non-missing values.
 */
export function detectPii(name: string, samples: string[], minShare = 0.5): PiiHint[] {
  const hints = new Map<PiiKind, PiiHint>();
  for (const kind of piiFromName(name)) hints.set(kind, { kind, source: 'name', share: 1 });
  if (samples.length > 0) {
    const counts = new Map<PiiKind, number>();
    for (const s of samples) {
      const k = piiOfValue(s);
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [kind, c] of counts) {
      const share = c / samples.length;
      if (share >= minShare) hints.set(kind, { kind, source: 'values', share });
    }
  }
  return [...hints.values()];
}
