/** The single-file CDN build: registers `<navtalk-avatar>` on import and exports the public API. */
export * from './index.js';
export { define, TAG } from './define.js';
