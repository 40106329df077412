/**
 * The HTTP API as data: CDK builds one function and one route per entry, the dev server routes requests
 * with the same table, and the OpenAPI document lists the same paths.
 */
export interface RouteSpec {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Source file whose `handler` export is the Lambda entry point. */
  entry: string;
  /** Typed text (answers, notes, a task's evidence and reason): `encrypt` seals new (and shows), `decrypt` only shows. */
  fieldKeyAccess?: 'decrypt' | 'encrypt';
  /** Issue 16: the route computes keyed hashes (`kms:GenerateMac` on the MAC key, `MAC_KEY_ID`). */
  usesMac?: boolean;
  summary: string;
}

export const routes = [
  {
    name: 'createConversation',
    method: 'POST',
    path: '/conversations',
    entry: 'functions/api/create-conversation.ts',
    usesMac: true,
    summary: 'Start a conversation (flow, locale, subject reference); returns the first prompt.',
  },
  {
    name: 'postTurn',
    method: 'POST',
    path: '/conversations/{id}/turns',
    entry: 'functions/api/post-turn.ts',
    fieldKeyAccess: 'encrypt',
    usesMac: true,
    summary:
      'Answer the current prompt, or go back, pause or resume. Retries with the same eventId change nothing.',
  },
  {
    name: 'syncTurns',
    method: 'POST',
    path: '/conversations/{id}/sync',
    entry: 'functions/api/sync-turns.ts',
    fieldKeyAccess: 'encrypt',
    usesMac: true,
    summary:
      "Issue 8: replay a tablet's offline queue in order; a state mismatch is refused (409), a repeated sync changes nothing.",
  },
  {
    name: 'listConversations',
    method: 'GET',
    path: '/conversations',
    entry: 'functions/api/list-conversations.ts',
    summary:
      "Issue 17: the caller's unfinished conversations (`status=unfinished`, optionally one case reference or flow), newest first, with where each stands, whichever channel started it.",
  },
  {
    name: 'getConversation',
    method: 'GET',
    path: '/conversations/{id}',
    entry: 'functions/api/get-conversation.ts',
    fieldKeyAccess: 'decrypt',
    summary: 'The state of a conversation: prompt or outcome, tasks, and the answered events.',
  },
  {
    name: 'listTasks',
    method: 'GET',
    path: '/tasks',
    entry: 'functions/api/list-tasks.ts',
    fieldKeyAccess: 'decrypt',
    summary:
      "The organisation's reporting tasks the caller may see, by status and due time; `scope=mine` for the caller's own and their unit queue's (the inbox).",
  },
  {
    name: 'completeTask',
    method: 'POST',
    path: '/tasks/{id}/complete',
    entry: 'functions/api/complete-task.ts',
    usesMac: true,
    fieldKeyAccess: 'encrypt',
    summary: 'Mark a task done, with evidence: agency, reference number and time of the report.',
  },
  {
    name: 'cancelTask',
    method: 'POST',
    path: '/tasks/{id}/cancel',
    entry: 'functions/api/cancel-task.ts',
    usesMac: true,
    fieldKeyAccess: 'encrypt',
    summary: 'Cancel a task that is not owed, with the reason.',
  },
  {
    name: 'claimTask',
    method: 'POST',
    path: '/tasks/{id}/claim',
    entry: 'functions/api/claim-task.ts',
    usesMac: true,
    summary: "R-ROUTE-1: take a task from your unit's queue; its reminders then come to you.",
  },
  {
    name: 'reassignTask',
    method: 'POST',
    path: '/tasks/{id}/reassign',
    entry: 'functions/api/reassign-task.ts',
    usesMac: true,
    summary:
      "Issue 17: a supervisor gives an open task of their unit to a worker or to the unit's queue; the new owner is told.",
  },
  {
    name: 'supervisorBoard',
    method: 'GET',
    path: '/supervisor/tasks',
    entry: 'functions/api/supervisor-board.ts',
    fieldKeyAccess: 'decrypt',
    summary:
      "The unit's tasks, overdue first, by owner and requirement, with on-time rates (reports made; deadlines of the last 30 and 90 days, week by week); `format=csv` for a spreadsheet.",
  },
  {
    name: 'listNotifications',
    method: 'GET',
    path: '/notifications',
    entry: 'functions/api/list-notifications.ts',
    summary: 'Reminders for the caller and escalations for supervisors, newest first (the outbox).',
  },
  {
    name: 'activityReport',
    method: 'GET',
    path: '/reports/activity',
    entry: 'functions/api/activity-report.ts',
    summary: 'R-FUND-1: activity counts by month and category, as JSON or CSV (`format=csv`).',
  },
  // Issue 16, findings 4 and 7: records requests. A subject reference never appears in a path (access logs
  // keep paths): it travels in bodies, and a request is then named by its random id. Two administrators.
  {
    name: 'openRecordsRequest',
    method: 'POST',
    path: '/records/requests',
    entry: 'functions/api/open-records-request.ts',
    usesMac: true,
    summary:
      'Administrators: open a records request (subject reference, export or erase, a lawful basis from a fixed list); a second administrator must approve it.',
  },
  {
    name: 'listRecordsRequests',
    method: 'GET',
    path: '/records/requests',
    entry: 'functions/api/list-records-requests.ts',
    summary:
      "Administrators: the organisation's records requests and erasures (who asked, who approved, when, on what basis, what was removed), without references.",
  },
  {
    name: 'decideRecordsRequest',
    method: 'POST',
    path: '/records/requests/{id}/decision',
    entry: 'functions/api/decide-records-request.ts',
    usesMac: true,
    summary:
      'A second administrator approves (typing the subject reference again) or refuses a records request, within 24 hours.',
  },
  {
    name: 'exportRecords',
    method: 'POST',
    path: '/records/requests/{id}/export',
    entry: 'functions/api/export-records.ts',
    fieldKeyAccess: 'decrypt',
    usesMac: true,
    summary:
      'The requesting administrator runs an approved export, once: everything held about the subject, sensitive answers in plaintext.',
  },
  {
    name: 'eraseRecords',
    method: 'POST',
    path: '/records/requests/{id}/erase',
    entry: 'functions/api/erase-records.ts',
    usesMac: true,
    summary:
      'The requesting administrator runs an approved lawful erasure, once; the request and its erasure record stay.',
  },
  {
    name: 'getOrganisation',
    method: 'GET',
    path: '/organisation',
    entry: 'functions/api/get-organisation.ts',
    summary: "R-ROUTE-1: the caller's organisation: county or partner, where concerns go, routing, training.",
  },
  {
    name: 'putOrganisation',
    method: 'POST',
    path: '/organisation',
    entry: 'functions/api/put-organisation.ts',
    summary:
      'Administrators: set the organisation (kind, hand-off county, routing of each assignee role, required training), version-checked.',
  },
  {
    name: 'listHandoffs',
    method: 'GET',
    path: '/handoffs',
    entry: 'functions/api/list-handoffs.ts',
    summary: "R-HANDOFF-1: the county intake's received hand-offs from partner organisations, newest first.",
  },
  {
    name: 'getHandoff',
    method: 'GET',
    path: '/handoffs/{id}',
    entry: 'functions/api/get-handoff.ts',
    fieldKeyAccess: 'decrypt',
    summary:
      'R-HANDOFF-1: a hand-off: for the county intake, what the partner sent and the tasks it opened; for the partner, its status only.',
  },
  {
    name: 'acknowledgeHandoff',
    method: 'POST',
    path: '/handoffs/{id}/acknowledge',
    entry: 'functions/api/acknowledge-handoff.ts',
    summary: 'R-HANDOFF-1: the county intake acknowledges a hand-off; the partner sees that it was.',
  },
  {
    name: 'recordTraining',
    method: 'POST',
    path: '/training',
    entry: 'functions/api/record-training.ts',
    summary:
      "R-TRAIN-1: record a completed training (type, date): your own, or an administrator for anyone's.",
  },
  {
    name: 'listTraining',
    method: 'GET',
    path: '/training',
    entry: 'functions/api/list-training.ts',
    summary: 'R-TRAIN-1: recorded trainings and where each required one stands (current, lapsed, missing).',
  },
  // Issue 18: the tablet's key is bound to a half the server holds behind an attempt counter.
  {
    name: 'enrolDevice',
    method: 'POST',
    path: '/devices',
    entry: 'functions/api/device-enrol.ts',
    fieldKeyAccess: 'encrypt',
    summary:
      "Issue 18: set up a tablet's PIN: its random id and the PIN's verifier (never the PIN); returns the server's half of the key.",
  },
  {
    name: 'unlockDevice',
    method: 'POST',
    path: '/devices/{id}/unlock',
    entry: 'functions/api/device-unlock.ts',
    fieldKeyAccess: 'decrypt',
    summary:
      "Issue 18: the owner's tablet proves its PIN (the verifier) for the server's half; every attempt is counted, the tenth wrong one locks the tablet.",
  },
] as const satisfies readonly RouteSpec[];

export type RouteName = (typeof routes)[number]['name'];
