/**
 * @file A frame clock paced by the monotonic clock (`performance.now()`), not by counting timer callbacks:
 * frame k is due at `start + k × period`, so timer lateness never accumulates into drift. Late frames are
 * caught up; a clock may also run up to `ahead` frames early, which lets it wake less often.
 */

import { performance } from 'node:perf_hooks';

/**
 * @callback TickHandler
 * @param {number} index frame number since start (0, 1, 2, …)
 * @param {number} dueMs when that frame was due, ms on the `performance.now()` scale
 */

export class FrameClock {
  #periodMs;
  #maxBurst;
  #ahead;
  /** @type {TickHandler} */
  #onTick;
  #running = false;
  #startMs = 0;
  #next = 0; // index of the next frame to emit
  /** @type {NodeJS.Timeout|null} */
  #timer = null;

  /**
   * @param {number} periodMs frame period
   * @param {TickHandler} onTick must not throw
   * @param {{maxBurst?: number, ahead?: number}} [options] maxBurst: at most this many late frames are caught
   *   up in one go; a longer stall (e.g. a blocked event loop) skips the missed frames instead of bursting them
   *   all out. ahead: frames that may be emitted before they are due (0 or 1); with 1 the clock wakes every
   *   other period and emits two frames, the second one period early.
   */
  constructor(periodMs, onTick, { maxBurst = 1, ahead = 0 } = {}) {
    this.#periodMs = periodMs;
    this.#onTick = onTick;
    this.#ahead = ahead;
    this.#maxBurst = Math.max(1, maxBurst) + ahead;
  }

  /** @returns {boolean} */
  get running() {
    return this.#running;
  }

  /** Starts at once with frame 0; no effect when running. */
  start() {
    if (this.#running) return;
    this.#running = true;
    this.#startMs = performance.now();
    this.#next = 0;
    this.#run();
  }

  /** Stops; safe to call from a tick handler and more than once. */
  stop() {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Emits every frame that is due (and up to `ahead` more), then sleeps until the next one is due. */
  #run() {
    this.#timer = null;
    const due = Math.floor((performance.now() - this.#startMs) / this.#periodMs) + 1 + this.#ahead; // frames to emit by now
    if (due - this.#next > this.#maxBurst) this.#next = due - this.#maxBurst; // skip a long stall
    while (this.#next < due && this.#running) {
      const index = this.#next++;
      this.#onTick(index, this.#startMs + index * this.#periodMs);
    }
    if (!this.#running) return;
    const wait = this.#startMs + this.#next * this.#periodMs - performance.now();
    this.#timer = setTimeout(() => this.#run(), Math.max(1, Math.ceil(wait)));
  }
}
