import captureCode from './worklets/capture.worklet.ts?bundled';
import playerCode from './worklets/player.worklet.ts?bundled';
import encoderCode from '../worker/encoder.worker.ts?bundled';
import type { EncoderWorkerApi } from '../worker/encoder.worker.js';
import type { Remote } from '../worker/rpc.js';
import { wrap } from '../worker/rpc.js';

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

/** Starts the encoder worker and waits for its first answer; rejects when the page may not run one (CSP, old
 * browser), so the caller can fall back to encoding on the main thread. */
export async function startWorker(baseUrl?: string): Promise<{ worker: Worker; api: Remote<EncoderWorkerApi> }> {
  const worker = new Worker(assetUrl('encoder', baseUrl), { type: 'module', name: 'navtalk-encoder' });
  const api = wrap<EncoderWorkerApi>(worker);
  try {
    await Promise.race([api.stats(), new Promise((_, reject) => (worker.onerror = () => reject(new Error('the encoder worker failed to load'))))]);
    return { worker, api };
  } catch (err) {
    worker.terminate();
    throw err;
  } finally {
    worker.onerror = null;
  }
}
