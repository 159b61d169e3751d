// Starts what the browser tests talk to, for the length of the run: the simulated NavTalk server, and a second
// origin that serves dist/ like a CDN. Tests read their addresses from /__servers.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { readFileSync } from 'node:fs';
import { createSimServer } from '../../server/sim/sim-server.mjs';
import { ensureFixtures } from '../../tools/fixtures.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;

const TYPES = { '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.html': 'text/html' };

/** A static file server for `root` on loopback, with CORS, as a CDN would answer. */
export async function staticOrigin(root, host = '127.0.0.1') {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' });
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
  return {
    name: 'navtalk-test-servers',
    async serverStart() {
      sim = await createSimServer({ host: '127.0.0.1', port: 0 });
      cdn = await staticOrigin(new URL('../../dist', import.meta.url).pathname);
    },
    async serverStop() {
      await Promise.all([sim?.close(), cdn?.close()]);
    },
    serve(context) {
      if (context.path === '/__servers') {
        return { body: JSON.stringify({ simWs: sim.wsUrl, simHttp: sim.httpUrl, cdn: cdn.url }), type: 'json' };
      }
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
