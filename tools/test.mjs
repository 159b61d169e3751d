// npm test: build (the CDN bundle is under test too), then web-test-runner in a loopback-only network
// namespace when this machine lets us make one (root + unshare), so no test can reach anything but 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const args = process.argv.slice(2);

if (process.env.NAVTALK_SKIP_BUILD !== '1') execFileSync(process.execPath, [new URL('./build.mjs', import.meta.url).pathname], { stdio: 'inherit' });

const canIsolate = !process.env.NAVTALK_NO_NETNS && spawnSync('unshare', ['--net', 'true']).status === 0;
const wtr = [bin('web-test-runner'), ...args];
const result = canIsolate
  ? spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up 2>/dev/null || true; exec "$@"', 'sh', ...wtr], { stdio: 'inherit', env: { ...process.env, NAVTALK_NETNS: '1' } })
  : spawnSync(wtr[0], wtr.slice(1), { stdio: 'inherit' });
if (!canIsolate) console.log('test: ran without a network namespace (unshare not permitted here)');
process.exit(result.status ?? 1);
