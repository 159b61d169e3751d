/// <reference path="../worklet-scope.d.ts" />
/**
 * Plays assistant PCM (at the context's rate: 24 kHz, the wire's) with a small jitter buffer, counting the frames
 * played per item so a barge-in knows what was heard. A flush empties the queue at the next render quantum.
 */

/**
 * From PcmPlayer: `[id, samples]` queues a delta of item `id`; `[id]` marks the item's end (reported as played to
 * the end once the queue reaches it); `[]` flushes, reporting every item not yet finished as interrupted.
 */
type Command = [id?: string, samples?: Float32Array];

const JITTER_SECONDS = 0.06;

class PlayerProcessor extends AudioWorkletProcessor {
  /** Deltas and end marks, in order. */
  #queue: Command[] = [];
  /** Where in the head delta playing goes on. */
  #offset = 0;
  /** Samples queued and not yet played. */
  #queued = 0;
  #playing = false;
  /** Frames played so far, per item queued or playing. */
  #played = new Map<string, number>();

  constructor() {
    super();
    this.port.onmessage = ({ data }: MessageEvent<Command>) => {
      const [id, samples] = data;
      if (id === undefined) {
        for (const item of this.#played.keys()) this.#report(item, true);
        this.#queue = [];
        this.#offset = this.#queued = 0;
        this.#playing = false;
        return;
      }
      this.#queue.push(data);
      if (samples) {
        this.#queued += samples.length;
        this.#played.set(id, this.#played.get(id) ?? 0);
      }
    };
  }

  #report(id: string, interrupted: boolean) {
    this.port.postMessage({ id, frames: this.#played.get(id), interrupted });
    this.#played.delete(id);
  }

  // The node has one mono output (outputChannelCount [1]).
  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    out.fill(0);
    // Start once the jitter buffer holds enough, or an item is complete.
    this.#playing ||= this.#queued >= JITTER_SECONDS * sampleRate || this.#queue.some((c) => !c[1]);
    let i = 0;
    while (this.#playing && this.#queue.length && i < out.length) {
      const [id, samples] = this.#queue[0] as [string, Float32Array?];
      if (samples) {
        const n = Math.min(out.length - i, samples.length - this.#offset);
        out.set(samples.subarray(this.#offset, (this.#offset += n)), i);
        i += n;
        this.#queued -= n;
        this.#played.set(id, (this.#played.get(id) ?? 0) + n);
        if (this.#offset < samples.length) continue;
        this.#offset = 0;
      } else if (this.#played.has(id)) {
        this.#report(id, false);
      }
      this.#queue.shift();
    }
    // Underrun: wait for the jitter buffer to refill.
    if (!this.#queue.length) this.#playing = false;
    return true;
  }
}

registerProcessor('navtalk-player', PlayerProcessor);
