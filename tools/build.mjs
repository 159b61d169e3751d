// npm run build: the CDN file, the npm entries and their type declarations.
import { execFileSync } from 'node:child_process';
import { rmSync, statSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const run = (cmd, args) => execFileSync(bin(cmd), args, { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run('vite', ['build', '--mode', 'lib', '--logLevel', 'warn']);
run('vite', ['build', '--logLevel', 'warn']);
run('tsc', ['-p', 'tsconfig.build.json']);

const file = 'dist/navtalk-avatar.js';
const raw = statSync(file).size;
const gz = gzipSync(readFileSync(file)).length;
console.log(`build: ${file} ${(raw / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzip`);
