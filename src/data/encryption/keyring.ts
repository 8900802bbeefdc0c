// The keys behind encryption at rest, all WebCrypto.
//
// One random AES-GCM 256 data key encrypts every protected record. It is stored only wrapped
// (encrypted) by a key derived from the shopper's passphrase with PBKDF2-SHA256 and a random
// salt, so changing the passphrase re-wraps this one key and no record is touched.
//
// Iterations: OWASP's Password Storage Cheat Sheet (2023) recommends 600,000 iterations for
// PBKDF2-HMAC-SHA256 (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2).
// Tests may pass fewer through KeyringOptions.iterations; nothing in the app does.

/** OWASP 2023's figure for PBKDF2-HMAC-SHA256; the default everywhere in the app. */
export const pbkdf2Iterations = 600_000;

/** The keyring table's one row: the wrapped data key and how to derive the key that unwraps it. */
export interface KeyringRecord {
  id: 'dataKey';
  /** Layout of this row, so a later format can be recognised. */
  version: 1;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: Uint8Array };
  /** The data key, AES-GCM-wrapped by the passphrase key: iv and ciphertext (with its tag). */
  wrappedKey: { iv: Uint8Array; data: Uint8Array };
  createdAt: number;
}

export interface KeyringOptions {
  /** PBKDF2 iterations; pbkdf2Iterations unless a test asks for fewer. */
  iterations?: number;
  now?: number;
}

/** Thrown when the passphrase does not unwrap the data key. */
export class WrongPassphraseError extends Error {
  constructor() {
    super('That passphrase is not the one that protects your data. Nothing was changed.');
    this.name = 'WrongPassphraseError';
  }
}

/** The shortest passphrase we accept; a short one falls to guessing, iterations or not. */
export const minPassphraseLength = 8;

export function passphraseProblem(passphrase: string): string | null {
  return passphrase.length < minPassphraseLength
    ? `Use at least ${minPassphraseLength} characters (a few unrelated words are easy to remember).`
    : null;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const randomBytes = (length: number) => globalThis.crypto.getRandomValues(new Uint8Array(length));
// binds the wrapped key to its purpose, so no other ciphertext of ours can pass as it
const wrapContext = new TextEncoder().encode('aisle data key v1');

async function passphraseKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** A fresh random data key; extractable only so it can be wrapped, which happens at once. */
const newDataKey = () =>
  subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']) as Promise<CryptoKey>;

async function wrap(dataKey: CryptoKey, passphrase: string, options: KeyringOptions): Promise<KeyringRecord> {
  const iterations = options.iterations ?? pbkdf2Iterations;
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const wrapping = await passphraseKey(passphrase, salt, iterations);
  const data = await subtle().wrapKey('raw', dataKey, wrapping, {
    name: 'AES-GCM',
    iv,
    additionalData: wrapContext,
  });
  return {
    id: 'dataKey',
    version: 1,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt },
    wrappedKey: { iv, data: new Uint8Array(data) },
    createdAt: options.now ?? Date.now(),
  };
}

/**
 * Unwraps the data key. `extractable` only for re-wrapping under a new passphrase; the key the
 * app keeps in memory is not extractable, so no script can read its bytes.
 */
async function unwrap(keyring: KeyringRecord, passphrase: string, extractable: boolean): Promise<CryptoKey> {
  const wrapping = await passphraseKey(passphrase, keyring.kdf.salt, keyring.kdf.iterations);
  try {
    return await subtle().unwrapKey(
      'raw',
      keyring.wrappedKey.data as BufferSource,
      wrapping,
      { name: 'AES-GCM', iv: keyring.wrappedKey.iv as BufferSource, additionalData: wrapContext },
      { name: 'AES-GCM', length: 256 },
      extractable,
      ['encrypt', 'decrypt'],
    );
  } catch {
    // AES-GCM's tag fails for any other passphrase: that is the only way unwrapping fails here
    throw new WrongPassphraseError();
  }
}

/** A new data key, its keyring row, and the key to use now (not extractable). */
export async function createKeyring(
  passphrase: string,
  options: KeyringOptions = {},
): Promise<{ keyring: KeyringRecord; dataKey: CryptoKey }> {
  const keyring = await wrap(await newDataKey(), passphrase, options);
  return { keyring, dataKey: await unwrap(keyring, passphrase, false) };
}

/** The data key for this passphrase, or WrongPassphraseError. */
export const openKeyring = (keyring: KeyringRecord, passphrase: string): Promise<CryptoKey> =>
  unwrap(keyring, passphrase, false);

/** The same data key wrapped under a new passphrase with a new salt; records stay as they are. */
export async function rewrapKeyring(
  keyring: KeyringRecord,
  currentPassphrase: string,
  newPassphrase: string,
  options: KeyringOptions = {},
): Promise<KeyringRecord> {
  const dataKey = await unwrap(keyring, currentPassphrase, true);
  return wrap(dataKey, newPassphrase, options);
}
