/** Storage conflicts are typed, never silent overwrites; the domain layer decides what they mean to a caller. */
export class DuplicateEventError extends Error {
  override readonly name = 'DuplicateEventError';
}

export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
}

export class ItemExistsError extends Error {
  override readonly name = 'ItemExistsError';
}

export class TaskStatusConflictError extends Error {
  override readonly name = 'TaskStatusConflictError';
}

/** Issue 16: a records request was decided or run by someone else between its read and this write. */
export class RecordsRequestConflictError extends Error {
  override readonly name = 'RecordsRequestConflictError';
}

/** Issue 18: a device that is locked, waiting, enrolled by someone else, or changed since it was read. */
export class DeviceConflictError extends Error {
  override readonly name = 'DeviceConflictError';
}
