// Reading screenshots in tests: a small PNG decoder and pixel counts, for screenshot-level checks that
// a chart is really drawn (a page or a PDF rasterised by Chromium or pdftoppm).
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';

export interface Raster {
  width: number;
  height: number;
  /** RGB(A) bytes, `channels` per pixel, rows top to bottom. */
  data: Buffer;
  channels: number;
}

/**
 * A minimal PNG decoder for what pdftoppm and Chromium write: 8-bit RGB or RGBA, not interlaced
 * (https://www.w3.org/TR/png/#9Filters for the row filters).
 */
export function decodePng(png: Buffer): Raster {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      expect({ depth, interlace }).toEqual({ depth: 8, interlace: 0 });
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      expect(channels, `PNG colour type ${colour}`).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(body);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    if (filter > 4) throw new Error(`PNG row ${y} has unknown filter ${filter}`);
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = data.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? data.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels]! : 0;
      const b = up[i]!;
      const c = i >= channels ? up[i - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[i] = (src[i]! + predictor) & 0xff;
    }
  }
  return { width, height, data, channels };
}

/** Where pixels close to `hex` are: how many, and the box around them. */
export function findColour(r: Raster, hex: string, tolerance = 40) {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  let [left, top, right, bottom] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++) {
      const o = (y * r.width + x) * r.channels;
      const d = Math.hypot(r.data[o]! - want[0]!, r.data[o + 1]! - want[1]!, r.data[o + 2]! - want[2]!);
      if (d > tolerance) continue;
      count++;
      [left, top, right, bottom] = [
        Math.min(left, x),
        Math.min(top, y),
        Math.max(right, x),
        Math.max(bottom, y),
      ];
    }
  return { count, left, top, width: right - left + 1, height: bottom - top + 1 };
}

export function nonWhite(r: Raster): number {
  let n = 0;
  for (let o = 0; o < r.data.length; o += r.channels)
    if (r.data[o]! < 200 || r.data[o + 1]! < 200 || r.data[o + 2]! < 200) n++;
  return n;
}
