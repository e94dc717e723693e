/**
 * Reads the metadata key/values at the start of a GGUF file (ggml docs/gguf.md, v2 and v3, little
 * endian): magic "GGUF", version u32, tensor_count u64, metadata_kv_count u64, then per pair a key
 * (u64 length + UTF-8 bytes), a value type u32 and the value. Types: 0 u8, 1 i8, 2 u16, 3 i16,
 * 4 u32, 5 i32, 6 f32, 7 bool, 8 string, 9 array (element type u32, count u64, elements),
 * 10 u64, 11 i64, 12 f64. Only the prefix of the file is needed: the tensor infos follow the pairs.
 */
export type GgufValue = number | boolean | string | GgufValue[];

export interface GgufHeader {
  version: number;
  tensorCount: number;
  /** Key → value; an array longer than 1024 (the tokenizer's token list) keeps its length, filled with 0. */
  metadata: Record<string, GgufValue>;
  /** Bytes the header and all metadata took: the reader needed this many. */
  bytesRead: number;
}

/** The buffer ended inside the metadata: read at least `needBytes` and parse again. */
export class GgufTruncated extends Error {
  constructor(readonly needBytes: number) {
    super(`the GGUF metadata is longer than the ${needBytes} bytes read`);
  }
}

/** Arrays longer than this are not kept element by element (a 150k-token vocabulary): only their length matters. */
const MAX_KEPT_ARRAY = 1024;

export function parseGgufHeader(bytes: Uint8Array): GgufHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number): void => {
    if (at + n > bytes.byteLength) throw new GgufTruncated(Math.max(bytes.byteLength * 2, at + n));
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(at, true);
    at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('a GGUF length or count is too large to be real');
    return Number(v);
  };
  const str = (): string => {
    const len = u64();
    need(len);
    const s = new TextDecoder().decode(bytes.subarray(at, at + len));
    at += len;
    return s;
  };
  const scalar = (type: number): GgufValue => {
    const sizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
    if (type === 8) return str();
    const size = sizes[type];
    if (size === undefined) throw new Error(`unknown GGUF value type ${type}`);
    need(size);
    let v: GgufValue;
    switch (type) {
      case 0: v = view.getUint8(at); break;
      case 1: v = view.getInt8(at); break;
      case 2: v = view.getUint16(at, true); break;
      case 3: v = view.getInt16(at, true); break;
      case 4: v = view.getUint32(at, true); break;
      case 5: v = view.getInt32(at, true); break;
      case 6: v = view.getFloat32(at, true); break;
      case 7: v = view.getUint8(at) !== 0; break;
      case 10: v = Number(view.getBigUint64(at, true)); break;
      case 11: v = Number(view.getBigInt64(at, true)); break;
      default: v = view.getFloat64(at, true);
    }
    at += size;
    return v;
  };
  const value = (type: number): GgufValue => {
    if (type !== 9) return scalar(type);
    const elemType = u32();
    const count = u64();
    const kept: GgufValue[] = [];
    for (let i = 0; i < count; i++) {
      const v = value(elemType);
      if (i < MAX_KEPT_ARRAY) kept.push(v);
    }
    // Only the length of a long array is used (its holes cost nothing; filling them cost a slot per element).
    return count > MAX_KEPT_ARRAY ? new Array<GgufValue>(count) : kept;
  };

  need(4);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'GGUF') throw new Error('not a GGUF file (its first bytes are not "GGUF")');
  at = 4;
  const version = u32();
  if (version < 2 || version > 3) throw new Error(`GGUF version ${version} is not supported (2 and 3 are)`);
  const tensorCount = u64();
  const kvCount = u64();
  const metadata: Record<string, GgufValue> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    metadata[key] = value(u32());
  }
  return { version, tensorCount, metadata, bytesRead: at };
}
