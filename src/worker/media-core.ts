/**
 * The code the main thread and the media worker share: the PCM helpers, the WebSocket transport and the worker calls
 * (rpc.ts), plus the media API (encoder, send policy), which the main thread serves itself when no worker can start.
 *
 * In the CDN build (tools/bundled-plugin.mjs, `share`) this module and everything it imports is emitted ONCE, as
 * one self-contained function: the main thread uses what the function returns, and the worker Blob is made from
 * the function's own source text (`(function …)()` then `serveMediaWorker()`), so the worker costs almost nothing
 * more in the file. Every other build (npm, development, the self-hosted worker file) imports the modules as usual.
 */
// What the main thread imports from these modules (the CDN build fails if it imports anything else from them).
export { StreamingResampler, WIRE_RATE, base64ToBytes, pcm16ToFloat, rms } from '../audio/pcm.js';
export { newUplinkStats } from './media-worker.js';
export { webSocketTransport } from '../transport/websocket-transport.js';
export { wrap } from './rpc.js';
// What the worker runs (and the main thread, when no worker can start).
export { serveMediaWorker } from './media-worker.js';
