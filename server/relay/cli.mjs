// npm run relay: NAVTALK_LICENSE=… [RELAY_PORT=8788] [RELAY_HOST=127.0.0.1] [RELAY_ALLOWED_ORIGINS=https://a,https://b]
// [NAVTALK_UPSTREAM=wss://…] node server/relay/cli.mjs. Put it behind any TLS proxy; instances are stateless.
import { createServer } from 'node:http';
import { createRelay, DEFAULT_UPSTREAM } from './relay.mjs';

const env = process.env;
const relay = createRelay({
  license: env.NAVTALK_LICENSE ?? '',
  upstream: env.NAVTALK_UPSTREAM || DEFAULT_UPSTREAM,
  allowedOrigins: (env.RELAY_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  log: (line) => console.log(line),
});
const server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end(req.url === '/health' ? 'ok' : ''));
server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
const port = Number(env.RELAY_PORT ?? 8788);
server.listen(port, env.RELAY_HOST ?? '127.0.0.1', () => console.log(`relay: listening on ws://${env.RELAY_HOST ?? '127.0.0.1'}:${port}/ -> ${new URL(env.NAVTALK_UPSTREAM || DEFAULT_UPSTREAM).host}`));
const shutdown = async () => {
  await relay.close();
  server.close(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
