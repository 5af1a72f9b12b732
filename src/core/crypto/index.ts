/**
 * Encryption at rest with WebCrypto only (browsers, workers and Node 20 alike): a passphrase derives an
 * AES-GCM 256 key with PBKDF2-SHA-256 (a stored random salt, 600,000 iterations or more); each sealed
 * payload has its own random 12-byte IV, and GCM's tag makes a wrong key or a changed byte fail instead
 * of giving garbage. Keys are made non-extractable: their bytes can never be read back.
 */
import { UserError } from '../context';
import { pack, unpack } from './pack';

export { pack, unpack } from './pack';

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA-256. Fewer are refused. */
export const MIN_ITERATIONS = 600_000;
export const DEFAULT_ITERATIONS = 600_000;

/** An AES-GCM ciphertext (with its tag) and its IV. */
export interface Sealed {
  iv: Uint8Array;
  data: Uint8Array;
}

/** What a project stores to check and re-derive its key: never the key nor the passphrase. */
export interface EncryptionInfo {
  salt: Uint8Array;
  iterations: number;
  /** A known value sealed with the key: opening it tells a wrong passphrase at once. */
  verifier: Sealed;
}

const VERIFIER_TEXT = 'facsimile-key-check-v1';

export function isSealed(v: unknown): v is Sealed {
  const s = v as Sealed | undefined;
  return !!s && s.iv instanceof Uint8Array && s.data instanceof Uint8Array;
}

export async function deriveKey(passphrase: string, salt: Uint8Array, iterations = DEFAULT_ITERATIONS): Promise<CryptoKey> {
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS) throw new Error(`Key derivation needs at least ${MIN_ITERATIONS.toLocaleString('en')} iterations.`);
  if (salt.byteLength < 16) throw new Error('The salt must be 16 bytes or more.');
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function seal(key: CryptoKey, bytes: Uint8Array): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, bytes as BufferSource));
  return { iv, data };
}

export class DecryptError extends UserError {
  constructor(message = 'This data could not be decrypted: it was changed or damaged, or it was sealed with another passphrase.') {
    super(message, 'Restore the project from a backup if the problem stays.');
    this.name = 'DecryptError';
  }
}

/** The bytes sealed in `sealed`; a wrong key or any changed byte throws DecryptError, never garbage. */
export async function open(key: CryptoKey, sealed: Sealed): Promise<Uint8Array> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as BufferSource }, key, sealed.data as BufferSource));
  } catch {
    throw new DecryptError();
  }
}

/** Seal any value made of JSON and typed arrays (see pack). */
export async function sealValue(key: CryptoKey, value: unknown): Promise<Sealed> {
  return seal(key, pack(value));
}

export async function openValue<T = unknown>(key: CryptoKey, sealed: Sealed): Promise<T> {
  return unpack(await open(key, sealed)) as T;
}

/** A new key from a passphrase, with what the project stores to unlock it later. */
export async function newEncryption(passphrase: string, iterations = DEFAULT_ITERATIONS): Promise<{ key: CryptoKey; info: EncryptionInfo }> {
  if (passphrase.length < 8) throw new UserError('Choose a passphrase of at least 8 characters.', 'A few unrelated words make a strong passphrase that is easy to remember.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await deriveKey(passphrase, salt, iterations);
  const verifier = await seal(key, new TextEncoder().encode(VERIFIER_TEXT));
  return { key, info: { salt, iterations, verifier } };
}

export class WrongPassphraseError extends UserError {
  constructor() {
    super('Wrong passphrase: this project stays locked.', 'Check the passphrase (it is case-sensitive) and try again. Without it the encrypted data cannot be read.');
    this.name = 'WrongPassphraseError';
  }
}

/** The project's key from its passphrase; a wrong passphrase throws WrongPassphraseError. */
export async function unlockKey(passphrase: string, info: EncryptionInfo): Promise<CryptoKey> {
  const key = await deriveKey(passphrase, info.salt, info.iterations);
  let text: string;
  try {
    text = new TextDecoder().decode(await open(key, info.verifier));
  } catch {
    throw new WrongPassphraseError();
  }
  if (text !== VERIFIER_TEXT) throw new WrongPassphraseError();
  return key;
}
