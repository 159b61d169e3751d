#!/usr/bin/env node
/**
 * @file Starts the simulated NavTalk server (v2 and legacy endpoints) on its own loopback port.
 * Usage: node server/sim/cli.mjs [--port 8787] [--host 127.0.0.1]
 */

import { parseArgs } from 'node:util';
import { createSimServer } from './sim-server.mjs';

/**
 * @param {string} text
 * @returns {number}
 */
function parsePort(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${text}`);
  return port;
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const sim = await createSimServer({ host: values.host, port: parsePort(values.port), logger: console });
  console.log(`sim: ${sim.wsUrl}`);
  console.log(`sim: legacy API ${sim.legacyWsUrl} (signaling ${sim.signalingWsUrl})`);
  console.log(`sim: control API ${sim.httpUrl}/__sim/`);
  const shutdown = async (/** @type {string} */ signal) => {
    console.log(`sim: ${signal}, closing`);
    await sim.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  console.error(`sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
