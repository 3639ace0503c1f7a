// Rows in PostgreSQL's binary COPY format (the COPY FROM STDIN (FORMAT binary) stream): a
// header, then each row as its field count and each field as its length and bytes in the type's
// binary form (the type's send function), then a trailer. The server reads each value as it is,
// with no parsing, planning or casts, and writes pages of rows at a time.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const EPOCH_2000_MS = Date.UTC(2000, 0, 1);
/** The type oid of text, named in a text[] array's header. */
const TEXT_OID = 25;

/** Writes rows of fields into one growing buffer; `finish` gives the whole stream. */
export class CopyRows {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private at = 0;
  rows = 0;

  constructor() {
    this.bytes(SIGNATURE);
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.rows++;
    return this.int16(fields);
  }

  null(): this {
    return this.int32(-1);
  }

  int2(value: number): this {
    this.int32(2);
    return this.int16(value);
  }

  int4(value: number): this {
    this.int32(4);
    return this.int32(value);
  }

  bool(value: boolean): this {
    this.int32(1);
    this.room(1);
    this.buffer[this.at++] = value ? 1 : 0;
    return this;
  }

  text(value: string | null): this {
    if (value === null) return this.null();
    const length = Buffer.byteLength(value);
    this.int32(length);
    this.room(length);
    this.at += this.buffer.write(value, this.at);
    return this;
  }

  /** A value already in its binary form (a tsvector from search-document.ts, say). */
  binary(value: Buffer): this {
    this.int32(value.length);
    return this.bytes(value);
  }

  /** timestamptz from an ISO time: microseconds since 2000-01-01 UTC. */
  timestamp(iso: string | null): this {
    if (iso === null) return this.null();
    const ms = Date.parse(iso);
    this.int32(8);
    this.room(8);
    this.at = this.buffer.writeBigInt64BE(BigInt(ms - EPOCH_2000_MS) * 1000n, this.at);
    return this;
  }

  /** jsonb: a version byte, then the JSON text. */
  jsonb(value: unknown): this {
    const text = JSON.stringify(value);
    const length = Buffer.byteLength(text);
    this.int32(length + 1);
    this.room(length + 1);
    this.buffer[this.at++] = 1;
    this.at += this.buffer.write(text, this.at);
    return this;
  }

  /** text[]: no dimensions when empty, else one, from 1. */
  textArray(items: readonly string[]): this {
    if (items.length === 0) {
      this.int32(12);
      this.int32(0);
      this.int32(0);
      return this.int32(TEXT_OID);
    }
    const lengths = items.map((item) => Buffer.byteLength(item));
    this.int32(20 + 4 * items.length + lengths.reduce((a, b) => a + b, 0));
    this.int32(1);
    this.int32(0);
    this.int32(TEXT_OID);
    this.int32(items.length);
    this.int32(1);
    items.forEach((item, i) => {
      this.int32(lengths[i]!);
      this.room(lengths[i]!);
      this.at += this.buffer.write(item, this.at);
    });
    return this;
  }

  /** numeric, exactly as PostgreSQL reads the number's shortest decimal form (String(value)). */
  numeric(value: number | null): this {
    if (value === null) return this.null();
    return this.binary(numericSend(value));
  }

  /** The stream: everything written, then the trailer. */
  finish(): Buffer {
    this.int16(-1);
    return this.buffer.subarray(0, this.at);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }

  private bytes(value: Buffer): this {
    this.room(value.length);
    this.at += value.copy(this.buffer, this.at);
    return this;
  }

  private int16(value: number): this {
    this.room(2);
    this.at = this.buffer.writeInt16BE(value, this.at);
    return this;
  }

  private int32(value: number): this {
    this.room(4);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }
}

/**
 * A finite number in numeric's binary form (numeric_send): digit count, weight of the first
 * base-10,000 digit, sign, display scale, then the digits. The scale and digits are those
 * numeric_in gives for String(value), exponent included.
 */
export function numericSend(value: number): Buffer {
  if (!Number.isFinite(value)) throw new RangeError(`numeric needs a finite number, not ${value}`);
  const text = String(value);
  const negative = text.startsWith('-');
  const [mantissa, exponentText] = text.replace(/^-/, '').split('e') as [string, string | undefined];
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const [whole, fraction = ''] = mantissa.split('.') as [string, string | undefined];
  // All the decimal digits, and how many of them stand before the point.
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const scale = Math.max(0, fraction.length - exponent);
  // Pad so the point falls on a base-10,000 digit boundary, with whole groups on both sides.
  const before = point > 0 ? point : 0;
  const leftPad = (4 - (before % 4)) % 4;
  let padded = '0'.repeat(leftPad) + (point < 0 ? '0'.repeat(-point) : '') + digits;
  const groupsBefore = (leftPad + before) / 4;
  if (padded.length % 4) padded += '0'.repeat(4 - (padded.length % 4));
  const groups: number[] = [];
  for (let i = 0; i < padded.length; i += 4) groups.push(Number(padded.slice(i, i + 4)));
  // Before the point there may be fewer digits than the padding assumed (a number below 1).
  while (groups.length < groupsBefore) groups.push(0);
  let weight = groupsBefore - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const kept = groups.slice(first, last);
  const out = Buffer.allocUnsafe(8 + 2 * kept.length);
  out.writeInt16BE(kept.length, 0);
  out.writeInt16BE(kept.length === 0 ? 0 : weight, 2);
  out.writeUInt16BE(negative && kept.length > 0 ? 0x4000 : 0, 4);
  out.writeInt16BE(scale, 6);
  kept.forEach((group, i) => out.writeInt16BE(group, 8 + 2 * i));
  return out;
}
