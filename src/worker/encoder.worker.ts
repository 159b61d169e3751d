/**
 * The encoder worker: capture frames arrive from the capture worklet on a dedicated MessagePort (transferred
 * buffers), ready append frames leave on another; comlink carries only control and stats.
 */
import * as Comlink from 'comlink';
import type { EncodedChunk, EncoderConfig, EncoderStats } from '../audio/encoder-core.js';
import { EncoderCore, nowMs } from '../audio/encoder-core.js';

let core: EncoderCore | undefined;
let input: MessagePort | undefined;
let output: MessagePort | undefined;
let muted = false;

const api = {
  start(cfg: EncoderConfig, frames: MessagePort, chunks: MessagePort): void {
    api.stop();
    core = new EncoderCore(cfg);
    input = frames;
    output = chunks;
    input.onmessage = (e: MessageEvent<Float32Array>) => {
      if (muted || !core) return;
      const ready: EncodedChunk[] = core.push(e.data, nowMs());
      for (const c of ready) output?.postMessage(c);
    };
  },
  setMuted(value: boolean): void {
    muted = value;
    if (value) core?.reset();
  },
  stats(): EncoderStats | undefined {
    return core?.stats();
  },
  stop(): void {
    input?.close();
    output?.close();
    input = output = core = undefined;
  },
};

export type EncoderWorkerApi = typeof api;
Comlink.expose(api);
