import * as z from 'zod/mini';
import {
  ActivityReport,
  BoardTaskView,
  ConversationDetail,
  ConversationResponse,
  DeviceGrant,
  ErasureResponse,
  ErrorBody,
  HandoffList,
  HandoffView,
  NotificationList,
  OrganisationView,
  RecordsExport,
  RecordsRequestList,
  RecordsRequestResponse,
  SupervisorBoard,
  SyncResponse,
  TaskList,
  TaskView,
  TrainingRecorded,
  TrainingView,
  UnfinishedConversationList,
} from './responses.ts';
import { routes } from './routes.ts';
import {
  ActivityQuery,
  BoardQuery,
  CancelTaskRequest,
  CompleteTaskRequest,
  ConversationId,
  CreateConversationRequest,
  DecideRecordsRequestBody,
  DeviceId,
  EnrolDeviceRequest,
  ListConversationsQuery,
  ListTasksQuery,
  OpenRecordsRequestBody,
  PutOrganisationRequest,
  ReassignTaskRequest,
  RecordsRequestId,
  RecordTrainingRequest,
  RunRecordsRequestBody,
  SyncRequest,
  TaskId,
  TrainingQuery,
  TurnRequest,
  UnlockDeviceRequest,
} from './schemas.ts';

type RouteName = (typeof routes)[number]['name'];

const io: Record<
  RouteName,
  { request?: z.ZodMiniType; response: z.ZodMiniType; status: string; errors: string[] }
> = {
  createConversation: {
    request: CreateConversationRequest,
    response: ConversationResponse,
    status: '201',
    errors: ['400', '401', '413', '415', '422'],
  },
  postTurn: {
    request: TurnRequest,
    response: ConversationResponse,
    status: '200',
    errors: ['400', '401', '404', '409', '413', '415', '422'],
  },
  syncTurns: {
    request: SyncRequest,
    response: SyncResponse,
    status: '200',
    errors: ['400', '401', '404', '409', '413', '415', '422'],
  },
  getConversation: { response: ConversationDetail, status: '200', errors: ['401', '404'] },
  listConversations: { response: UnfinishedConversationList, status: '200', errors: ['400', '401'] },
  reassignTask: {
    request: ReassignTaskRequest,
    response: BoardTaskView,
    status: '200',
    errors: ['400', '401', '404', '409', '413', '415'],
  },
  listTasks: { response: TaskList, status: '200', errors: ['400', '401'] },
  completeTask: {
    request: CompleteTaskRequest,
    response: TaskView,
    status: '200',
    errors: ['400', '401', '404', '409', '413', '415', '422'],
  },
  supervisorBoard: { response: SupervisorBoard, status: '200', errors: ['400', '401'] },
  listNotifications: { response: NotificationList, status: '200', errors: ['401'] },
  activityReport: { response: ActivityReport, status: '200', errors: ['400', '401'] },
  cancelTask: {
    request: CancelTaskRequest,
    response: TaskView,
    status: '200',
    errors: ['400', '401', '404', '409', '413', '415'],
  },
  openRecordsRequest: {
    request: OpenRecordsRequestBody,
    response: RecordsRequestResponse,
    status: '201',
    errors: ['400', '404', '409', '413', '415', '422'],
  },
  listRecordsRequests: { response: RecordsRequestList, status: '200', errors: [] },
  decideRecordsRequest: {
    request: DecideRecordsRequestBody,
    response: RecordsRequestResponse,
    status: '200',
    errors: ['400', '404', '409', '413', '415', '422'],
  },
  exportRecords: {
    request: RunRecordsRequestBody,
    response: RecordsExport,
    status: '200',
    errors: ['400', '404', '409', '413', '415', '422'],
  },
  eraseRecords: {
    request: RunRecordsRequestBody,
    response: ErasureResponse,
    status: '200',
    errors: ['400', '404', '409', '413', '415', '422'],
  },
  claimTask: { response: TaskView, status: '200', errors: ['404', '409'] },
  getOrganisation: { response: OrganisationView, status: '200', errors: [] },
  putOrganisation: {
    request: PutOrganisationRequest,
    response: OrganisationView,
    status: '200',
    errors: ['400', '409', '413', '415', '422'],
  },
  listHandoffs: { response: HandoffList, status: '200', errors: [] },
  getHandoff: { response: HandoffView, status: '200', errors: ['404'] },
  acknowledgeHandoff: { response: HandoffView, status: '200', errors: ['404', '409'] },
  recordTraining: {
    request: RecordTrainingRequest,
    response: TrainingRecorded,
    status: '201',
    errors: ['400', '413', '415', '422'],
  },
  listTraining: { response: TrainingView, status: '200', errors: ['400'] },
  enrolDevice: {
    request: EnrolDeviceRequest,
    response: DeviceGrant,
    status: '201',
    errors: ['400', '409', '413', '415'],
  },
  unlockDevice: {
    request: UnlockDeviceRequest,
    response: DeviceGrant,
    status: '200',
    errors: ['400', '404', '409', '413', '415', '422'],
  },
};

