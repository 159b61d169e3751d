// Starts what the browser tests talk to, for the length of the run: the simulated NavTalk server, and a second
// origin that serves dist/ like a CDN. Tests read their addresses from /__servers.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { readFileSync } from 'node:fs';
import { createSimServer } from '../../server/sim/sim-server.mjs';
import { createRelay } from '../../server/relay/relay.mjs';

/** The license the test relays hold; the browser must never see it. */
export const RELAY_TEST_LICENSE = 'relay-test-license-7f3a9c21';

/** A relay on its own loopback port in front of `upstream`. */
async function relayServer(upstream, opts, log) {
  const relay = createRelay({ license: RELAY_TEST_LICENSE, upstream, log, ...opts });
  const server = createServer((req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${server.address().port}/`,
    close: async () => {
      await relay.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
import { ensureFixtures } from '../../tools/fixtures.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;

const TYPES = { '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.html': 'text/html' };

/** The policy of the strict-CSP page: no inline script, no blob: workers or worklets. */
export const STRICT_CSP = "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:";
const CSP_FILES = { '/csp.html': 'csp/csp.html', '/csp-page.js': 'csp/csp-page.js' };

/**
 * A static file server for `root` on loopback, with CORS, as a CDN would answer; it also serves the strict-CSP
 * test page (test/csp/) with its Content-Security-Policy header.
 */
export async function staticOrigin(root, host = '127.0.0.1') {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const cspFile = CSP_FILES[path];
    try {
      const body = await readFile(cspFile ? new URL(`../${cspFile}`, import.meta.url).pathname : join(root, path));
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'access-control-allow-origin': '*',
        'content-security-policy': STRICT_CSP,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function serversPlugin() {
  let sim;
  let cdn;
  let relays = {};
  const relayLog = [];
  return {
    name: 'navtalk-test-servers',
    async serverStart({ config }) {
      sim = await createSimServer({ host: '127.0.0.1', port: 0 });
      cdn = await staticOrigin(new URL('../../dist', import.meta.url).pathname);
      const page = [`http://${config.hostname}:${config.port}`, `http://127.0.0.1:${config.port}`, `http://localhost:${config.port}`];
      const log = (line) => relayLog.push(line);
      relays = {
        open: await relayServer(sim.wsUrl, { allowedOrigins: page }, log),
        strict: await relayServer(sim.wsUrl, { allowedOrigins: ['https://only.example'] }, log),
        tight: await relayServer(sim.wsUrl, { allowedOrigins: page, maxConnectionsPerIp: 2, maxSessionMs: 1500 }, log),
      };
    },
    async serverStop() {
      await Promise.all([sim?.close(), cdn?.close(), ...Object.values(relays).map((r) => r.close())]);
    },
    serve(context) {
      if (context.path === '/__servers') {
        const relayUrls = Object.fromEntries(Object.entries(relays).map(([k, r]) => [k, r.url]));
        return { body: JSON.stringify({ simWs: sim.wsUrl, simHttp: sim.httpUrl, cdn: cdn.url, relays: relayUrls }), type: 'json' };
      }
      if (context.path === '/__relay-log') return { body: JSON.stringify(relayLog), type: 'json' };
      if (context.path === '/__fixtures') return { body: JSON.stringify(ensureFixtures()), type: 'json' };
      // dist/ on the test page's own origin, for self-hosted worker and worklet files (assets-url).
      const m = /^\/__dist\/([\w.-]+\.js)$/.exec(context.path);
      if (m) {
        try {
          return { body: readFileSync(join(DIST, m[1]), 'utf8'), type: 'js' };
        } catch {
          return undefined;
        }
      }
      return undefined;
    },
  };
}
