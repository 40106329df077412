import { deliverDepsFromEnvironment, onceAsync } from '../deps/teams.ts';
import { makeDeliverHandler } from '../teams/deliver.ts';

/** Reads new outbox records from the table stream and sends them to Teams as proactive messages. */
export const handler = makeDeliverHandler(onceAsync(() => deliverDepsFromEnvironment()));
