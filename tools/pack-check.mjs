// Checks what `npm publish` would ship: `npm pack --dry-run --json`, then the files the package's entry points and
// docs need must be there and nothing from the sources, tests, servers or demo. Prints the list with sizes; exits 1
// on a problem. Run after `npm run build` (it does not build).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const REQUIRED = [
  'package.json',
  'README.md',
  'custom-elements.json',
  'dist/navtalk-avatar.js', // CDN file
  'dist/lib/index.js', // ESM entry (no side effects)
  'dist/lib/define.js', // ESM entry that registers the tag
  'dist/types/index.d.ts',
  'dist/types/define.d.ts',
  'dist/navtalk-encoder.worker.js', // self-hostable worker and worklets (`assets-url`)
  'dist/navtalk-capture.worklet.js',
  'dist/navtalk-player.worklet.js',
];
const FORBIDDEN = /^(src|test|server|demo|bench|bench-results|screenshots|tools|node_modules|\.ci)\//;

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const problems = [];

let pack;
try {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  [pack] = JSON.parse(out);
} catch (e) {
  console.error(`pack-check: npm pack --dry-run failed: ${e.message}`);
  process.exit(1);
}

const files = new Map(pack.files.map((f) => [f.path, f.size]));
const width = Math.max(...pack.files.map((f) => f.path.length));
console.log(`pack-check: ${pack.filename} (${pack.entryCount} files, ${kb(pack.size)} packed, ${kb(pack.unpackedSize)} unpacked)`);
for (const f of [...pack.files].sort((a, b) => a.path.localeCompare(b.path)))
  console.log(`  ${f.path.padEnd(width)}  ${kb(f.size).padStart(10)}`);

for (const f of REQUIRED) if (!files.has(f)) problems.push(`missing ${f}`);
for (const f of files.keys()) if (FORBIDDEN.test(f)) problems.push(`must not ship ${f}`);

// Every path package.json points at must be in the tarball.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const targets = [pkg.main, pkg.module, pkg.types, pkg.customElements];
const walk = (v) => (typeof v === 'string' ? targets.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
walk(pkg.exports);
for (const t of targets.filter(Boolean)) {
  const p = t.replace(/^\.\//, '');
  if (!files.has(p)) problems.push(`package.json points at ${t}, which is not in the tarball`);
}

// The manifest must describe the element the package registers.
try {
  const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8'));
  const el = manifest.modules?.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'navtalk-avatar');
  if (!el) problems.push('custom-elements.json does not declare <navtalk-avatar>');
  // Its paths are for consumers resolving them in the installed package: each must be a file the tarball holds.
  for (const m of manifest.modules ?? []) {
    if (!files.has(m.path)) problems.push(`custom-elements.json module ${m.path} is not in the tarball`);
    for (const e of m.exports ?? [])
      if (e.declaration?.module && !files.has(e.declaration.module))
        problems.push(`custom-elements.json export ${e.name} points at ${e.declaration.module}, which is not in the tarball`);
  }
  const definition = manifest.modules?.flatMap((m) => (m.exports ?? []).map((e) => ({ ...e, path: m.path })))
    .find((e) => e.kind === 'custom-element-definition' && e.name === 'navtalk-avatar');
  if (!definition) problems.push('custom-elements.json has no custom-element-definition for <navtalk-avatar>');
} catch (e) {
  problems.push(`custom-elements.json unreadable: ${e.message}`);
}

if (problems.length) {
  for (const p of problems) console.error(`pack-check: ${p}`);
  process.exit(1);
}
console.log(`pack-check: ok (${REQUIRED.length} required files present, nothing from src/, test/, server/, demo/)`);
