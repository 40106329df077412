import * as z from 'zod/mini';

/** `multichoice` takes several of the offered choices at once (for example the factors of an absence). */
export const PromptKind = z.enum(['choice', 'multichoice', 'text', 'datetime']);
export type PromptKind = z.infer<typeof PromptKind>;

export const Choice = z.object({ id: z.string(), label: z.string() });

/** What a channel renders: the same object becomes a web form, an Adaptive Card or a tablet screen. */
export const Prompt = z.object({
  id: z.string(),
  kind: PromptKind,
  section: z.string(),
  text: z.string(),
  help: z.optional(z.string()),
  choices: z.optional(z.array(Choice)),
  /** `true` where the prompt may be answered "unknown" or skipped ("prefer not to say"). */
  skippable: z.boolean(),
  allowsUnknown: z.boolean(),
  allowsNote: z.boolean(),
  /** The answer identifies a child: it is encrypted field by field before it is stored. */
  sensitive: z.optional(z.boolean()),
  canGoBack: z.boolean(),
  progress: z.object({ n: z.int(), of: z.int() }),
  /**
   * Who answers (issue 20): the youth, in their own words, or a professional filling in a checklist about
   * them. Channels word and lay out the prompt for that person; `actions.skip` already says it their way.
   */
  audience: z.optional(z.enum(['youth', 'professional'])),
  /** Labels for the navigation every prompt offers, in the conversation's language. */
  actions: z.object({ unknown: z.string(), skip: z.string(), back: z.string(), pause: z.string() }),
});
export type Prompt = z.infer<typeof Prompt>;

/** Shown instead of a prompt while a conversation is paused. */
export const PausedPrompt = z.object({ text: z.string(), resume: z.string() });
export type PausedPrompt = z.infer<typeof PausedPrompt>;
