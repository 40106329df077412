import type { FlowCatalog } from '#flows/catalog.ts';
import type { Store } from '../storage/store.ts';

/** What the task routes need from the outside world, passed in so tests can point them anywhere. */
export interface TaskServices {
  store: Store;
  clock: () => Date;
}

/** Conversations also need the flows (and with them XState), which task routes never load. */
export interface Services extends TaskServices {
  catalog: FlowCatalog;
  newId: () => string;
}
