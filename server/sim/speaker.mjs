/**
 * @file Plays queued turns (timed frame lists) one after another; a barge-in cancels them.
 * Each step is handed to the `emit` callback when it is due (its frame, plus e.g. the word to voice).
 */

/** @typedef {import('./frames.mjs').Step} Step */
/** @typedef {{steps: Step[], onDone?: () => void}} Turn */

export class Speaker {
  /** @type {(step: Step) => void} */
  #emitStep;
  /** @type {Turn[]} */
  #queue = [];
  /** @type {Turn|null} */
  #current = null;
  #index = 0;
  /** @type {NodeJS.Timeout|null} */
  #timer = null;

  /** @param {(step: Step) => void} emit sends the step's frame (and acts on its other fields) */
  constructor(emit) {
    this.#emitStep = emit;
  }

  /**
   * Queues a turn; it starts when the previous ones have finished.
   * @param {Turn} turn must have at least one step
   */
  play(turn) {
    this.#queue.push(turn);
    if (!this.#timer) this.#advance();
  }

  /** Stops the running turn and drops the queued ones. */
  cancel() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#current = null;
    this.#queue = [];
  }

  #advance() {
    if (!this.#current) {
      this.#current = this.#queue.shift() ?? null;
      this.#index = 0;
    }
    if (!this.#current) return;
    const step = this.#current.steps[this.#index];
    this.#timer = setTimeout(() => this.#emit(step), step.delayMs);
  }

  /** @param {Step} step */
  #emit(step) {
    this.#timer = null;
    this.#emitStep(step);
    if (!this.#current) return; // emitting may have led to cancel()
    this.#index += 1;
    if (this.#index === this.#current.steps.length) {
      const { onDone } = this.#current;
      this.#current = null;
      onDone?.();
    }
    if (!this.#timer) this.#advance();
  }
}
