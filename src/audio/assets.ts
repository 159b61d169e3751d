import captureCode from './worklets/capture.worklet.ts?bundled';
import playerCode from './worklets/player.worklet.ts?bundled';
import encoderCode from '../worker/encoder.worker.ts?bundled';
import type { EncoderWorkerApi } from '../worker/encoder.worker.js';
import type { Remote } from '../worker/rpc.js';
import { wrap } from '../worker/rpc.js';
import { serveMediaWorker } from '../worker/media-worker.js';

/**
 * The worker and worklet code ships inside the bundle and is loaded from a Blob URL. A page whose
 * Content-Security-Policy forbids `blob:` scripts self-hosts these files (copied from dist/) and names their folder
 * with the `assets-url` attribute (or `NavtalkAvatarElement.assetsUrl`); then they load from there instead.
 */
export const ASSET_FILES = {
  capture: 'navtalk-capture.worklet.js',
  player: 'navtalk-player.worklet.js',
  encoder: 'navtalk-encoder.worker.js',
} as const;

export type AssetKind = keyof typeof ASSET_FILES;

const CODE: Record<AssetKind, string> = { capture: captureCode, player: playerCode, encoder: encoderCode };
const blobUrls: Partial<Record<AssetKind, string>> = {};

/** Where to load an asset from: the self-hosted file when a base URL is set, else a (cached) Blob URL. */
export function assetUrl(kind: AssetKind, baseUrl?: string): string {
  if (baseUrl) return new URL(ASSET_FILES[kind], new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, document.baseURI)).href;
  return (blobUrls[kind] ??= URL.createObjectURL(new Blob([CODE[kind]], { type: 'text/javascript' })));
}

/** The media API (src/worker/media-worker.ts) of one call, and where it runs. */
export interface MediaWorker {
  api: Remote<EncoderWorkerApi>;
  /** `worker` normally; `main-thread` when no worker could start here (CSP without `blob:`, old browser). */
  mode: 'worker' | 'main-thread';
  /** Ends it, after `api.shutdown()`: the worker is terminated, or the main-thread API's channel closed. */
  end(): void;
}

/** Starts the media worker and waits for its first answer; rejects when the page may not run one (CSP, old
 * browser), so the caller can fall back to {@link mainThreadMedia}. */
export async function startWorker(baseUrl?: string): Promise<MediaWorker> {
  // A classic worker: the bundled file is one self-contained script (no imports).
  const worker = new Worker(assetUrl('encoder', baseUrl));
  const api = wrap<EncoderWorkerApi>(worker);
  try {
    // Its first answer says it runs; a worker that cannot load (CSP, 404) fires `error` instead.
    await Promise.race([api.stats(), new Promise((_, reject) => (worker.onerror = reject))]);
    return { api, mode: 'worker', end: () => worker.terminate() };
  } catch (err) {
    worker.terminate();
    throw err;
  }
}

/** The same media API served on the main thread, behind a MessageChannel: the call uses it exactly as the worker's. */
export function mainThreadMedia(): MediaWorker {
  const { port1, port2 } = new MessageChannel();
  serveMediaWorker(port2);
  return {
    api: wrap<EncoderWorkerApi>(port1),
    mode: 'main-thread',
    // Closing one end of a channel disentangles both.
    end: () => port1.close(),
  };
}
