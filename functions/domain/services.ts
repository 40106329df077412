import type { FlowCatalog } from '#flows/catalog.ts';
import type { Store } from '../storage/store.ts';

/** What the domain functions need from the outside world, passed in so tests can point them anywhere. */
export interface Services {
  store: Store;
  catalog: FlowCatalog;
  clock: () => Date;
  newId: () => string;
}
