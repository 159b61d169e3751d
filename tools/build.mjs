// npm run build: the CDN file, the npm entries and their type declarations, then custom-elements.json and the
// README's API tables generated from it.
import { execFileSync } from 'node:child_process';
import { rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { bundleFile } from './bundled-plugin.mjs';
import { gzipSync } from 'node:zlib';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const run = (cmd, args) => execFileSync(bin(cmd), args, { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run('vite', ['build', '--mode', 'lib', '--logLevel', 'warn']);
run('vite', ['build', '--logLevel', 'warn']);
run('tsc', ['-p', 'tsconfig.build.json']);

// The worker and worklets as files too, for pages whose CSP forbids blob: scripts (`assets-url`).
const ASSETS = {
  'navtalk-capture.worklet.js': 'src/audio/worklets/capture.worklet.ts',
  'navtalk-player.worklet.js': 'src/audio/worklets/player.worklet.ts',
  'navtalk-encoder.worker.js': 'src/worker/encoder.worker.ts',
};
for (const [name, entry] of Object.entries(ASSETS)) writeFileSync(`dist/${name}`, await bundleFile(entry, { minify: true }));

// The Custom Elements Manifest (custom-elements-manifest.config.mjs) and the README tables made from it.
run('cem', ['analyze', '--litelement', '--quiet']);
execFileSync(process.execPath, ['tools/api-tables.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['tools/snippet.mjs'], { stdio: 'inherit' });

const file = 'dist/navtalk-avatar.js';
const raw = statSync(file).size;
const gz = gzipSync(readFileSync(file)).length;
console.log(`build: ${file} ${(raw / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzip`);
