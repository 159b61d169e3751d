// Builds the React example into dist-examples/react (tools/examples.mjs). `npx vite --config demo/react/vite.config.ts`
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
  // Vite 8 transforms TSX with Oxc; the automatic runtime needs no `import React`. (@vitejs/plugin-react would only
  // add Fast Refresh.)
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    target: 'es2022',
    outDir: here('../../dist-examples/react'),
    emptyOutDir: true,
  },
  worker: { format: 'es' },
}));
