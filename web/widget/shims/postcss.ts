/**
 * sanitize-html uses PostCSS only to filter inline `style` attributes in markdown, and drops a style it
 * cannot parse. Failing to parse every style keeps that safe default and leaves PostCSS out of the bundle.
 */
export function parse(): never {
  throw new Error('Inline styles are not allowed in this widget.');
}

export default { parse };
