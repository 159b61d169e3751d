import { outputToString } from '../protocol/builders.js';

export type FunctionHandler = (args: Record<string, unknown>) => unknown;

interface Pending {
  name: string;
  timer: ReturnType<typeof setTimeout>;
}

export interface FunctionCallsOptions {
  /** Sends `function_call_output` then `response.create`. */
  send(callId: string, output: string): void;
  /** Told when a call timed out and was answered with an error output. */
  onTimeout(callId: string, name: string): void;
  timeoutMs: number;
}

/**
 * Function calls in flight. Each call id is accepted once and answered exactly once: by `respond`, by a
 * handler's result, or with an error output when `timeoutMs` passes, so the avatar never waits forever.
 */
export class FunctionCalls {
  #pending = new Map<string, Pending>();
  #seen = new Set<string>();
  #opts: FunctionCallsOptions;

  constructor(opts: FunctionCallsOptions) {
    this.#opts = opts;
  }

  /** Registers a call; false for a call id seen before (servers may repeat the done event). */
  accept(callId: string, name: string): boolean {
    if (this.#seen.has(callId)) return false;
    this.#seen.add(callId);
    const timer = setTimeout(() => {
      if (this.#answer(callId, JSON.stringify({ error: `No answer from the page for ${name} in time.` }))) this.#opts.onTimeout(callId, name);
    }, this.#opts.timeoutMs);
    this.#pending.set(callId, { name, timer });
    return true;
  }

  isPending(callId: string): boolean {
    return this.#pending.has(callId);
  }

  /** Answers a pending call; false when it is unknown or already answered. */
  respond(callId: string, output: unknown): boolean {
    return this.#answer(callId, outputToString(output));
  }

  /** Runs a page handler and answers with its result, or with `{error}` when it throws or rejects. */
  run(callId: string, handler: FunctionHandler, args: Record<string, unknown>): void {
    Promise.resolve()
      .then(() => handler(args))
      .then(
        (result) => this.respond(callId, result),
        (err: unknown) => this.respond(callId, { error: err instanceof Error ? err.message : String(err) }),
      );
  }

  #answer(callId: string, output: string): boolean {
    const p = this.#pending.get(callId);
    if (!p) return false;
    clearTimeout(p.timer);
    this.#pending.delete(callId);
    this.#opts.send(callId, output);
    return true;
  }

  /** Drops every pending call without answering (the socket is gone). */
  clear(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
  }
}
