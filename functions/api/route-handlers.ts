import type { RouteHandler } from '../http/handler.ts';
import { acknowledgeHandoffRoute } from './acknowledge-handoff.ts';
import { activityReportRoute } from './activity-report.ts';
import { cancelTaskRoute } from './cancel-task.ts';
import { claimTaskRoute } from './claim-task.ts';
import { completeTaskRoute } from './complete-task.ts';
import { createConversationRoute } from './create-conversation.ts';
import { decideRecordsRequestRoute } from './decide-records-request.ts';
import { enrolDeviceRoute } from './device-enrol.ts';
import { unlockDeviceRoute } from './device-unlock.ts';
import { eraseRecordsRoute } from './erase-records.ts';
import { exportRecordsRoute } from './export-records.ts';
import { getConversationRoute } from './get-conversation.ts';
import { getHandoffRoute } from './get-handoff.ts';
import { getOrganisationRoute } from './get-organisation.ts';
import { listConversationsRoute } from './list-conversations.ts';
import { listHandoffsRoute } from './list-handoffs.ts';
import { listNotificationsRoute } from './list-notifications.ts';
import { listRecordsRequestsRoute } from './list-records-requests.ts';
import { listTasksRoute } from './list-tasks.ts';
import { listTrainingRoute } from './list-training.ts';
import { openRecordsRequestRoute } from './open-records-request.ts';
import { postTurnRoute } from './post-turn.ts';
import { putOrganisationRoute } from './put-organisation.ts';
import { reassignTaskRoute } from './reassign-task.ts';
import { recordTrainingRoute } from './record-training.ts';
import type { RouteName } from './routes.ts';
import { supervisorBoardRoute } from './supervisor-board.ts';
import { syncTurnsRoute } from './sync-turns.ts';

/** Route name to handler, for hosts that serve every route in one process (the dev server, tests). */
export const routeHandlers: Record<RouteName, RouteHandler> = {
  createConversation: createConversationRoute,
  postTurn: postTurnRoute,
  syncTurns: syncTurnsRoute,
  listConversations: listConversationsRoute,
  getConversation: getConversationRoute,
  listTasks: listTasksRoute,
  completeTask: completeTaskRoute,
  cancelTask: cancelTaskRoute,
  supervisorBoard: supervisorBoardRoute,
  listNotifications: listNotificationsRoute,
  activityReport: activityReportRoute,
  openRecordsRequest: openRecordsRequestRoute,
  listRecordsRequests: listRecordsRequestsRoute,
  decideRecordsRequest: decideRecordsRequestRoute,
  exportRecords: exportRecordsRoute,
  eraseRecords: eraseRecordsRoute,
  claimTask: claimTaskRoute,
  reassignTask: reassignTaskRoute,
  getOrganisation: getOrganisationRoute,
  putOrganisation: putOrganisationRoute,
  listHandoffs: listHandoffsRoute,
  getHandoff: getHandoffRoute,
  acknowledgeHandoff: acknowledgeHandoffRoute,
  recordTraining: recordTrainingRoute,
  listTraining: listTrainingRoute,
  enrolDevice: enrolDeviceRoute,
  unlockDevice: unlockDeviceRoute,
};
