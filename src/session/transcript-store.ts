import type { TranscriptDetail } from './session-events.js';

/** An item as the last event told it, without that event's `delta`. */
type Item = Omit<TranscriptDetail, 'delta'>;

/**
 * Assembles streamed transcripts into items. Every item gets an id of its own (`assistant-<n>`, `user-<n>`), unique
 * in the whole call; the server's reply ids, unique per connection only, just find the item a delta or `done`
 * belongs to. Deltas without an id belong to the open assistant item; a `done` finalises it (with the server's full
 * text when given); repeated `done`s are ignored.
 */
export class TranscriptStore {
  /** This connection's assistant items by the server's reply id. */
  #replies = new Map<string, Item>();
  /** The assistant item deltas without an id go to, until it is finished or cut. */
  #open: Item | undefined;
  #n = 0;

  /** The item of reply `id` (else the open one), created empty when there is none. */
  #assistant(id: string | undefined): Item {
    let item = id === undefined ? this.#open : this.#replies.get(id);
    if (!item) {
      item = { id: `assistant-${++this.#n}`, role: 'assistant', text: '', final: false };
      if (id !== undefined) this.#replies.set(id, item);
    }
    return item;
  }

  /** A new connection of the same call begins: its server numbers its replies afresh. */
  newConnection(): void {
    this.#replies.clear();
    this.#open = undefined;
  }

  assistantDelta(id: string | undefined, delta: string): TranscriptDetail | undefined {
    const item = this.#assistant(id);
    if (item.final) return undefined;
    this.#open = item;
    item.text += delta;
    return { ...item, delta };
  }

  /** Finalises the item `id` (else the open one) with the server's `text` (else the text it has). Without arguments
   * it ends the open item as it stands (interrupt()); undefined when there is nothing to finish. */
  assistantDone(id?: string, text?: string): TranscriptDetail | undefined {
    if (id === undefined && !this.#open && text === undefined) return undefined;
    const item = this.#assistant(id);
    if (item.final) return undefined;
    const full = text ?? item.text;
    const delta = full.startsWith(item.text) ? full.slice(item.text.length) : full;
    item.text = full;
    item.final = true;
    if (this.#open === item) this.#open = undefined;
    return { ...item, delta };
  }

  /** A finished user utterance (spoken and transcribed, or typed). */
  user(text: string): TranscriptDetail {
    return { id: `user-${++this.#n}`, role: 'user', text, delta: text, final: true };
  }

  /** Ends the open assistant item, e.g. on barge-in: later deltas without an id start a new one. */
  cut(): void {
    this.#open = undefined;
  }
}
