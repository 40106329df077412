import { z } from 'zod';
import { LocalizedText } from '../i18n.ts';

export const ConcernLevel = z.enum(['none', 'possible', 'clear']);
export type ConcernLevel = z.infer<typeof ConcernLevel>;

/** Step ids the flow itself uses after the indicators; an instrument item may not take them. */
export const RESERVED_STEP_IDS = [
  'determination',
  'override_reason',
  'cws',
  'received_at',
  'paused',
  'completed',
] as const;

const Slug = z
  .string()
  .min(1)
  .max(48)
  .regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and underscores only');

export const InstrumentItem = z.strictObject({
  id: Slug.refine((id) => !(RESERVED_STEP_IDS as readonly string[]).includes(id), 'reserved step id'),
  /** Asked of the screener, who answers from what they know; never read to the youth as an interview. */
  text: LocalizedText,
  help: LocalizedText.optional(),
  citation: z.string().min(1).max(200),
  requirementId: z
    .string()
    .regex(/^R-[A-Z]+-?\d*$/)
    .optional(),
  /** The level of concern that a "present" answer proposes. */
  raises: ConcernLevel.exclude(['none']),
  /** Shown among the reasons for the proposal when this indicator is present. */
  reason: LocalizedText,
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
      .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and hyphens only')
      .max(64),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'semantic version, e.g. 1.0.0'),
    title: LocalizedText,
    /** Says plainly what kind of instrument this is (a checklist from public law is not a validated screen). */
    notice: LocalizedText,
    items: z.array(InstrumentItem).min(1).max(60),
  })
  .refine((instrument) => new Set(instrument.items.map((item) => item.id)).size === instrument.items.length, {
    message: 'item ids must be unique',
    path: ['items'],
  });
export type Instrument = z.infer<typeof Instrument>;
