/// <reference path="../worklet-scope.d.ts" />
/**
 * Plays assistant PCM (already at the context's rate) with a small jitter buffer, counting the frames played per
 * item so a barge-in knows what was heard. `flush` empties the queue at the next render quantum.
 */

type Command =
  | { type: 'push'; id: string; samples: Float32Array }
  | { type: 'end'; id: string }
  | { type: 'flush' };

interface Chunk {
  id: string;
  samples: Float32Array;
  offset: number;
}

const JITTER_SECONDS = 0.06;

class PlayerProcessor extends AudioWorkletProcessor {
  #queue: Chunk[] = [];
  #queued = 0;
  #playing = false;
  #ended = new Set<string>();
  #played = new Map<string, number>();
  #current: string | undefined;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<Command>) => {
      const cmd = e.data;
      if (cmd.type === 'push') {
        this.#queue.push({ id: cmd.id, samples: cmd.samples, offset: 0 });
        this.#queued += cmd.samples.length;
      } else if (cmd.type === 'end') {
        this.#ended.add(cmd.id);
      } else {
        const ids = new Set(this.#queue.map((c) => c.id));
        if (this.#current) ids.add(this.#current);
        this.#queue = [];
        this.#queued = 0;
        this.#playing = false;
        this.#current = undefined;
        for (const id of ids) this.#report(id, true);
      }
    };
  }

  #report(id: string, interrupted: boolean) {
    this.port.postMessage({ type: 'played', id, frames: this.#played.get(id) ?? 0, interrupted });
    this.#played.delete(id);
    this.#ended.delete(id);
  }

  /** Reports the current item as played to the end if it has ended; true when it did. */
  #finishCurrent(): boolean {
    const id = this.#current;
    if (!id || !this.#ended.has(id)) return false;
    this.#report(id, false);
    return true;
  }

  // The node has one mono output (outputChannelCount [1]).
  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    out.fill(0);
    const head = this.#queue[0];
    // Start once the jitter buffer holds enough, or the item is complete.
    if (!this.#playing && head && (this.#queued >= JITTER_SECONDS * sampleRate || this.#ended.has(head.id))) this.#playing = true;
    if (!this.#playing) return true;
    let i = 0;
    while (i < out.length && this.#queue.length) {
      const c = this.#queue[0]!;
      if (this.#current !== c.id) {
        this.#finishCurrent();
        this.#current = c.id;
      }
      const n = Math.min(out.length - i, c.samples.length - c.offset);
      out.set(c.samples.subarray(c.offset, c.offset + n), i);
      c.offset += n;
      i += n;
      this.#queued -= n;
      this.#played.set(c.id, (this.#played.get(c.id) ?? 0) + n);
      if (c.offset >= c.samples.length) this.#queue.shift();
    }
    if (!this.#queue.length) {
      // Underrun: wait for the jitter buffer to refill; an ended item is complete.
      this.#playing = false;
      if (this.#finishCurrent()) this.#current = undefined;
    }
    return true;
  }
}

registerProcessor('navtalk-player', PlayerProcessor);
