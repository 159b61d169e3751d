/// <reference path="../worklet-scope.d.ts" />
/**
 * Microphone capture at the context's native rate. Every render quantum (128 frames, mono) goes to the encoder
 * on a dedicated MessagePort as a transferred Float32Array: no batching, so no added latency. When asked, the
 * level (RMS, 0..1, steps of 0.02) goes to the main thread up to 20 times a second, when it changed.
 */

const LEVEL_HZ = 20;

class CaptureProcessor extends AudioWorkletProcessor {
  #out: MessagePort | undefined;
  #reportLevel: boolean | undefined;
  #levelSum = 0;
  #levelFrames = 0;
  #lastLevel = -1;

  constructor() {
    super();
    // One node serves call after call (the page keeps its capture graph: see capture-graph.ts): `{port, level}`
    // hands it the encoder's port for a call; a message without a port ends that call's stream.
    this.port.onmessage = ({ data }: MessageEvent<{ port?: MessagePort; level?: boolean }>) => {
      this.#out?.close();
      this.#out = data.port;
      this.#reportLevel = data.level;
      this.#lastLevel = -1;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]![0];
    if (!input || !this.#out) return true;
    const frame = input.slice();
    this.#out.postMessage(frame, [frame.buffer]);
    if (!this.#reportLevel) return true;
    for (const v of input) this.#levelSum += v * v;
    this.#levelFrames += input.length;
    if (this.#levelFrames >= sampleRate / LEVEL_HZ) {
      // In steps of 0.02, and only when it moved: silence and steady sound cost the main thread nothing.
      const level = Math.round(Math.min(1, Math.sqrt(this.#levelSum / this.#levelFrames)) * 50) / 50;
      if (level !== this.#lastLevel) this.port.postMessage(level);
      this.#lastLevel = level;
      this.#levelSum = 0;
      this.#levelFrames = 0;
    }
    return true;
  }
}

registerProcessor('navtalk-capture', CaptureProcessor);
