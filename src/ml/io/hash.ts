// Datasets are identified by what they contain, not by their file name: the same bytes always give
// the same id, so a cached evaluation can be matched to its data. FNV-1a 64-bit is used because it
// streams byte by byte with tiny state, needs no async crypto API, and is plenty for telling
// datasets apart (it is not meant to resist deliberate collisions).

const OFFSET_BASIS_16 = [0x2325, 0x8422, 0x9ce4, 0xcbf2]; // 0xcbf29ce484222325, low limb first
const encoder = new TextEncoder();

/**
 * Incremental FNV-1a 64-bit over the UTF-8 bytes of the text fed to it. Feeding a text in any
 * chunking gives the same digest as feeding it whole (a surrogate pair split between two chunks is
 * held back until its second half arrives).
 */
export class ContentHasher {
  // 64-bit state as four 16-bit limbs, so every product stays exact in a double
  private limbs = OFFSET_BASIS_16.slice();
  private heldHighSurrogate = '';

  update(text: string): this {
    let chunk = this.heldHighSurrogate + text;
    this.heldHighSurrogate = '';
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.heldHighSurrogate = chunk[chunk.length - 1];
      chunk = chunk.slice(0, -1);
    }
    this.updateBytes(encoder.encode(chunk));
    return this;
  }

  updateBytes(bytes: Uint8Array): this {
    let [h0, h1, h2, h3] = this.limbs;
    for (let i = 0; i < bytes.length; i++) {
      h0 ^= bytes[i];
      // multiply by the FNV prime 2^40 + 0x1b3: the 0x1b3 part limb by limb, the 2^40 part is
      // a shift of the two low limbs by 40 bits = two limbs plus 8 bits
      const t0 = h0 * 0x1b3;
      let t1 = h1 * 0x1b3;
      let t2 = h2 * 0x1b3 + (h0 << 8);
      const t3 = h3 * 0x1b3 + (h1 << 8);
      t1 += t0 >>> 16;
      h0 = t0 & 0xffff;
      t2 += t1 >>> 16;
      h1 = t1 & 0xffff;
      h3 = (t3 + (t2 >>> 16)) & 0xffff;
      h2 = t2 & 0xffff;
    }
    this.limbs = [h0, h1, h2, h3];
    return this;
  }

  /** 16 lowercase hex digits. Does not reset the state. */
  digest(): string {
    const copy = new ContentHasher();
    copy.limbs = this.limbs.slice();
    // a lone high surrogate at the very end encodes as U+FFFD, as TextEncoder would
    if (this.heldHighSurrogate) copy.updateBytes(encoder.encode(this.heldHighSurrogate));
    return copy.limbs
      .slice()
      .reverse()
      .map((limb) => limb.toString(16).padStart(4, '0'))
      .join('');
  }
}

/** FNV-1a 64-bit of a whole string's UTF-8 bytes, as 16 hex digits. */
export function hashText(text: string): string {
  return new ContentHasher().update(text).digest();
}

/** Hash of a chunked text, without keeping it in memory. */
export async function hashChunks(chunks: AsyncIterable<string>): Promise<string> {
  const hasher = new ContentHasher();
  for await (const chunk of chunks) hasher.update(chunk);
  return hasher.digest();
}
