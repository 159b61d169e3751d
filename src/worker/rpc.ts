/**
 * Calls into the media worker, for an API of plain methods (no callbacks, proxies or property access). A call is
 * one message `[id, method, args]`; MessagePort arguments are transferred (a port cannot be copied), nothing else
 * is. The worker answers `[id, true, result]` or `[id, false, error]` (thrown errors are structured-cloned, so the
 * call rejects with an Error of the same message).
 */

/** The methods of `T` as seen through {@link wrap}: each one an async call resolving to its (awaited) result. */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

type Call = [id: number, method: string, args: unknown[]];
type Answer = [id: number, ok: boolean, value: unknown];

/** Where calls arrive and answers leave: the worker's global scope, or a MessagePort when the API runs on the
 * main thread (no worker could start). */
export interface CallEndpoint {
  onmessage: ((e: MessageEvent<Call>) => unknown) | null;
  postMessage(answer: Answer): void;
}

/** The serving side: answers calls arriving on `endpoint` with `api`'s methods. */
export function expose(api: Record<string, (...args: never[]) => unknown>, endpoint: CallEndpoint): void {
  endpoint.onmessage = async ({ data: [id, method, args] }) => {
    try {
      endpoint.postMessage([id, true, await (api[method] as (...args: unknown[]) => unknown)(...args)]);
    } catch (err) {
      // The method threw, or its result cannot be cloned: the call rejects with that error.
      endpoint.postMessage([id, false, err]);
    }
  };
}

/** The calling side: every method of `T` as an async call into `target` (the worker, or the MessagePort whose other
 * end {@link expose} serves). */
export function wrap<T>(target: Worker | MessagePort): Remote<T> {
  const pending = new Map<number, (ok: boolean, value: unknown) => void>();
  let lastId = 0;
  target.onmessage = (e: MessageEvent<Answer>) => {
    const [id, ok, value] = e.data;
    pending.get(id)?.(ok, value);
    pending.delete(id);
  };
  const call =
    (method: string) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const id = ++lastId;
        pending.set(id, (ok, value) => (ok ? resolve : reject)(value));
        target.postMessage([id, method, args] satisfies Call, args.filter((a) => a instanceof MessagePort));
      });
  // `then` stays undefined: the proxy is not a promise, so it can be resolved with and returned from async code.
  // Every other name is a method (nothing looks up symbols on it: it is never printed, iterated or converted).
  return new Proxy({}, { get: (_, method: string) => (method !== 'then' ? call(method) : undefined) }) as Remote<T>;
}
