// npm start: the demo (Vite dev server) with the simulated NavTalk server on the same port.
// With NAVTALK_LICENSE set, the demo talks to the real service through the relay mounted at /navtalk instead;
// the license stays in this process.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createServer } from 'vite';
import { createSimServer } from '../server/sim/sim-server.mjs';
import { createRelay } from '../server/relay/relay.mjs';

const env = process.env;
const host = env.HOST || '127.0.0.1';
const port = Number(env.PORT || 5173);
const RELAY_PATH = '/navtalk';
const STRICT_CSP = "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:";
const ROOT = new URL('..', import.meta.url).pathname;

/** /strict-csp/: the built element (dist/) and demo/strict-csp/, served with a strict Content-Security-Policy. */
function strictCspPage(req, res, next) {
  const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'index.html';
  if (!/^[\w.-]+$/.test(name)) return next();
  const file = [join(ROOT, 'demo/strict-csp', name), join(ROOT, 'dist', name)].find((f) => existsSync(f));
  if (!file) return next();
  const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-security-policy': STRICT_CSP });
  res.end(readFileSync(file));
}

// The strict-CSP page serves the built bundle: build it once if there is none yet.
if (!existsSync(join(ROOT, 'dist/navtalk-avatar.js'))) execFileSync(process.execPath, [join(ROOT, 'tools/build.mjs')], { stdio: 'inherit' });

function demoServers() {
  let sim;
  let relay;
  return {
    name: 'navtalk-demo-servers',
    async configureServer(server) {
      sim = await createSimServer({ httpServer: server.httpServer });
      server.middlewares.use(sim.middleware);
      server.middlewares.use('/strict-csp', strictCspPage);
      if (env.NAVTALK_LICENSE) {
        relay = createRelay({ license: env.NAVTALK_LICENSE, upstream: env.NAVTALK_UPSTREAM || undefined, log: (l) => console.log(l) });
        server.httpServer.on('upgrade', (req, socket, head) => {
          if (new URL(req.url, 'http://x').pathname === RELAY_PATH) relay.handleUpgrade(req, socket, head);
        });
      }
      server.middlewares.use('/__demo-config', (req, res) => {
        const wsBase = `ws://${req.headers.host}`;
        const live = Boolean(relay);
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            serverUrl: live ? `${wsBase}${RELAY_PATH}` : `${wsBase}/wss/v2/realtime-chat`,
            simulated: !live,
            avatarId: live ? env.NAVTALK_AVATAR_ID || undefined : 'sim-avatar',
            character: live ? env.NAVTALK_CHARACTER || (env.NAVTALK_AVATAR_ID ? undefined : 'navtalk.Lily') : undefined,
          }),
        );
      });
      server.httpServer.once('close', () => {
        void sim?.close();
        void relay?.close();
      });
    },
  };
}

const server = await createServer({
  root: new URL('../demo', import.meta.url).pathname,
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host, port, strictPort: false },
  plugins: [demoServers()],
});
await server.listen();
const url = server.resolvedUrls?.local?.[0] ?? `http://${host}:${port}/`;
console.log(`\n  navtalk-avatar demo: ${url}`);
console.log(`  under a strict Content-Security-Policy: ${url}strict-csp/`);
console.log(env.NAVTALK_LICENSE ? '  talking to NavTalk through the relay (license kept server-side)\n' : '  talking to the built-in simulated NavTalk server (no license needed)\n');
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
