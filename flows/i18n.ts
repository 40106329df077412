import * as z from 'zod/mini';

export const Locale = z.enum(['en', 'es']);
export type Locale = z.infer<typeof Locale>;

/** Every text a youth or screener reads exists in both languages; a missing translation is a load error, not a runtime fallback. */
export const LocalizedText = z.object({
  en: z.string().check(z.minLength(1), z.maxLength(2000)),
  es: z.string().check(z.minLength(1), z.maxLength(2000)),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale];
}

/** Replaces `{name}` placeholders; unknown placeholders stay visible so a wording bug is noticed, not hidden. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
