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
  CreateConversationRequest,
  DecideRecordsRequestBody,
  EnrolDeviceRequest,
  ListConversationsQuery,
  ListTasksQuery,
  OpenRecordsRequestBody,
  PutOrganisationRequest,
  ReassignTaskRequest,
  RecordTrainingRequest,
  RunRecordsRequestBody,
  SyncRequest,
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

/** The routes that read a query string, and its parameters. */
const queries = {
  listTasks: ListTasksQuery,
  listConversations: ListConversationsQuery,
  supervisorBoard: BoardQuery,
  activityReport: ActivityQuery,
  listTraining: TrainingQuery,
};

/** Every route: no or a bad token (401), a role that may not (403), too many requests (429). */
const COMMON_ERRORS = ['401', '403', '429'];

const schema = (type: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, target: 'openapi-3.0', unrepresentable: 'any' });

/** The OpenAPI 3 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const spec = io[route.name];
    const parameters = [
      ...(route.path.includes('{id}')
        ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
        : []),
      ...(route.name in queries
        ? Object.keys(queries[route.name as keyof typeof queries].shape).map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string' },
          }))
        : []),
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
