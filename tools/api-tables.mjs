// README API tables from custom-elements.json (`npm run manifest` or `npm run build` writes the manifest first).
//
//   node tools/api-tables.mjs           rewrite every generated block in README.md
//   node tools/api-tables.mjs --check   exit 1 if README.md differs from what it would write
//
// A block is `<!-- api:start NAMES -->` ... `<!-- api:end -->`, NAMES being one or more of attributes, events,
// css-properties, css-parts, slots (none: all five, in that order). Everything between the markers is replaced.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const MANIFEST = `${root}custom-elements.json`;
const README = `${root}README.md`;
const TAG = 'navtalk-avatar';
const check = process.argv.includes('--check');

/** One table cell: pipes escaped (also inside code spans, as GFM tables need), no line breaks. */
const cell = (s) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
/** Inline code, with a longer fence when the text holds backticks. */
const code = (s) => {
  if (s === undefined || s === null || s === '') return '';
  const t = String(s);
  const fence = t.includes('`') ? '``' : '`';
  return fence.length > 1 ? `${fence} ${t} ${fence}` : `${fence}${t}${fence}`;
};
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

function element(manifest) {
  for (const mod of manifest.modules ?? [])
    for (const decl of mod.declarations ?? []) if (decl.customElement && decl.tagName === TAG) return decl;
  throw new Error(`api-tables: no <${TAG}> in custom-elements.json (run \`npm run manifest\`)`);
}

const SECTIONS = {
  attributes: (el) => {
    const fields = new Map((el.members ?? []).filter((m) => m.kind === 'field' && !m.static).map((m) => [m.name, m]));
    const rows = (el.attributes ?? []).map((a) => {
      const f = fields.get(a.fieldName);
      const notes = [];
      if (f?.readonly) notes.push('read-only');
      if (f?.reflects) notes.push('reflected');
      return [
        code(a.name),
        a.fieldName ? code(a.fieldName) + (notes.length ? ` (${notes.join(', ')})` : '') : '',
        code(a.type?.text ?? f?.type?.text),
        a.default !== undefined ? code(a.default) : '',
        a.description ?? f?.description ?? '',
      ];
    });
    return table(['attribute', 'property', 'type', 'default', 'description'], rows);
  },
  events: (el) => table(
    ['event', 'type', 'detail'],
    (el.events ?? []).map((e) => [code(e.name), code(e.type?.text), e.description ?? '']),
  ),
  'css-properties': (el) => table(
    ['CSS custom property', 'description'],
    (el.cssProperties ?? []).map((p) => [code(p.name), [p.description, p.default && `(default ${code(p.default)})`].filter(Boolean).join(' ')]),
  ),
  'css-parts': (el) => table(['part (`::part(...)`)', 'description'], (el.cssParts ?? []).map((p) => [code(p.name), p.description ?? ''])),
  slots: (el) => table(['slot', 'description'], (el.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', s.description ?? ''])),
};

function render(readme, el) {
  const re = /(<!-- api:start([^>]*?)-->)[\s\S]*?(<!-- api:end -->)/g;
  let blocks = 0;
  const out = readme.replace(re, (_all, start, names, end) => {
    blocks++;
    const list = names.trim() ? names.trim().split(/[\s,]+/) : Object.keys(SECTIONS);
    for (const n of list) if (!SECTIONS[n]) throw new Error(`api-tables: unknown section "${n}" in ${start}`);
    return `${start}\n${list.map((n) => SECTIONS[n](el)).join('\n\n')}\n${end}`;
  });
  const starts = (readme.match(/<!-- api:start/g) ?? []).length;
  if (!blocks || starts !== blocks) throw new Error(`api-tables: README.md has ${starts} api:start marker(s) but ${blocks} complete block(s)`);
  return { out, blocks };
}

try {
  if (!existsSync(MANIFEST)) throw new Error('api-tables: custom-elements.json is missing (run `npm run manifest`)');
  const el = element(JSON.parse(readFileSync(MANIFEST, 'utf8')));
  const readme = readFileSync(README, 'utf8');
  const { out, blocks } = render(readme, el);
  if (check) {
    if (out !== readme) {
      const a = readme.split('\n'), b = out.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      console.error(`api-tables: README.md is out of date with custom-elements.json (first difference at line ${i + 1}):`);
      console.error(`  README:    ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}`);
      console.error('Run `node tools/api-tables.mjs` (or `npm run build`) and commit README.md.');
      process.exit(1);
    }
    console.log(`api-tables: README.md is up to date (${blocks} block(s))`);
  } else if (out !== readme) {
    writeFileSync(README, out);
    console.log(`api-tables: README.md updated (${blocks} block(s))`);
  } else {
    console.log(`api-tables: README.md already up to date (${blocks} block(s))`);
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