/** The routes that read a query string, and its parameters: the objects their handlers parse the query with. */
const queries = {
  listTasks: ListTasksQuery,
  listConversations: ListConversationsQuery,
  supervisorBoard: BoardQuery,
  activityReport: ActivityQuery,
  listTraining: TrainingQuery,
};

/**
 * Issue 19: what each query parameter means, with an example. Type, format, pattern, enum and bounds come
 * from the zod schema; `schema` adds what zod cannot say (a refinement to whole numbers, the server's
 * default when the parameter is absent). Typed so that a parameter added to a query schema must be described.
 */
const queryNotes: {
  [R in keyof typeof queries]: Record<
    keyof (typeof queries)[R]['shape'],
    { description: string; example?: string | number; schema?: Record<string, unknown> }
  >;
} = {
  listTasks: {
    status: { description: 'Only tasks in this status; all of them when absent.', example: 'open' },
    scope: {
      description:
        "`mine`: the caller's own tasks and their unit queue's (their inbox), whatever their role. Absent: every task the caller may see.",
      example: 'mine',
    },
    limit: {
      description: 'Tasks per page.',
      example: 20,
      schema: { type: 'integer', default: 50 },
    },
    // No example: only a cursor the API issued is one (and "Try it out" would send the example).
    cursor: {
      description: "Opaque: the previous page's `cursor`, for the next page (absent for the first).",
    },
  },
  listConversations: {
    status: { description: 'Only unfinished conversations are listed.', example: 'unfinished' },
    subjectRef: { description: 'Only conversations about this case reference.', example: 'CASE-77' },
    flow: { description: "Only conversations of this flow (the flow's id).", example: 'cse-screening' },
  },
  supervisorBoard: {
    format: {
      description: '`csv` for a spreadsheet of the tasks instead of the JSON board.',
      example: 'csv',
      schema: { default: 'json' },
    },
  },
  activityReport: {
    from: {
      description:
        'Start of the period, inclusive: an RFC 3339 date-time with its offset (`Z` or `±hh:mm`). Must be before `to`.',
      example: '2026-01-01T00:00:00-08:00',
    },
    to: {
      description:
        'End of the period, exclusive: an RFC 3339 date-time with its offset; at most 400 days after `from`.',
      example: '2026-04-01T00:00:00-07:00',
    },
    format: {
      description: '`csv` for a spreadsheet (`period,category,count`) instead of JSON rows.',
      example: 'csv',
      schema: { default: 'json' },
    },
  },
  listTraining: {
    userId: {
      description: "Whose training: another worker's needs the administrator role. Absent: the caller's own.",
      example: 'demo-caseworker',
    },
  },
};

/** The routes with an `{id}` in their path. */
type IdRoute = Extract<(typeof routes)[number], { path: `${string}{id}${string}` }>['name'];

