// One record sealed with the data key (AES-GCM, a fresh random 96-bit iv per write) and opened
// again. The table's name is authenticated with it, so a row copied into another table fails to
// open instead of turning into a setting or an event.
import { decodeRecord, encodeRecord } from './recordCodec';
import { sealedField, type SealedRow, type TablePolicy } from './policy';

const ivLength = 12;

export async function sealRow(
  table: string,
  policy: TablePolicy,
  row: Record<string, unknown>,
  key: CryptoKey,
): Promise<SealedRow> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(ivLength));
  const cipher = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(table) },
    key,
    encodeRecord(row) as BufferSource,
  );
  const sealed = new Uint8Array(ivLength + cipher.byteLength);
  sealed.set(iv);
  sealed.set(new Uint8Array(cipher), ivLength);
  const readable: Record<string, unknown> = {};
  for (const field of policy.readableFields) if (row[field] !== undefined) readable[field] = row[field];
  return { ...readable, [sealedField]: sealed };
}

/**
 * The record inside a sealed row. The primary key comes from the row itself, because an
 * auto-incremented id is given by the database after sealing.
 */
export async function openRow(
  table: string,
  policy: TablePolicy,
  row: SealedRow,
  key: CryptoKey,
): Promise<Record<string, unknown>> {
  const sealed = row[sealedField];
  const plain = await globalThis.crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: sealed.subarray(0, ivLength) as BufferSource,
      additionalData: new TextEncoder().encode(table),
    },
    key,
    sealed.subarray(ivLength) as BufferSource,
  );
  const record = decodeRecord(new Uint8Array(plain)) as Record<string, unknown>;
  for (const field of policy.readableFields) if (row[field] !== undefined) record[field] = row[field];
  return record;
}
