/**
 * The code the main thread and the media worker share: the encoder, the send policy, the WebSocket transport, the
 * PCM helpers and the comlink calls, plus the worker's API.
 *
 * In the CDN build (tools/bundled-plugin.mjs, `share`) this module and everything it imports is emitted ONCE, as
 * one self-contained function: the main thread uses what the function returns, and the worker Blob is made from
 * the function's own source text (`(function …)()` then `serveMediaWorker()`), so the worker costs almost nothing
 * more in the file. Every other build (npm, development, the self-hosted worker file) imports the modules as usual.
 */
export * from '../audio/pcm.js';
export * from '../audio/encoder-core.js';
export * from '../audio/uplink.js';
export * from '../transport/websocket-transport.js';
export { wrap } from './rpc.js';
export { serveMediaWorker } from './media-worker.js';
