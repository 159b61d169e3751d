// Where the CDN file's bytes go: `npm run sizes:breakdown`. Builds dist/navtalk-avatar.js once more with a source
// map (into a temporary folder; dist/ is untouched), gives every minified byte to the source file it came from, and
// prints per source: minified bytes, and its gzip cost in the whole file (how much smaller the gzip of the file gets
// without that source's bytes: what deleting or lazy-loading it would save, which is less than gzipping it alone,
// because gzip finds much of it elsewhere in the file). The inlined worker and worklets appear as one line each.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'navtalk-sizes-'));
try {
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir: out, sourcemap: true, emptyOutDir: true } });
  const code = readFileSync(join(out, 'navtalk-avatar.js'), 'utf8');
  const map = new SourceMapConsumer(JSON.parse(readFileSync(join(out, 'navtalk-avatar.js.map'), 'utf8')));
  const gz = (s) => gzipSync(s, { level: 9 }).length;

  // Line starts, to turn (line, column) into offsets.
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') starts.push(i + 1);
  const mappings = [];
  map.eachMapping((m) => mappings.push({ at: starts[m.generatedLine - 1] + m.generatedColumn, source: m.source }));
  mappings.sort((a, b) => a.at - b.at);

  const name = (source) => {
    if (!source) return '(unmapped)';
    const s = source.replace(/^.*?node_modules\//, 'node_modules/');
    if (s.startsWith('node_modules/')) return s.split('/').slice(1, s.split('/')[1].startsWith('@') ? 3 : 2).join('/');
    const rel = relative(root, fileURLToPath(new URL(source, `file://${out}/`)));
    return rel.startsWith('..') ? source : rel;
  };
  // Unmapped stretches are mostly the inlined worker and worklet strings: name them by their content.
  const ranges = new Map();
  const add = (key, from, to) => {
    if (to <= from) return;
    if (!ranges.has(key)) ranges.set(key, []);
    ranges.get(key).push([from, to]);
  };
  for (let i = 0; i < mappings.length; i++) {
    const from = mappings[i].at;
    const to = i + 1 < mappings.length ? mappings[i + 1].at : code.length;
    add(name(mappings[i].source), from, to);
  }
  for (const [key, list] of [...ranges]) {
    if (key !== '(unmapped)' && !key.endsWith('assets.ts')) continue;
    // The long string literals in these stretches are the worker and worklets: each becomes its own entry.
    const keep = [];
    for (const [from, to] of list) {
      let last = from;
      for (const m of code.slice(from, to).matchAll(/"(?:[^"\\]|\\.){500,}"|`(?:[^`\\]|\\.){500,}`|'(?:[^'\\]|\\.){500,}'/g)) {
        const a = from + m.index;
        const b = a + m[0].length;
        const kind = m[0].includes('navtalk-capture') ? 'inlined capture worklet' : m[0].includes('navtalk-player') ? 'inlined player worklet' : 'inlined media worker';
        add(kind, a, b);
        keep.push([last, a]);
        last = b;
      }
      keep.push([last, to]);
    }
    ranges.set(key, keep.filter(([a, b]) => b > a));
  }

  const total = gz(code);
  const rows = [...ranges].map(([key, list]) => {
    const raw = list.reduce((n, [a, b]) => n + b - a, 0);
    let without = '';
    let last = 0;
    for (const [a, b] of [...list].sort((x, y) => x[0] - y[0])) {
      without += code.slice(last, a);
      last = b;
    }
    without += code.slice(last);
    return { key, raw, cost: total - gz(without) };
  });
  rows.sort((a, b) => b.cost - a.cost);
  const w = Math.max(...rows.map((r) => r.key.length));
  console.log(`${'source'.padEnd(w)}  ${'minified'.padStart(9)}  ${'gzip cost'.padStart(9)}`);
  for (const r of rows) console.log(`${r.key.padEnd(w)}  ${String(r.raw).padStart(9)}  ${String(r.cost).padStart(9)}`);
  console.log(`${'whole file'.padEnd(w)}  ${String(code.length).padStart(9)}  ${String(total).padStart(9)}  (gzip costs overlap: they do not add up to the whole)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
