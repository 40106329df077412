import { encodePng } from './png.ts';

/** Teams' required sizes: the colour icon is shown in the store and app bar, the outline icon in the rail. */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

type Rgb = readonly [number, number, number];

/**
 * The mark is a shield with a check cut into it, drawn in "mark units": the shield is 1 tall and
 * SHIELD_WIDTH wide, x centred on 0 and y growing downwards from the top edge.
 */
const SHIELD_WIDTH = 0.84;
const HALF = SHIELD_WIDTH / 2;
const CORNER = 0.1;
const SHOULDER = 0.45;
const CHECK: ReadonlyArray<readonly [number, number]> = [
  [-0.19, 0.47],
  [-0.05, 0.61],
  [0.2, 0.33],
];
const CHECK_HALF_STROKE = 0.055;

function inShield(x: number, y: number): boolean {
  if (y < 0 || y > 1) return false;
  const halfWidth = y <= SHOULDER ? HALF : HALF * Math.cos(((y - SHOULDER) / (1 - SHOULDER)) * (Math.PI / 2));
  const ax = Math.abs(x);
  if (ax > halfWidth) return false;
  if (y < CORNER && ax > HALF - CORNER) return Math.hypot(ax - (HALF - CORNER), y - CORNER) <= CORNER;
  return true;
}

function distanceToSegment(
  x: number,
  y: number,
  [ax, ay]: readonly [number, number],
  [bx, by]: readonly [number, number],
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function inCheck(x: number, y: number): boolean {
  for (let i = 1; i < CHECK.length; i++)
    if (distanceToSegment(x, y, CHECK[i - 1]!, CHECK[i]!) <= CHECK_HALF_STROKE) return true;
  return false;
}

/** How much of each pixel the shield and the check cover (0…1), from a 4×4 grid of samples per pixel. */
function coverage(size: number, markHeight: number): { shield: Float64Array; check: Float64Array } {
  const samples = 4;
  const shield = new Float64Array(size * size);
  const check = new Float64Array(size * size);
  const top = (size - markHeight) / 2;
  const centre = size / 2;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let inS = 0;
      let inC = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples - centre) / markHeight;
          const y = (py + (sy + 0.5) / samples - top) / markHeight;
          if (inShield(x, y)) {
            inS++;
            if (inCheck(x, y)) inC++;
          }
        }
      }
      shield[py * size + px] = inS / samples ** 2;
      check[py * size + px] = inC / samples ** 2;
    }
  }
  return { shield, check };
}

export function parseHexColor(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  return [Number.parseInt(match[1]!, 16), Number.parseInt(match[2]!, 16), Number.parseInt(match[3]!, 16)];
}

const mix = (from: number, to: number, amount: number) => Math.round(from + (to - from) * amount);

/** Full-bleed accent background with a white shield whose check shows the background through it. */
export function colorIcon(accent: string): Buffer {
  const background = parseHexColor(accent);
  const size = COLOR_ICON_SIZE;
  // Teams crops and rounds the colour icon in places; 112 of 192 keeps the mark inside its safe area.
  const { shield, check } = coverage(size, 112);
  const pixels = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const white = shield[i]! - check[i]!;
    for (let c = 0; c < 3; c++) pixels[i * 3 + c] = mix(background[c]!, 255, white);
  }
  return encodePng({ width: size, height: size, channels: 3, pixels });
}

/** White shield on a transparent background, the check cut out of it, as Teams requires of outline icons. */
export function outlineIcon(): Buffer {
  const size = OUTLINE_ICON_SIZE;
  const { shield, check } = coverage(size, 28);
  // Colour stays white even where alpha is 0: a renderer that scales without premultiplying alpha would
  // otherwise blend black into the anti-aliased edge.
  const pixels = new Uint8Array(size * size * 4).fill(255);
  for (let i = 0; i < size * size; i++) pixels[i * 4 + 3] = Math.round((shield[i]! - check[i]!) * 255);
  return encodePng({ width: size, height: size, channels: 4, pixels });
}
