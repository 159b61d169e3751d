// npm run relay. Environment:
//   NAVTALK_LICENSE (required)            the license; it stays in this process
//   RELAY_PORT=8788 RELAY_HOST=127.0.0.1  where to listen (put a TLS proxy in front for wss://)
//   RELAY_ALLOWED_ORIGINS=https://a,https://b   page origins allowed to connect (default: same host only; * = any)
//   RELAY_MAX_PER_IP=4 RELAY_MAX_SESSIONS=100 RELAY_MAX_SESSION_MINUTES=30
//   NAVTALK_UPSTREAM=wss://…             the NavTalk endpoint (default: the v2 realtime endpoint)
//   RELAY_TRUST_PROXY=1                   behind a TLS proxy: client IP from X-Forwarded-For, host from X-Forwarded-Host
import { createServer } from 'node:http';
import { createRelay, DEFAULT_UPSTREAM, RELAY_DEFAULTS } from './relay.mjs';

const env = process.env;
const num = (v, d) => (v && Number.isFinite(Number(v)) ? Number(v) : d);
const relay = createRelay({
  license: env.NAVTALK_LICENSE ?? '',
  upstream: env.NAVTALK_UPSTREAM || DEFAULT_UPSTREAM,
  allowedOrigins: (env.RELAY_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  maxConnectionsPerIp: num(env.RELAY_MAX_PER_IP, RELAY_DEFAULTS.maxConnectionsPerIp),
  maxSessions: num(env.RELAY_MAX_SESSIONS, RELAY_DEFAULTS.maxSessions),
  maxSessionMs: num(env.RELAY_MAX_SESSION_MINUTES, RELAY_DEFAULTS.maxSessionMs / 60_000) * 60_000,
  trustProxy: env.RELAY_TRUST_PROXY === '1',
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
const server = createServer((req, res) => {
  const ok = req.url === '/health';
  res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' }).end(ok ? `ok ${relay.size}\n` : '');
});
server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
const port = num(env.RELAY_PORT, 8788);
const host = env.RELAY_HOST ?? '127.0.0.1';
server.listen(port, host, () => console.log(`relay: listening on ws://${host}:${port}/ -> ${new URL(env.NAVTALK_UPSTREAM || DEFAULT_UPSTREAM).host}`));
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('relay: shutting down');
  server.close();
  await relay.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
