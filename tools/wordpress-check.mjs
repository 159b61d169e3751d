// Checks the WordPress plugin in wordpress/: `php -l` on every PHP file, then wordpress/tests/shortcode-test.php
// (plain PHP with stubs of the WordPress functions; no WordPress needed). Exits 1 on any failure.
// Needs a `php` CLI on the PATH (Debian: `apt-get install -y --no-install-recommends php-cli`); installs nothing.
//
//   node tools/wordpress-check.mjs                 # lint + tests
//   node tools/wordpress-check.mjs --copy-assets   # first copy dist/navtalk-avatar.js (from `npm run build`) into
//                                                  # wordpress/navtalk-avatar/assets/, the copy the plugin ships
// PHP=/path/to/php overrides the binary.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wp = join(root, 'wordpress');
const php = process.env.PHP || 'php';
const started = Date.now();

const probe = spawnSync(php, ['-v'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.error(`wordpress-check: no PHP CLI found (\`${php} -v\` failed). Install one, e.g. on Debian:\n` +
    '  apt-get install -y --no-install-recommends php-cli\nor set PHP=/path/to/php.');
  process.exit(1);
}
console.log(`wordpress-check: ${probe.stdout.split('\n')[0]}`);

if (process.argv.includes('--copy-assets')) {
  const src = join(root, 'dist', 'navtalk-avatar.js');
  if (!existsSync(src)) {
    console.error('wordpress-check: dist/navtalk-avatar.js is missing (run `npm run build` first)');
    process.exit(1);
  }
  const dir = join(wp, 'navtalk-avatar', 'assets');
  mkdirSync(dir, { recursive: true });
  copyFileSync(src, join(dir, 'navtalk-avatar.js'));
  console.log('copied dist/navtalk-avatar.js -> wordpress/navtalk-avatar/assets/navtalk-avatar.js');
}

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
const files = walk(wp).filter((f) => f.endsWith('.php')).sort();
if (files.length === 0) {
  console.error('wordpress-check: no PHP files under wordpress/');
  process.exit(1);
}

let failures = 0;
for (const file of files) {
  const r = spawnSync(php, ['-l', file], { encoding: 'utf8' });
  const name = relative(root, file);
  if (r.status === 0) {
    console.log(`lint ok    ${name}`);
  } else {
    failures++;
    console.error(`lint FAIL  ${name}\n${(r.stdout || '') + (r.stderr || '')}`.trimEnd());
  }
}

const test = spawnSync(php, [join(wp, 'tests', 'shortcode-test.php')], { stdio: 'inherit' });
if (test.status !== 0) failures++;

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (failures) {
  console.error(`wordpress-check: FAILED (${failures} step${failures > 1 ? 's' : ''}) in ${secs}s`);
  process.exit(1);
}
console.log(`wordpress-check: ${files.length} PHP files lint clean, shortcode tests pass (${secs}s)`);
