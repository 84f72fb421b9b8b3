/**
 * Collapses concurrent calls with the same key into one: the second caller awaits the first
 * caller's promise instead of starting its own portal fetch.
 *
 * Cancellation is shared: each caller may pass its own signal. A caller whose signal aborts stops
 * waiting at once (its promise rejects with the signal's reason); the shared work is aborted
 * (the signal `fn` was given) only once every caller has given up. A caller without a signal
 * never gives up, so it keeps the work going for everyone.
 */
export function createSingleFlight<T>() {
  interface Flight {
    promise: Promise<T>;
    controller: AbortController;
    /** Callers still waiting. */
    waiting: number;
  }
  const inFlight = new Map<string, Flight>();

  /** Forgets `flight` unless a newer flight already took its key. */
  function forget(key: string, flight: Flight): void {
    if (inFlight.get(key) === flight) inFlight.delete(key);
  }

  function join(key: string, flight: Flight, signal: AbortSignal | undefined): Promise<T> {
    flight.waiting += 1;
    if (!signal) return flight.promise;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        flight.waiting -= 1;
        if (flight.waiting === 0) {
          // Nobody waits: stop the work, and let the next caller start afresh rather than join it.
          flight.controller.abort(signal.reason);
          forget(key, flight);
        }
        reject(signal.reason);
      };
      if (signal.aborted) return leave();
      signal.addEventListener('abort', leave, { once: true });
      flight.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
    });
  }

  return {
    run(key: string, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
      const existing = inFlight.get(key);
      if (existing) return join(key, existing, signal);
      const controller = new AbortController();
      const flight: Flight = { promise: undefined as unknown as Promise<T>, controller, waiting: 0 };
      flight.promise = fn(controller.signal).finally(() => forget(key, flight));
      inFlight.set(key, flight);
      return join(key, flight, signal);
    },
    get size() {
      return inFlight.size;
    },
  };
}
