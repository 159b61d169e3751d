// npm run examples: type-checks and builds the framework examples (demo/react, demo/vue), each with its own
// tsconfig.json and vite.config.ts, into dist-examples/<name>/. Exits non-zero when any step fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const only = process.argv.slice(2);
const examples = ['react', 'vue'].filter((name) => only.length === 0 || only.includes(name));

const results = [];

async function step(label, run) {
  const t0 = performance.now();
  let ok = false;
  try {
    ok = (await run()) !== false;
  } catch (err) {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
  }
  const ms = Math.round(performance.now() - t0);
  results.push({ label, ok, ms });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} (${ms} ms)`);
}

for (const name of examples) {
  const dir = join(root, 'demo', name);
  await step(`${name}: tsc -p demo/${name}/tsconfig.json --noEmit`, () => {
    const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--noEmit'], { cwd: root, stdio: 'inherit' });
    return r.status === 0;
  });
  await step(`${name}: vite build --config demo/${name}/vite.config.ts`, async () => {
    await build({ configFile: join(dir, 'vite.config.ts'), logLevel: 'warn' });
    const out = join(root, 'dist-examples', name, 'index.html');
    if (!existsSync(out)) {
      console.error(`missing ${out}`);
      return false;
    }
    return true;
  });
}

const failed = results.filter((r) => !r.ok);
console.log(`\nexamples: ${results.length - failed.length}/${results.length} steps passed`);
process.exit(failed.length ? 1 : 0);
