// The CDN snippet with Subresource Integrity, from the built bytes (run by `npm run build`, after the bundle):
//
//   node tools/snippet.mjs           write dist/snippet.html, dist/snippet.json and the generated doc blocks
//   node tools/snippet.mjs --check   exit 1 if a doc block (or an existing dist/snippet.*) differs from what it would write
//
// The URL is pinned to package.json's version on jsDelivr, which serves the npm tarball's files byte for byte, so
// the sha384 of dist/navtalk-avatar.js is the hash of what visitors get (publish what `npm run build` produced).
// The CDN file is ONE self-contained module (the worker and worklets ride inside it as Blob URLs), so one hash
// covers everything the browser runs from the CDN; a build that split off chunks fails here, since their bytes
// would load unchecked. Everything written depends only on dist/ bytes and the version, so a rebuild from the same
// sources writes the same text.
//
// Blocks: `<!-- cdn-snippet:start -->` (the HTML snippet) or `<!-- cdn-snippet:start csp -->` (the policy it needs)
// ... `<!-- cdn-snippet:end -->`, in README.md, docs/getting-started.md and docs/csp.md. Everything between the
// markers is replaced.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(root, 'dist');
const CDN_FILE = 'navtalk-avatar.js';
/** Self-hosted from the page's own origin (`assets-url`) or run from blob: URLs: never imported from the CDN. */
const SELF_HOSTED = new Set(['navtalk-capture.worklet.js', 'navtalk-player.worklet.js', 'navtalk-encoder.worker.js']);
const DOCS = ['README.md', 'docs/getting-started.md', 'docs/csp.md'];
const AVATAR_ID = 'a1b2c3';
const RELAY_URL = 'wss://your-relay.example/navtalk';
const check = process.argv.includes('--check');

const digest = (alg, bytes) => `${alg}-${createHash(alg).update(bytes).digest('base64')}`;
const rel = (abs) => relative(DIST, abs).split(sep).join('/');

/** .js files under dist/ besides the CDN file, the npm build, types and the self-hosted worker/worklets. */
function strayChunks() {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(DIST)
    .map(rel)
    .filter((p) => p.endsWith('.js') && p !== CDN_FILE && !SELF_HOSTED.has(p) && !/^(lib|types)\//.test(p))
    .sort();
}

function generate() {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (!existsSync(join(DIST, CDN_FILE))) throw new Error(`snippet: dist/${CDN_FILE} is missing (run \`npm run build\`)`);
  const base = `https://cdn.jsdelivr.net/npm/navtalk-avatar@${version}/dist/`;
  const url = base + CDN_FILE;
  const integrity = digest('sha384', readFileSync(join(DIST, CDN_FILE)));
  const stray = strayChunks();
  if (stray.length) throw new Error(`snippet: dist/${CDN_FILE} must be self-contained, but the build also wrote ${stray.join(', ')}`);

  const html = [
    `<script type="module" src="${url}"`,
    `  integrity="${integrity}" crossorigin="anonymous"></script>`,
    `<navtalk-avatar avatar-id="${AVATAR_ID}" server-url="${RELAY_URL}"></navtalk-avatar>`,
  ].join('\n') + '\n';

  const relayOrigin = new URL(RELAY_URL.replace(/^ws/, 'http')).host;
  const cdnOrigin = new URL(base).origin;
  const policy = [
    `script-src ${cdnOrigin} blob:`,
    'worker-src blob:',
    `connect-src wss://${relayOrigin}`,
    'media-src blob: mediastream:',
  ];
  const csp = [
    '```',
    ...policy.map((d) => `${d};`),
    '```',
    '',
    `- \`script-src ${cdnOrigin}\`: the bundle; \`blob:\`: the two AudioWorklets.`,
    '- `worker-src blob:`: the media worker (a Blob URL made from code inside the bundle).',
    `- \`connect-src\`: the element's \`server-url\` (here \`${RELAY_URL}\`).`,
    '- `media-src blob: mediastream:`: the avatar\'s WebRTC stream in the `<video>`.',
    '',
    'For a policy without `blob:`, self-host the worker and worklets from your own origin and set `assets-url`',
    `(below): then \`script-src ${cdnOrigin} 'self'\` and \`worker-src 'self'\` instead.`,
  ].join('\n');

  const blocks = {
    html: [
      '```html',
      html.trimEnd(),
      '```',
      '',
      `The \`integrity\` hash is the sha384 of \`dist/navtalk-avatar.js\` ${version}, so the browser runs exactly that file.`,
      'Also in `dist/snippet.html` (and `dist/snippet.json`) after `npm run build`.',
    ].join('\n'),
    csp,
  };
  const json = JSON.stringify({ version, base, url, integrity, csp: policy.join('; ') }, null, 2) + '\n';
  return { html, json, blocks };
}

/** Replaces every block of `text`; throws on unbalanced markers or an unknown block kind. */
function render(file, text, blocks) {
  const re = /(<!-- cdn-snippet:start([^>]*?)-->)[\s\S]*?(<!-- cdn-snippet:end -->)/g;
  let n = 0;
  const out = text.replace(re, (_all, start, kind, end) => {
    n++;
    const k = kind.trim() || 'html';
    if (!(k in blocks)) throw new Error(`snippet: unknown block "${k}" in ${file}`);
    return `${start}\n${blocks[k]}\n${end}`;
  });
  const starts = (text.match(/<!-- cdn-snippet:start/g) ?? []).length;
  if (!n || starts !== n) throw new Error(`snippet: ${file} has ${starts} cdn-snippet:start marker(s) but ${n} complete block(s)`);
  return out;
}

try {
  const { html, json, blocks } = generate();
  const stale = [];
  const targets = DOCS.map((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return { f, text, out: render(f, text, blocks) };
  });
  for (const { f, text, out } of targets) {
    if (out === text) continue;
    if (check) {
      const a = text.split('\n'), b = out.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      stale.push(`${f} (first difference at line ${i + 1}):\n  file:      ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}`);
    } else {
      writeFileSync(join(root, f), out);
      console.log(`snippet: ${f} updated`);
    }
  }
  for (const [name, body] of [['snippet.html', html], ['snippet.json', json]]) {
    const p = join(DIST, name);
    if (check) {
      if (existsSync(p) && readFileSync(p, 'utf8') !== body) stale.push(`dist/${name}`);
    } else writeFileSync(p, body);
  }
  if (stale.length) {
    console.error(`snippet: out of date with dist/${CDN_FILE}:\n${stale.join('\n')}`);
    console.error('Run `node tools/snippet.mjs` (or `npm run build`) and commit the docs.');
    process.exit(1);
  }
  console.log(`snippet: ${JSON.parse(json).integrity}${check ? ' (docs up to date)' : ''}`);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
