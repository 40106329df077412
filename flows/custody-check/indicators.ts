import { defaultInstrument } from '../cse-screening/default-instrument.ts';

/**
 * R-IND-1: the seven trafficking indicators of Penal Code § 236.2, taken from the default screening
 * instrument so the statute's wording lives in one place.
 */
export const traffickingIndicators = defaultInstrument.items.filter(
  (item) => item.requirementId === 'R-IND-1',
);

/** Offered beside the indicators so "considered, and none seen" is not confused with a skipped question. */
export const NONE_OBSERVED = 'none_observed';
