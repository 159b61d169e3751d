import { outputToString } from '../protocol/builders.js';

export type FunctionHandler = (args: Record<string, unknown>) => unknown;

export interface FunctionCallsOptions {
  /** Sends `function_call_output` then `response.create`. */
  send(callId: string, output: string): void;
  /** Told when a call timed out and was answered with an error output; `message` is that output's error. */
  onTimeout(message: string): void;
  timeoutMs: number;
}

/**
 * Function calls in flight. Each call id is accepted once and answered exactly once: by `respond`, by a
 * handler's result, or with an error output when `timeoutMs` passes, so the avatar never waits forever.
 */
export class FunctionCalls {
  /** Every call id seen (servers may repeat the done event), with its timeout while it waits for its answer. */
  #calls = new Map<string, ReturnType<typeof setTimeout> | undefined>();
  #opts: FunctionCallsOptions;

  constructor(opts: FunctionCallsOptions) {
    this.#opts = opts;
  }

  /** Registers a call; false for a call id seen before (servers may repeat the done event). */
  accept(callId: string, name: string): boolean {
    if (this.#calls.has(callId)) return false;
    const opts = this.#opts;
    const timer = setTimeout(() => {
      const error = `No answer from the page for ${name} (${callId}) in ${opts.timeoutMs} ms.`;
      if (this.respond(callId, { error })) opts.onTimeout(error);
    }, opts.timeoutMs);
    this.#calls.set(callId, timer);
    return true;
  }

  /** Answers a pending call; false when it is unknown or already answered. */
  respond(callId: string, output: unknown): boolean {
    const timer = this.#calls.get(callId);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.#calls.set(callId, undefined);
    this.#opts.send(callId, outputToString(output));
    return true;
  }

  /** Runs the page's handler, if any, for a call still unanswered, and answers with its result, or with `{error}` when
   * it throws or rejects. */
  run(callId: string, handler: FunctionHandler | undefined, args: Record<string, unknown>): void {
    if (!handler || this.#calls.get(callId) === undefined) return;
    Promise.resolve()
      .then(() => handler(args))
      .then(
        (result) => this.respond(callId, result),
        (err: unknown) => this.respond(callId, { error: err instanceof Error ? err.message : String(err) }),
      );
  }

  /** Drops every pending call without answering (the socket is gone). */
  clear(): void {
    for (const [callId, timer] of this.#calls) {
      clearTimeout(timer);
      this.#calls.set(callId, undefined);
    }
  }
}
