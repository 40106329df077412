import { messagesDepsFromEnvironment, onceAsync } from '../deps/teams.ts';
import { makeMessagesHandler } from './messages-handler.ts';

/** `POST /api/messages`: the Teams bot. */
export const handler = makeMessagesHandler(onceAsync(() => messagesDepsFromEnvironment()));
