import { defineConfig } from 'vite';
import { bundledPlugin } from './tools/bundled-plugin.mjs';

/**
 * `vite build` (default mode): dist/navtalk-avatar.js, ONE self-contained ES module (renderer, worker and worklet
 * code inlined) that registers the tag on import.
 * `vite build --mode lib`: dist/lib/, the side-effect-free npm entry and `./define` (no dependencies).
 * `vite` (dev): serves demo/ with the simulated NavTalk server mounted on the same port (tools/start.mjs).
 */
/** An import that resolves to nothing is a broken build, not a warning: it would be `undefined` at run time. */
const strictImports = {
  onwarn(warning: { code?: string; message: string }, warn: (warning: { message: string }) => void) {
    if (warning.code === 'IMPORT_IS_UNDEFINED' || warning.code === 'MISSING_EXPORT') throw new Error(warning.message);
    warn(warning);
  },
};

export default defineConfig(({ mode, command }) => ({
  base: './',
  // Worker and worklet code is bundled into strings (minified for builds, readable while developing and testing).
  // The CDN file holds the code the main thread and the media worker share once (src/worker/media-core.ts).
  plugins: [
    bundledPlugin({
      minify: command === 'build',
      share: command === 'build' && mode !== 'lib' ? { core: 'src/worker/media-core.ts', worker: 'src/worker/encoder.worker.ts', start: 'serveMediaWorker' } : undefined,
    }),
  ],
  build:
    mode === 'lib'
      ? {
          target: 'es2022',
          outDir: 'dist/lib',
          emptyOutDir: true,
          sourcemap: true,
          lib: { entry: { index: 'src/index.ts', define: 'src/define.ts' }, formats: ['es'] },
          rolldownOptions: strictImports,
        }
      : {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: false,
          minify: true,
          // Vite keeps whitespace in ES library output; the CDN file is for browsers, so minify it fully.
          // No comments at all: the PURE annotations only help a bundler downstream, and nothing bundles this file.
          rolldownOptions: { ...strictImports, output: { minify: true, comments: false } },
          lib: { entry: 'src/cdn.ts', formats: ['es'], fileName: () => 'navtalk-avatar.js' },
        },
  worker: { format: 'es' },
}));
