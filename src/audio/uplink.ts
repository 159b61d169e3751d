import type { EncodedChunk } from './encoder-core.js';
import { nowMs, WIRE_RATE } from './encoder-core.js';

/** Where the uplink sends: the call's socket, next to it in the media API. */
export interface UplinkSink {
  /** The conversation is ready for input (after `realtime.session.updated`, not reconnecting). */
  ready(): boolean;
  /** Bytes waiting in the socket. */
  bufferedAmount(): number;
  /** Sends one frame; false when the socket is not open. */
  send(frame: string): boolean;
}

export interface UplinkStats {
  sentChunks: number;
  sentSamples: number;
  droppedChunks: number;
  /** Chunks captured before the session was first ready (the avatar was not listening yet). */
  skippedBeforeReady: number;
  /** Mic-to-wire latency per sent chunk: ms from its first sample reaching script to ws.send, newest last
   * (the latest 4096 to 8192 chunks). */
  latencies: number[];
}

/** Most audio held back while the socket is congested or reconnecting; the oldest is dropped past it. */
const MAX_QUEUE_MS = 2000;
/** Socket backlog (bytes) above which chunks wait instead of piling into the socket. */
const HIGH_WATER_BYTES = 96 * 1024;
const MAX_LATENCIES = 4096;

/** Statistics of an uplink that has sent nothing yet. */
export const newUplinkStats = (): UplinkStats => ({ sentChunks: 0, sentSamples: 0, droppedChunks: 0, skippedBeforeReady: 0, latencies: [] });
const DRAIN_MS = 20;

/**
 * The send policy for microphone audio (runs next to the socket, in the media API: in the worker, or on the main
 * thread when no worker could start).
 * - Nothing is sent before the session is first ready (`realtime.session.updated`); audio from before is skipped.
 * - While the socket is congested (bufferedAmount above the high-water mark) or the session is not ready (it is
 *   reconnecting), chunks wait in a queue bounded by maxQueueMs; past that the oldest is dropped and `onDrop` is
 *   told once per episode, so latency never grows without bound.
 * - Otherwise every chunk is sent at once, exactly once, in order.
 */
export class AudioUplink {
  #sink: UplinkSink;
  #queue: EncodedChunk[] = [];
  #queuedSamples = 0;
  #wasReady = false;
  #dropping = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onDrop: (message: string) => void;
  readonly stats: UplinkStats = newUplinkStats();

  constructor(sink: UplinkSink, onDrop: (message: string) => void) {
    this.#sink = sink;
    this.#onDrop = onDrop;
  }

  push(chunk: EncodedChunk): void {
    if (this.#sink.ready()) this.#wasReady = true;
    if (!this.#wasReady) {
      this.stats.skippedBeforeReady++;
      return;
    }
    this.#queue.push(chunk);
    this.#queuedSamples += chunk.samples;
    this.#drain();
    while (this.#queuedSamples > (MAX_QUEUE_MS * WIRE_RATE) / 1000 && this.#queue.length > 1) {
      this.#queuedSamples -= this.#queue.shift()!.samples;
      this.stats.droppedChunks++;
      if (!this.#dropping) {
        this.#dropping = true;
        this.#onDrop(`The connection is too slow: dropped microphone audio older than ${MAX_QUEUE_MS} ms.`);
      }
    }
  }

  /** Forgets what is queued (the call ended) and starts over: nothing is sent until the next ready. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#queuedSamples = 0;
    this.#wasReady = false;
  }

  /** Sends what may go now, in order; tries again in DRAIN_MS while anything is left. */
  #drain() {
    if (this.#sink.ready()) {
      while (this.#queue.length && this.#sink.bufferedAmount() <= HIGH_WATER_BYTES && this.#send(this.#queue[0]!)) {
        this.#queuedSamples -= this.#queue.shift()!.samples;
      }
    }
    if (!this.#queue.length) this.#dropping = false;
    else
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, DRAIN_MS);
  }

  #send(chunk: EncodedChunk): boolean {
    if (!this.#sink.send(chunk.frame)) return false;
    const s = this.stats;
    s.sentChunks++;
    s.sentSamples += chunk.samples;
    s.latencies.push(nowMs() - chunk.firstCaptureMs);
    // Trimmed in batches, not per chunk: this runs 25 times a second.
    if (s.latencies.length > 2 * MAX_LATENCIES) s.latencies.splice(0, s.latencies.length - MAX_LATENCIES);
    return true;
  }
}
