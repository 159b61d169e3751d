// Builds the Vue example into dist-examples/vue (tools/examples.mjs). `npx vite --config demo/vue/vite.config.ts`
// serves it for development.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundledPlugin } from '../../tools/bundled-plugin.mjs';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(({ command }) => ({
  root: here('.'),
  base: './',
  // The element imports its worklets and worker as `?bundled` strings: the same plugin as the library build.
  plugins: [bundledPlugin({ minify: command === 'build' })],
  // The component's `template` string is compiled at runtime: use Vue's build that includes the compiler.
  resolve: { alias: { vue: 'vue/dist/vue.esm-bundler.js' } },
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    target: 'es2022',
    outDir: here('../../dist-examples/vue'),
    emptyOutDir: true,
  },
  worker: { format: 'es' },
}));
