import { assetUrl } from './assets.js';

/**
 * An AudioContext at the device's native rate with the capture worklet loaded and one capture node; without
 * AudioWorklet (or when its module cannot load) the context alone, for a ScriptProcessor.
 */
export interface CaptureGraph {
  readonly ctx: AudioContext;
  node?: AudioWorkletNode;
}

interface Pooled extends CaptureGraph {
  busy?: boolean;
  suspendTimer?: ReturnType<typeof setTimeout>;
}

/** The context keeps rendering this long after a call, so the audio thread drops the disconnected source (and its
 * stream) before it sleeps; suspended at once, the graph would hold every call's stream. */
const SUSPEND_AFTER_MS = 250;

/**
 * Capture graphs are kept and reused, call after call: Chromium never frees an AudioWorkletNode (nor so its
 * AudioContext) once created, even after `close()` (measured with tools/leak-check.mjs: one context and node
 * retained per call). Between calls a graph is disconnected and its context suspended, so it costs no CPU and
 * holds no device; the page has at most as many as calls ever ran at the same time (whatever folder their worklet
 * module came from: it is the same code). A context without a worklet node is not pooled: it is closed after its call.
 */
const pool: Pooled[] = [];

/** A running capture graph for one call; give it back with {@link releaseCaptureGraph}. */
export async function acquireCaptureGraph(assetsUrl: string | undefined): Promise<CaptureGraph> {
  let g = pool.find((p) => !p.busy);
  if (!g) {
    // latencyHint defaults to 'interactive'.
    const ctx = new AudioContext();
    g = { ctx };
    try {
      await ctx.audioWorklet.addModule(assetUrl('capture', assetsUrl));
      g.node = new AudioWorkletNode(ctx, 'navtalk-capture', { numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
      pool.push(g);
    } catch {
      // No AudioWorklet here: the bare context.
    }
  }
  g.busy = true;
  clearTimeout(g.suspendTimer);
  await g.ctx.resume().catch(() => undefined);
  return g;
}

/**
 * Ends the graph's current call: the node stops posting, the context is suspended until the next call. A context
 * without a worklet node is closed.
 */
export async function releaseCaptureGraph(graph: CaptureGraph): Promise<void> {
  const g = graph as Pooled;
  const node = g.node;
  if (!node) return g.ctx.close().catch(() => undefined);
  node.port.postMessage({});
  node.port.onmessage = null;
  node.disconnect();
  g.busy = false;
  // Acquiring the graph again clears the timer: it fires only while the graph is free. (A pooled context is never
  // closed, so suspend() does not reject.)
  g.suspendTimer = setTimeout(() => g.ctx.suspend(), SUSPEND_AFTER_MS);
}
