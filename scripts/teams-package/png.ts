import { PNG } from 'pngjs';

/** Rows of 8-bit samples, top to bottom: RGB (3 channels) or RGBA (4). */
export interface Raster {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
}

/**
 * The raster as an 8-bit truecolour PNG (colour type 2, or 6 with alpha), encoded by pngjs. The pixels go in
 * unconverted: pngjs passes them through when the input and output colour types match. Our icons are flat
 * colour, for which unfiltered rows and zlib's default strategy compress best (the colour icon is 1.5 kB, twice
 * that with pngjs's adaptive filters and run-length strategy). A module of its own because the tablet build
 * encodes its icons here too (`scripts/build-tablet.ts`).
 */
export function encodePng(raster: Raster): Buffer {
  const { width, height, channels, pixels } = raster;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`a PNG needs positive integer dimensions, not ${width}×${height}`);
  if (pixels.length !== width * height * channels)
    throw new RangeError(`expected ${width * height * channels} bytes of pixels, got ${pixels.length}`);
  const image = new PNG({ width, height });
  image.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const colorType = channels === 4 ? 6 : 2;
  return PNG.sync.write(image, {
    colorType,
    inputColorType: colorType,
    inputHasAlpha: channels === 4,
    filterType: 0,
    deflateStrategy: 0,
  });
}
