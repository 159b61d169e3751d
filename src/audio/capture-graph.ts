import { assetUrl } from './assets.js';

/** An AudioContext at the device's native rate with the capture worklet loaded and one capture node. */
export interface CaptureGraph {
  readonly ctx: AudioContext;
  readonly node: AudioWorkletNode;
}

interface Pooled extends CaptureGraph {
  busy: boolean;
  assetsUrl: string | undefined;
  suspendTimer?: ReturnType<typeof setTimeout>;
}

/** The context keeps rendering this long after a call, so the audio thread drops the disconnected source (and its
 * stream) before it sleeps; suspended at once, the graph would hold every call's stream. */
const SUSPEND_AFTER_MS = 250;

/**
 * Capture graphs are kept and reused, call after call: Chromium never frees an AudioWorkletNode (nor so its
 * AudioContext) once created, even after `close()` (measured with tools/leak-check.mjs: one context and node
 * retained per call). Between calls a graph is disconnected and its context suspended, so it costs no CPU and
 * holds no device; the page has at most as many as calls ever ran at the same time.
 */
const pool: Pooled[] = [];

export async function acquireCaptureGraph(assetsUrl: string | undefined): Promise<CaptureGraph> {
  let g = pool.find((p) => !p.busy && p.assetsUrl === assetsUrl && p.ctx.state !== 'closed');
  if (!g) {
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    try {
      await ctx.audioWorklet.addModule(assetUrl('capture', assetsUrl));
      const node = new AudioWorkletNode(ctx, 'navtalk-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
      g = { ctx, node, busy: false, assetsUrl };
      pool.push(g);
    } catch (err) {
      await ctx.close().catch(() => undefined);
      throw err;
    }
  }
  g.busy = true;
  clearTimeout(g.suspendTimer);
  if (g.ctx.state !== 'running') await g.ctx.resume().catch(() => undefined);
  return g;
}

/** Ends the graph's current call: the node stops posting, the context is suspended until the next call. */
export function releaseCaptureGraph(graph: CaptureGraph): void {
  const g = pool.find((p) => p === graph);
  graph.node.port.postMessage({ type: 'disconnect' });
  graph.node.port.onmessage = null;
  graph.node.disconnect();
  if (!g) return;
  g.busy = false;
  clearTimeout(g.suspendTimer);
  g.suspendTimer = setTimeout(() => {
    if (!g.busy) void g.ctx.suspend().catch(() => undefined);
  }, SUSPEND_AFTER_MS);
}
