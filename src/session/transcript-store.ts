import type { TranscriptDetail } from './session-events.js';

/** An item as the last event told it, without that event's `delta`. */
type Item = Omit<TranscriptDetail, 'delta'>;

/**
 * Assembles streamed transcripts into items keyed by id. Deltas without an id belong to the open assistant
 * item; a `done` finalises it (with the server's full text when given); repeated `done`s are ignored.
 */
export class TranscriptStore {
  #items = new Map<string, Item>();
  /** The assistant item deltas without an id go to, until it is finished or cut. */
  #open: Item | undefined;
  #n = 0;
  /** Which connection of the call this is: a reconnected server numbers its responses afresh. */
  #generation = 1;

  #newId(prefix: string) {
    return `${prefix}-${++this.#n}`;
  }

  /** Server ids are unique per connection; after a reconnect they get a suffix so they stay unique per call. */
  #key(id: string | undefined): string | undefined {
    return id === undefined || this.#generation === 1 ? id : `${id}~${this.#generation}`;
  }

  /** The assistant item under `key`, created empty when new. */
  #assistant(key: string): Item {
    let item = this.#items.get(key);
    if (!item) this.#items.set(key, (item = { id: key, role: 'assistant', text: '', final: false }));
    return item;
  }

  /** A new connection of the same call begins. */
  newConnection(): void {
    this.#generation++;
    this.#open = undefined;
  }

  assistantDelta(id: string | undefined, delta: string): TranscriptDetail | undefined {
    const item = this.#assistant(this.#key(id) ?? this.#open?.id ?? this.#newId('assistant'));
    if (item.final) return undefined;
    this.#open = item;
    item.text += delta;
    return { ...item, delta };
  }

  /** Finalises the item `id` (else the open one) with the server's `text` (else the text it has). Without arguments
   * it ends the open item as it stands (interrupt()); undefined when there is nothing to finish. */
  assistantDone(id?: string, text?: string): TranscriptDetail | undefined {
    const key = this.#key(id) ?? this.#open?.id;
    if (!key && text === undefined) return undefined;
    const item = this.#assistant(key ?? this.#newId('assistant'));
    if (item.final) return undefined;
    const full = text ?? item.text;
    const delta = full.startsWith(item.text) ? full.slice(item.text.length) : full;
    item.text = full;
    item.final = true;
    if (this.#open === item) this.#open = undefined;
    return { ...item, delta };
  }

  /** A finished user utterance (spoken and transcribed, or typed). */
  user(text: string, id?: string): TranscriptDetail {
    const k = this.#key(id);
    const key = k && !this.#items.has(k) ? k : this.#newId('user');
    const item: Item = { id: key, role: 'user', text, final: true };
    this.#items.set(key, item);
    return { ...item, delta: text };
  }

  /** Ends the open assistant item, e.g. on barge-in: later deltas without an id start a new one. */
  cut(): void {
    this.#open = undefined;
  }
}
