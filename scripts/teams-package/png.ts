import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

/** Rows of 8-bit samples, top to bottom: RGB (3 channels) or RGBA (4). */
export interface Raster {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * The smallest PNG a decoder must accept: IHDR, one IDAT, IEND. Every row uses filter type 0 (None); the
 * icons are a few kilobytes either way, and unfiltered rows keep the encoder, and the test that decodes it,
 * trivial.
 */
export function encodePng(raster: Raster): Buffer {
  const { width, height, channels, pixels } = raster;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`a PNG needs positive integer dimensions, not ${width}×${height}`);
  const stride = width * channels;
  if (pixels.length !== stride * height)
    throw new RangeError(`expected ${stride * height} bytes of pixels, got ${pixels.length}`);

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 4 ? 6 : 2; // colour type: truecolour with alpha, or truecolour
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method: adaptive (each row names its filter)
  header[12] = 0; // no interlace

  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (stride + 1)] = 0;
    rows.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }

  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
