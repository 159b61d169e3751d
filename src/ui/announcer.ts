import type { UpdateHost } from './shadow-element.js';

/**
 * One debounced `role="status"` text: a change is announced only once it has held for `delayMs`, so a burst of
 * states (connecting, connected, listening) reads as its last one, and the first value is never announced.
 */
export class Announcer {
  /** What the live region holds now. */
  text = '';
  #pending: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #host: UpdateHost;
  #delayMs: number;

  constructor(host: UpdateHost, delayMs = 600) {
    this.#host = host;
    this.#delayMs = delayMs;
  }

  /** Asks for `text` to be announced; call it on every render, it only acts on a change. */
  say(text: string): void {
    if (this.#pending === undefined) this.#pending = text;
    if (text === this.#pending) return;
    this.#pending = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.text = text;
      this.#host.requestUpdate();
    }, this.#delayMs);
  }
}
