/** The media worker's entry (the API is in media-worker.ts). */
import { serveMediaWorker } from './media-worker.js';

export type { EncoderWorkerApi, SocketCommand, SocketEvent } from './media-worker.js';

serveMediaWorker();
