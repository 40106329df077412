import type { RouteHandler } from '../http/handler.ts';
import { activityReportRoute } from './activity-report.ts';
import { cancelTaskRoute } from './cancel-task.ts';
import { completeTaskRoute } from './complete-task.ts';
import { createConversationRoute } from './create-conversation.ts';
import { eraseRecordsRoute } from './erase-records.ts';
import { exportRecordsRoute } from './export-records.ts';
import { getConversationRoute } from './get-conversation.ts';
import { listNotificationsRoute } from './list-notifications.ts';
import { listTasksRoute } from './list-tasks.ts';
import { postTurnRoute } from './post-turn.ts';
import type { RouteName } from './routes.ts';
import { supervisorBoardRoute } from './supervisor-board.ts';
import { syncTurnsRoute } from './sync-turns.ts';

/** Route name to handler, for hosts that serve every route in one process (the dev server, tests). */
export const routeHandlers: Record<RouteName, RouteHandler> = {
  createConversation: createConversationRoute,
  postTurn: postTurnRoute,
  syncTurns: syncTurnsRoute,
  getConversation: getConversationRoute,
  listTasks: listTasksRoute,
  completeTask: completeTaskRoute,
  cancelTask: cancelTaskRoute,
  supervisorBoard: supervisorBoardRoute,
  listNotifications: listNotificationsRoute,
  activityReport: activityReportRoute,
  exportRecords: exportRecordsRoute,
  eraseRecords: eraseRecordsRoute,
};
