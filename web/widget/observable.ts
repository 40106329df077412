/**
 * The small slice of ES Observable that Web Chat's chat-adapter contract uses (`subscribe` with an
 * observer, `unsubscribe`), so the widget needs neither RxJS nor DirectLineJS.
 */
export interface Observer<T> {
  next?: (value: T) => void;
  error?: (error: unknown) => void;
  complete?: () => void;
}

export interface Subscription {
  unsubscribe(): void;
  readonly closed: boolean;
}

export interface Subscribable<T> {
  subscribe(observer?: Observer<T> | ((value: T) => void)): Subscription;
}

type Sink<T> = Required<Observer<T>>;

export class Observable<T> implements Subscribable<T> {
  constructor(private readonly produce: (sink: Sink<T>) => (() => void) | undefined) {}

  subscribe(observer: Observer<T> | ((value: T) => void) = {}): Subscription {
    const target: Observer<T> = typeof observer === 'function' ? { next: observer } : observer;
    let closed = false;
    let teardown: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      teardown?.();
    };
    const sink: Sink<T> = {
      next: (value) => {
        if (!closed) target.next?.(value);
      },
      error: (error) => {
        if (closed) return;
        close();
        target.error?.(error);
      },
      complete: () => {
        if (closed) return;
        close();
        target.complete?.();
      },
    };
    teardown = this.produce(sink);
    // The producer may have finished synchronously, before its teardown existed.
    if (closed) teardown?.();
    return {
      unsubscribe: close,
      get closed() {
        return closed;
      },
    };
  }
}

/** Emits a single value when subscribed, then completes: what `postActivity` returns. */
export function once<T>(produce: () => Promise<T>): Observable<T> {
  return new Observable<T>((sink) => {
    produce().then(
      (value) => {
        sink.next(value);
        sink.complete();
      },
      (error: unknown) => sink.error(error),
    );
    return undefined;
  });
}

/**
 * A multicast channel that replays everything it carried to each new subscriber. Web Chat drops its
 * activity subscription while it reconnects and subscribes again afterwards; replaying means a reply that
 * arrives in between is never lost (Web Chat keeps one copy per activity id).
 */
export class ReplayChannel<T> {
  private history: T[] = [];
  private readonly sinks = new Set<Sink<T>>();
  private ended = false;

  readonly observable = new Observable<T>((sink) => {
    for (const value of this.history) sink.next(value);
    if (this.ended) {
      sink.complete();
      return undefined;
    }
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  });

  next(value: T): void {
    if (this.ended) return;
    this.history.push(value);
    for (const sink of [...this.sinks]) sink.next(value);
  }

  /** Completes every subscriber and drops the history, so nothing said stays in memory. */
  end(): void {
    this.ended = true;
    this.history = [];
    for (const sink of [...this.sinks]) sink.complete();
    this.sinks.clear();
  }
}

/** A channel that hands its current value to each new subscriber (connection status). */
export class StateChannel<T> {
  private readonly sinks = new Set<Sink<T>>();

  constructor(private current: T) {}

  readonly observable = new Observable<T>((sink) => {
    sink.next(this.current);
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  });

  get value(): T {
    return this.current;
  }

  next(value: T): void {
    if (value === this.current) return;
    this.current = value;
    for (const sink of [...this.sinks]) sink.next(value);
  }

  end(): void {
    for (const sink of [...this.sinks]) sink.complete();
    this.sinks.clear();
  }
}
