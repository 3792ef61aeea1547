// Reads and writes ZIP archives: report downloads and user exports in, generated exports out. No I/O.
// Layout: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (§4.3.7 local header, §4.3.12
// central directory, §4.3.16 end of central directory, §4.4.4 bit 3 data descriptor, bit 11 UTF-8 names).
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Why bytes are not a readable archive; the caller says what the archive was ("the report download"). */
export class ZipError extends Error {
  override name = 'ZipError';
}

const DEFAULT_MAX_BYTES = 256 << 20;

/** A ZIP archive starts with a local file header (or, empty, with the end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * The files in a ZIP archive, read from its central directory (sizes there are right even when the local
 * headers defer them to a data descriptor). Stored and deflated entries only; each is checked against
 * its size and CRC-32, and nothing unpacks past `maxBytes` in all. Throws ZipError.
 */
export function readZipEntries(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string) => new ZipError(why);
  let end = -1;
  // The end record is 22 bytes plus a comment of at most 65,535.
  for (let i = buf.length - 22; i >= 0 && i >= buf.length - 22 - 0xffff; i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw bad('it has no end-of-central-directory record');
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirAt = buf.readUInt32LE(end + 16);
  if (count === 0xffff || dirAt === 0xffffffff) throw bad('ZIP64 archives are not read');
  if (dirAt + dirSize > end) throw bad('its central directory lies outside the file');
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = dirAt;
  for (let n = 1; n <= count; n++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== 0x02014b50)
      throw bad(`central directory entry ${n} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const packed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const localAt = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (name.endsWith('/')) continue;
    if (flags & 1) throw bad(`"${name}" is encrypted`);
    if (packed === 0xffffffff || size === 0xffffffff) throw bad('ZIP64 archives are not read');
    total += size;
    if (total > maxBytes) throw bad(`it unpacks to more than ${maxBytes >> 20} MiB`);
    if (localAt + 30 > buf.length || buf.readUInt32LE(localAt) !== 0x04034b50)
      throw bad(`the local header of "${name}" is missing`);
    const start = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    if (start + packed > buf.length) throw bad(`"${name}" is cut short`);
    const raw = buf.subarray(start, start + packed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8)
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch {
        throw bad(`"${name}" does not inflate to its stated ${size} bytes`);
      }
    else throw bad(`"${name}" uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (data.length !== size || crc32(data) >>> 0 !== crc >>> 0)
      throw bad(`"${name}" fails its size or CRC-32 check`);
    entries.push({ name, data });
  }
  return entries;
}

/**
 * A ZIP archive of the given files, names in UTF-8 (bit 11), deflated unless `store` is asked; sizes in
 * the local headers, no data descriptors. `modified` sets every entry's MS-DOS time (local time fields
 * taken as UTC); the default is a fixed instant, so the same files make the same bytes.
 */
export function writeZip(
  entries: { name: string; data: string | Uint8Array; store?: boolean }[],
  modified = new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
): Buffer {
  const dosTime =
    (modified.getUTCHours() << 11) | (modified.getUTCMinutes() << 5) | (modified.getUTCSeconds() >> 1);
  const dosDate =
    ((modified.getUTCFullYear() - 1980) << 9) | ((modified.getUTCMonth() + 1) << 5) | modified.getUTCDate();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const packed = e.store ? data : deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
