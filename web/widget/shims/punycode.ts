/**
 * markdown-it asks Node's `punycode` for international link hosts. The browser's URL parser does the
 * same conversion, so the widget needs no copy of the deprecated Node module.
 */
export function toASCII(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

/** Shown hosts stay as the bot wrote them; the screening never sends links. */
export function toUnicode(host: string): string {
  return host;
}

export default { toASCII, toUnicode };
