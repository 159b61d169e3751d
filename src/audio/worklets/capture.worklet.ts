/// <reference path="../worklet-scope.d.ts" />
/**
 * Microphone capture at the context's native rate. Every render quantum (128 frames, mono) goes to the encoder
 * on a dedicated MessagePort as a transferred Float32Array: no batching, so no added latency. The level (RMS,
 * 0..1) goes to the main thread about 20 times a second.
 */

const LEVEL_HZ = 20;

class CaptureProcessor extends AudioWorkletProcessor {
  #out: MessagePort | undefined;
  #stopped = false;
  #levelSum = 0;
  #levelFrames = 0;
  #levelEvery = Math.round(sampleRate / LEVEL_HZ);

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<{ type: 'connect'; port: MessagePort } | { type: 'stop' }>) => {
      if (e.data.type === 'connect') this.#out = e.data.port;
      else this.#stop();
    };
  }

  #stop() {
    this.#stopped = true;
    this.#out?.close();
    this.#out = undefined;
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.#stopped) return false;
    const input = inputs[0]?.[0];
    if (!input) return true;
    const frame = new Float32Array(input.length);
    let sum = 0;
    for (let i = 0; i < input.length; i++) {
      const v = input[i]!;
      frame[i] = v;
      sum += v * v;
    }
    this.#out?.postMessage(frame, [frame.buffer]);
    this.#levelSum += sum;
    this.#levelFrames += input.length;
    if (this.#levelFrames >= this.#levelEvery) {
      this.port.postMessage({ level: Math.min(1, Math.sqrt(this.#levelSum / this.#levelFrames)) });
      this.#levelSum = 0;
      this.#levelFrames = 0;
    }
    return true;
  }
}

registerProcessor('navtalk-capture', CaptureProcessor);
