/**
 * DynamoDB's item size: attribute name bytes plus value bytes, by the rules AWS documents
 * (strings UTF-8, numbers about one byte per two digits plus one, maps and lists 3 bytes plus 1 per element).
 */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce(
    (size, [name, value]) => size + Buffer.byteLength(name) + valueSize(value),
    0,
  );
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (Array.isArray(value))
    return 3 + value.reduce((size: number, element) => size + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (size, [name, element]) => size + 1 + Buffer.byteLength(name) + valueSize(element),
        0,
      )
    );
  }
  return 0;
}
