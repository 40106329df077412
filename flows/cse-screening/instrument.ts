import * as z from 'zod/mini';
import { LocalizedText } from '../i18n.ts';

export const ConcernLevel = z.enum(['none', 'possible', 'clear']);
export type ConcernLevel = z.infer<typeof ConcernLevel>;

/** Step ids the flow itself uses after the indicators; an instrument item may not take them. */
export const RESERVED_STEP_IDS = [
  'determination',
  'override_reason',
  'cws',
  'open_602',
  'services',
  'received_at',
  'paused',
  'completed',
] as const;

const Slug = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(48),
    z.regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and underscores only'),
  );

export const InstrumentItem = z.strictObject({
  id: Slug.check(
    z.refine((id) => !(RESERVED_STEP_IDS as readonly string[]).includes(id), 'reserved step id'),
  ),
  /** Asked of the screener, who answers from what they know; never read to the youth as an interview. */
  text: LocalizedText,
  help: z.optional(LocalizedText),
  citation: z.string().check(z.minLength(1), z.maxLength(200)),
  requirementId: z.optional(z.string().check(z.regex(/^R-[A-Z]+-?\d*$/))),
  /** The level of concern that a "present" answer proposes. */
  raises: z.enum(['possible', 'clear']),
  /** Shown among the reasons for the proposal when this indicator is present. */
  reason: LocalizedText,
  /**
   * R-OVERRIDE-1: "present" means sex was exchanged for something of value, which makes a minor a CSE victim by
   * law (Penal Code §§ 236.1(c), 11165.1): the report stays owed and an override needs a supervisor's co-sign.
   * Flagged in the data so a county instrument without such an item changes nothing.
   */
  exchangeIndicator: z.optional(z.boolean()),
});
export type InstrumentItem = z.infer<typeof InstrumentItem>;

/**
 * A screening instrument is versioned data, so a county can load its own (for example a licensed one)
 * without code. A conversation keeps the instrument id and version it started with.
 */
export const Instrument = z
  .strictObject({
    id: z
      .string()
      .check(z.regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and hyphens only'), z.maxLength(64)),
    version: z.string().check(z.regex(/^\d+\.\d+\.\d+$/, 'semantic version, e.g. 1.0.0')),
    title: LocalizedText,
    /** Says plainly what kind of instrument this is (a checklist from public law is not a validated screen). */
    notice: LocalizedText,
    items: z.array(InstrumentItem).check(z.minLength(1), z.maxLength(60)),
  })
  .check(
    z.refine(
      (instrument) => new Set(instrument.items.map((item) => item.id)).size === instrument.items.length,
      {
        message: 'item ids must be unique',
        path: ['items'],
      },
    ),
  );
export type Instrument = z.infer<typeof Instrument>;