/** Issue 19: what each path's `{id}` is, and the schema its handler checks it with (`idParameter`). */
const pathIds: Record<IdRoute, { schema: z.ZodMiniType; description: string; example: string }> = (() => {
  const conversation = {
    schema: ConversationId,
    description: "The conversation's id.",
    example: '0b5a2c1e-7d4f-4c3a-9e8b-2f6d1a0c9b7e',
  };
  const task = {
    schema: TaskId,
    description: "The task's id: its conversation's id, a dot, and the duty it is for.",
    example: '0b5a2c1e-7d4f-4c3a-9e8b-2f6d1a0c9b7e.report-law-enforcement',
  };
  const recordsRequest = {
    schema: RecordsRequestId,
    description: "The records request's id.",
    example: '6f1d3b2a-58c4-4e7f-a1b9-0c2d4e6f8a1b',
  };
  const handoff = {
    schema: ConversationId,
    description: "The hand-off's id: the id of the conversation that made it.",
    example: '0b5a2c1e-7d4f-4c3a-9e8b-2f6d1a0c9b7e',
  };
  return {
    postTurn: conversation,
    syncTurns: conversation,
    getConversation: conversation,
    completeTask: task,
    cancelTask: task,
    claimTask: task,
    reassignTask: task,
    decideRecordsRequest: recordsRequest,
    exportRecords: recordsRequest,
    eraseRecords: recordsRequest,
    getHandoff: handoff,
    acknowledgeHandoff: handoff,
    unlockDevice: {
      schema: DeviceId,
      description: "The tablet's id, the random one it enrolled with.",
      example: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    },
  };
})();

/** Every route: no or a bad token (401), a role that may not (403), too many requests (429). */
const COMMON_ERRORS = ['401', '403', '429'];

const schema = (type: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, target: 'openapi-3.0', unrepresentable: 'any' });

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

/**
 * A parameter's schema as zod writes it, less zod's long regular expression for a date-time: `format:
 * date-time` (RFC 3339, offset required) says the same, and the reference page shows it readably.
 */
function parameterSchema(generated: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const { pattern, ...rest } = generated;
  return { ...(rest.format === 'date-time' ? rest : generated), ...extra };
}

function queryParameters(name: keyof typeof queries) {
  const object = schema(queries[name], 'input') as JsonSchema;
  const required = new Set((object.required as string[] | undefined) ?? []);
  const notes: Record<
    string,
    { description: string; example?: string | number; schema?: Record<string, unknown> }
  > = queryNotes[name];
  return Object.entries(object.properties ?? {}).map(([parameter, generated]) => {
    const note = notes[parameter]!;
    return {
      name: parameter,
      in: 'query',
      required: required.has(parameter),
      description: note.description,
      schema: parameterSchema(generated, note.schema),
      ...(note.example === undefined ? {} : { example: note.example }),
    };
  });
}

/** The OpenAPI 3 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const spec = io[route.name];
    const id = Object.hasOwn(pathIds, route.name) ? pathIds[route.name as IdRoute] : undefined;
    const parameters = [
      ...(id
        ? [
            {
              name: 'id',
              in: 'path',
              required: true,
              description: id.description,
              schema: parameterSchema(schema(id.schema, 'input')),
              example: id.example,
            },
          ]
        : []),
      ...(Object.hasOwn(queries, route.name) ? queryParameters(route.name as keyof typeof queries) : []),
    ];
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.name,
      summary: route.summary,
      security: [{ bearer: [] }],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.request
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(spec.request, 'input') } },
            },
          }
        : {}),
      responses: {
        [spec.status]: {
          description: 'Success',
          content: { 'application/json': { schema: schema(spec.response, 'output') } },
        },
        ...Object.fromEntries(
          [...new Set([...spec.errors, ...COMMON_ERRORS])].sort().map((status) => [
            status,
            {
              description: 'Error (see error.code)',
              content: { 'application/json': { schema: schema(ErrorBody, 'output') } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'CSE screening assistant API',
      version: '0.1.0',
      description:
        'Conversations (screenings) advance one event per turn; outcomes open the reporting tasks California law requires.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
