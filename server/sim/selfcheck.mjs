#!/usr/bin/env node
/**
 * @file Self-check of the simulator: starts it on port 0, drives it with a `ws` client through the protocol
 * script, prints PASS/FAIL per check and exits non-zero on any failure (or if handles leak after close).
 * The WebRTC side has its own self-check, selfcheck-webrtc.mjs.
 * Usage: node server/sim/selfcheck.mjs
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import { Client, append, inputConfig, logOf, post, sleep, toneChunks, urlWith as anyUrl, userText } from './selfcheck-client.mjs';
import { createSimServer, simMiddleware } from './sim-server.mjs';

const SECRET = 'sk-selfcheck-SECRET-0123456789';
const WEATHER_TOOL = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/**
 * A connection URL for the protocol checks: the simulator's WebRTC media stays off (`simOffer=off`) unless a
 * check asks for it; selfcheck-webrtc.mjs covers WebRTC.
 * @param {string} base ws URL of the simulator
 * @param {Record<string, string>} params
 */
function urlWith(base, params) {
  return anyUrl(base, { simOffer: 'off', ...params });
}

/** @param {{deltas: any[], done: any}} turn */
function assertDeltasMatchDone(turn) {
  assert.equal(turn.deltas.map((d) => d.data.content ?? d.data.delta).join(''), turn.done.data.content ?? turn.done.data.transcript);
  assert.ok(turn.deltas.length > 1, 'a reply arrives in several deltas');
}

/**
 * Connects with a license that must be refused and checks the event, the top-level message and the close.
 * @param {string} wsUrl
 * @param {Record<string, string>} params
 * @param {string} type
 * @param {string} message
 */
async function expectRefusal(wsUrl, params, type, message) {
  const client = await Client.open(urlWith(wsUrl, params));
  const event = await client.next(() => true);
  assert.equal(event.type, type);
  assert.equal(event.message, message);
  assert.deepEqual(event.data, {});
  const { code } = await client.closed;
  assert.equal(code, 1000);
  assert.ok(!client.messages.some((msg) => msg.type === 'conversation.connected.success'), 'no success before a refusal');
}

/**
 * @param {Awaited<ReturnType<typeof createSimServer>>} sim
 * @returns {[string, () => Promise<void>][]}
 */
function checks(sim) {
  const ws = sim.wsUrl;
  return [
    ['health + CORS preflight', async () => {
      const health = await fetch(`${sim.httpUrl}/__sim/health`);
      assert.deepEqual(await health.json(), { ok: true });
      assert.equal(health.headers.get('access-control-allow-origin'), '*');
      const preflight = await fetch(`${sim.httpUrl}/__sim/send`, { method: 'OPTIONS' });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    }],

    ['connect + input_config + history', async () => {
      const client = await Client.open(urlWith(ws, { license: SECRET, avatarId: 'avatar-1', simTag: 'connect', simUpdateDelay: '300' }), (c) =>
        c.send(inputConfig({ voice: 'cedar', prompt: 'Be brief.', tools: [WEATHER_TOOL] })),
      );
      const success = await client.next('conversation.connected.success');
      assert.match(success.data.sessionId, /^sim-[0-9a-f-]{36}$/);
      assert.deepEqual(success.data.iceServers, []);
      await client.next('realtime.session.created');
      client.send(userText('My name is Ada.'));
      client.send(userText('I like tea.'));
      await client.waitSessionUpdated();
      assert.deepEqual(client.messages.map((m) => m.type), ['conversation.connected.success', 'realtime.session.created', 'realtime.session.updated']);
      await client.close();
      const log = await logOf(sim, 'connect');
      assert.deepEqual(log.inputConfig, { voice: 'cedar', prompt: 'Be brief.', tools: [WEATHER_TOOL] });
      assert.deepEqual(log.tools, [{ name: 'get_weather', description: WEATHER_TOOL.description, parameters: WEATHER_TOOL.parameters }]);
      assert.deepEqual(log.conversation, [
        { role: 'user', text: 'My name is Ada.', history: true },
        { role: 'user', text: 'I like tea.', history: true },
      ]);
      assert.equal(log.hasLicense, true);
      assert.equal(log.query.license, undefined);
      assert.equal(log.closeCode, 1000);
      assert.deepEqual(log.errors, []);
      const all = JSON.stringify(await (await fetch(`${sim.httpUrl}/__sim/log`)).json());
      assert.ok(!all.includes('SECRET'), 'the license never appears in logs');
    }],

    ['greeting turn', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '5' }));
      await client.waitSessionUpdated();
      client.send({ type: 'response.create' });
      const turn = await client.turn();
      assert.equal(turn.done.data.content, 'Hello! I am the NavTalk simulator. How can I help you?');
      assert.equal(turn.done.data.id, 'resp_1');
      assert.deepEqual(turn.audioDone.data, { id: 'resp_1' });
      assertDeltasMatchDone(turn);
      await client.close();
    }],

    ['text turn', async () => {
      const client = await Client.open(urlWith(ws, { name: 'navtalk.Lily', simDelay: '5', simTag: 'text' }));
      await client.waitSessionUpdated();
      client.send(userText('How are you today?'));
      client.send({ type: 'response.create' });
      const turn = await client.turn();
      assert.equal(turn.done.data.content, 'You said: How are you today?');
      assertDeltasMatchDone(turn);
      await client.close();
      const log = await logOf(sim, 'text');
      assert.deepEqual(log.conversation, [
        { role: 'user', text: 'How are you today?', history: false },
        { role: 'assistant', text: 'You said: How are you today?', history: false },
      ]);
    }],

    ['weather function call (string arguments)', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '5', simTag: 'fn-string' }), (c) =>
        c.send(inputConfig({ voice: 'marin', prompt: 'p', tools: [WEATHER_TOOL] })),
      );
      await client.waitSessionUpdated();
      client.send(userText("What's the weather in Paris?"));
      client.send({ type: 'response.create' });
      const done = await client.next('realtime.response.function_call_arguments.done');
      const deltas = client.messages.filter((m) => m.type === 'realtime.response.function_call_arguments.delta');
      assert.equal(done.data.function_name, 'get_weather');
      assert.equal(done.data.name, 'get_weather');
      assert.equal(done.data.arguments, '{"city":"Paris"}');
      assert.equal(deltas.map((d) => d.data.delta).join(''), done.data.arguments);
      assert.ok(deltas.every((d) => d.data.call_id === done.data.call_id));
      assert.deepEqual(done.raw_data, {
        type: 'response.function_call_arguments.done', name: 'get_weather', call_id: done.data.call_id,
        arguments: '{"city":"Paris"}', response_id: 'resp_1', item_id: 'item_1', output_index: 0, event_id: 'event_1',
      });
      client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: done.data.call_id, output: '{"tempC":21}' } });
      await sleep(150);
      assert.ok(!client.messages.some((m) => m.type === 'realtime.response.audio_transcript.delta'), 'silent without response.create');
      client.send({ type: 'response.create' });
      const turn = await client.turn();
      assert.equal(turn.done.data.content, 'The get_weather result is: {"tempC":21}');
      await client.close();
      const log = await logOf(sim, 'fn-string');
      assert.deepEqual(log.functionOutputs, [{ call_id: done.data.call_id, output: '{"tempC":21}' }]);
      assert.deepEqual(log.errors, []);
    }],

    ['weather function call (object arguments, input_function_call)', async () => {
      const { type, ...bareTool } = WEATHER_TOOL;
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '5', simArgs: 'object', simTag: 'fn-object' }), (c) =>
        c.send({ type: 'realtime.input_function_call', data: { content: JSON.stringify([bareTool]) } }),
      );
      await client.waitSessionUpdated();
      client.send(userText('Weather in tokyo please'));
      client.send({ type: 'response.create' });
      const done = await client.next('realtime.response.function_call_arguments.done');
      assert.deepEqual(done.data.arguments, { city: 'Tokyo' });
      assert.equal(done.raw_data.arguments, '{"city":"Tokyo"}');
      client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_999', output: 'x' } });
      client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: done.data.call_id, output: { not: 'a string' } } });
      client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: done.data.call_id, output: 'Sunny' } });
      client.send({ type: 'response.create' });
      assert.equal((await client.turn()).done.data.content, 'The get_weather result is: Sunny');
      await client.close();
      const log = await logOf(sim, 'fn-object');
      assert.deepEqual(log.tools.length, 1);
      assert.ok(log.errors.some((e) => e.includes('call_999') && e.includes('not pending')));
      assert.ok(log.errors.some((e) => e.includes('output must be a string')));
    }],

    ['transcript field styles (simFields=delta, both)', async () => {
      const old = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFields: 'delta' }));
      await old.waitSessionUpdated();
      old.send({ type: 'response.create' });
      const oldTurn = await old.turn();
      assert.deepEqual(Object.keys(oldTurn.deltas[0].data).sort(), ['delta', 'response_id']);
      assert.deepEqual(Object.keys(oldTurn.done.data).sort(), ['response_id', 'transcript']);
      const both = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFields: 'both' }));
      await both.waitSessionUpdated();
      both.send({ type: 'response.create' });
      const bothTurn = await both.turn();
      assert.deepEqual(Object.keys(bothTurn.deltas[0].data).sort(), ['content', 'delta', 'id', 'response_id']);
      assert.deepEqual(Object.keys(bothTurn.done.data).sort(), ['content', 'id', 'response_id', 'transcript']);
      await Promise.all([old.close(), both.close()]);
    }],

    ['error licenses and avatars refuse before success', async () => {
      const cases = [
        [{ license: 'bad-license', avatarId: 'a' }, 'conversation.connected.fail', 'Invalid license key'],
        [{ license: 'no-balance', avatarId: 'a' }, 'conversation.connected.insufficient_balance', 'Insufficient balance to continue service'],
        [{ license: 'limit', avatarId: 'a' }, 'conversation.connected.connection_limit_exceeded', 'Maximum concurrent connections (5) exceeded'],
        [{ license: 'gpu-full', avatarId: 'a' }, 'conversation.connected.gpu_full', 'No GPU available, please try again later'],
        [{ license: 'backend-error', avatarId: 'a' }, 'conversation.connected.backend_error', 'Backend error'],
        [{ license: 'ok' }, 'conversation.connected.fail', 'Avatar not found'],
        [{ avatarId: 'unknown' }, 'conversation.connected.fail', 'Avatar not found'],
      ];
      for (const [params, type, message] of /** @type {[Record<string, string>, string, string][]} */ (cases)) {
        await expectRefusal(ws, params, type, message);
      }
    }],

    ['warning after success (ambiguous name, simWarn)', async () => {
      for (const params of /** @type {Record<string, string>[]} */ ([{ name: 'navtalk.Twins' }, { avatarId: 'a', simWarn: '1' }])) {
        const client = await Client.open(urlWith(ws, params));
        await client.waitSessionUpdated();
        assert.deepEqual(client.messages.map((m) => m.type), [
          'conversation.connected.success', 'conversation.connected.warning', 'realtime.session.created', 'realtime.session.updated',
        ]);
        assert.equal(typeof client.messages[1].data.avatarId, 'string');
        assert.equal(typeof client.messages[1].message, 'string');
        await client.close();
      }
    }],

    ['mid-session errors (simError) then close 1000', async () => {
      const kinds = ['fail', 'close', 'insufficient_balance', 'connection_limit_exceeded', 'gpu_full', 'backend_error'];
      await Promise.all(kinds.map(async (kind) => {
        const client = await Client.open(urlWith(ws, { avatarId: 'a', simError: kind, simErrorAfter: '40' }));
        await client.waitSessionUpdated();
        const event = await client.next(`conversation.connected.${kind}`);
        assert.equal(typeof event.message, 'string');
        assert.deepEqual(event.data, {});
        assert.equal((await client.closed).code, 1000);
      }));
    }],

    ['audio: VAD turn, stats, dominant frequency, validation', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simSay: 'Testing one two', simTag: 'audio' }), (c) =>
        c.send(append(toneChunks({ hz: 300, amplitude: 0.001, ms: 20 })[0])),
      );
      await client.waitSessionUpdated();
      const tone = toneChunks({ hz: 440, amplitude: 0.3, ms: 1000 });
      tone.forEach((chunk, i) => client.send(i === 0 ? { type: 'input_audio_buffer.append', audio: chunk } : append(chunk)));
      toneChunks({ hz: 440, amplitude: 0, ms: 800 }).forEach((chunk) => client.send(append(chunk)));
      client.send(append('not base64!'));
      client.send(append('AA=='));
      await client.next('realtime.input_audio_buffer.speech_started');
      await client.next('realtime.input_audio_buffer.speech_stopped');
      const heard = await client.next('realtime.conversation.item.input_audio_transcription.completed');
      assert.equal(heard.data.content, 'Testing one two');
      assert.equal((await client.turn()).done.data.content, 'You said: Testing one two');
      await client.close();
      const { audio, errors } = await logOf(sim, 'audio');
      assert.equal(audio.chunks, 1 + 10 + 8);
      assert.equal(audio.samples, 480 + 24000 + 19200);
      assert.equal(audio.durationMs, 20 + 1000 + 800);
      assert.equal(audio.chunkSamples.length, 19);
      assert.equal(audio.appendsBeforeUpdated, 1);
      assert.ok(audio.firstAppendMs !== null && audio.firstAppendMs >= 0);
      assert.ok(audio.firstAppendAfterUpdatedMs !== null && audio.firstAppendAfterUpdatedMs < 0);
      const expectedRms = Math.sqrt((0.3 ** 2 / 2) * (1000 / 1820));
      assert.ok(Math.abs(audio.rms - expectedRms) < 0.005, `rms ${audio.rms} ≈ ${expectedRms}`);
      assert.ok(audio.dominantHz !== null && Math.abs(audio.dominantHz - 440) < 1, `dominantHz ${audio.dominantHz} ≈ 440`);
      assert.ok(errors.some((e) => e.includes('not valid base64')));
      assert.ok(errors.some((e) => e.includes('odd byte length')));
    }],

    ['audio: dominant frequency resolution (1234.5 Hz, 2 s window)', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simTag: 'pitch' }));
      await client.waitSessionUpdated();
      toneChunks({ hz: 1234.5, amplitude: 0.01, ms: 3000 }).forEach((chunk) => client.send(append(chunk)));
      await sleep(100);
      const { audio } = await logOf(sim, 'pitch');
      await client.close();
      assert.equal(audio.samples, 72000);
      assert.ok(audio.dominantHz !== null && Math.abs(audio.dominantHz - 1234.5) < 0.5, `dominantHz ${audio.dominantHz} ≈ 1234.5`);
    }],

    ['barge-in cancels the running turn', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '150' }));
      await client.waitSessionUpdated();
      client.send({ type: 'response.create' });
      await client.next('realtime.response.audio_transcript.delta');
      toneChunks({ hz: 300, amplitude: 0.2, ms: 200 }).forEach((chunk) => client.send(append(chunk)));
      await client.next('realtime.input_audio_buffer.speech_started');
      const deltasAtBargeIn = client.messages.filter((m) => m.type === 'realtime.response.audio_transcript.delta').length;
      await sleep(450);
      const later = client.messages.filter((m) => m.type.startsWith('realtime.response.'));
      assert.equal(later.length, deltasAtBargeIn, 'no response frames after speech_started');
      await client.close();
    }],

    ['image input', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simTag: 'image' }));
      await client.waitSessionUpdated();
      client.send({ type: 'realtime.input_image', data: { content: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==', reply: 0 } });
      client.send({ type: 'realtime.input_image', data: { content: 'data:image/png;base64,iVBORw0KGgo=', reply: 1 } });
      client.send({ type: 'realtime.input_image', data: { content: 'http://example.invalid/x.jpg', reply: 1 } });
      assert.equal((await client.turn()).done.data.content, 'I see an image.');
      await client.close();
      const log = await logOf(sim, 'image');
      assert.deepEqual(log.images.map((i) => [i.mime, i.bytes, i.reply]), [['image/jpeg', 10, 0], ['image/png', 8, 1]]);
      assert.ok(log.errors.some((e) => e.includes('realtime.input_image')));
    }],

    ['validation errors: unknown type, non-JSON, binary, bad shapes', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simTag: 'garbage' }));
      await client.waitSessionUpdated();
      client.send({ type: 'no.such.type' });
      client.send('{not json');
      client.send('[1,2]');
      client.ws.send(Buffer.from([1, 2, 3]));
      client.send({ type: 'conversation.item.create', data: { item: {} } });
      client.send({ type: 'realtime.input_config', data: { content: '{bad' } });
      for (const type of ['realtime.input_text', 'realtime.input_audio_buffer.clear', 'realtime.input_audio_buffer.commit', 'session.update', 'webrtc.signaling.answer', 'webrtc.signaling.iceCandidate']) {
        client.send({ type, data: {} });
      }
      await sleep(100);
      await client.close();
      const log = await logOf(sim, 'garbage');
      const expected = ['unknown type: no.such.type', 'text frame is not JSON', 'frame is not a JSON object', 'binary frame', 'missing top-level item', 'not valid JSON'];
      for (const text of expected) assert.ok(log.errors.some((e) => e.includes(text)), `error containing "${text}"`);
      assert.equal(log.errors.length, expected.length, `only the expected errors: ${JSON.stringify(log.errors)}`);
      assert.ok(log.received.some((r) => r.type === 'webrtc.signaling.answer'));
    }],

    ['control API: send frames, binary, close', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simTag: 'ctl' }));
      await client.waitSessionUpdated();
      const frames = [{ type: 'custom.event', data: { x: 1 } }, 'garbage{', { binary: Buffer.from('abc').toString('base64') }, { close: { code: 4001, reason: 'bye' } }];
      const { status, body } = await post(sim, 'send?tag=ctl', { frames });
      assert.equal(status, 200);
      assert.equal(body.sent, 4);
      const closed = await client.closed;
      assert.deepEqual(closed, { code: 4001, reason: 'bye' });
      const tail = client.messages.slice(-3);
      assert.deepEqual(tail[0], { type: 'custom.event', data: { x: 1 } });
      assert.deepEqual(tail[1], { raw: 'garbage{' });
      assert.equal(tail[2].binary.toString(), 'abc');
      const bad = await post(sim, 'send?tag=ctl', { frames: [{ close: { code: 1006 } }] });
      assert.equal(bad.body.sent, 0);
      assert.equal(bad.body.errors.length, 1);
      assert.equal((await post(sim, 'send', { nope: 1 })).status, 400);
    }],

    ['reset clears logs', async () => {
      assert.equal((await post(sim, 'reset')).status, 200);
      const body = await (await fetch(`${sim.httpUrl}/__sim/log`)).json();
      assert.deepEqual(body.sessions, []);
    }],

    ['two servers share no state', async () => {
      const other = await createSimServer();
      try {
        const client = await Client.open(urlWith(other.wsUrl, { avatarId: 'a', simTag: 'isolated' }));
        await client.waitSessionUpdated();
        await client.close();
        await logOf(other, 'isolated');
        const mine = await (await fetch(`${sim.httpUrl}/__sim/log?tag=isolated`)).json();
        assert.deepEqual(mine.sessions, []);
      } finally {
        await other.close();
      }
    }],

    ['attach to an existing http server + simMiddleware', async () => {
      const server = http.createServer((req, res) => simMiddleware(req, res, () => res.writeHead(418).end()));
      const attached = await createSimServer({ httpServer: server });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
      try {
        assert.deepEqual(await (await fetch(`${attached.httpUrl}/__sim/health`)).json(), { ok: true });
        assert.equal((await fetch(`${attached.httpUrl}/other`)).status, 418);
        const client = await Client.open(urlWith(attached.wsUrl, { avatarId: 'a', simTag: 'attached' }));
        await client.waitSessionUpdated();
        await attached.close();
        assert.equal((await client.closed).code, 1006, 'close() terminates open sockets');
        assert.equal((await fetch(`${attached.httpUrl}/__sim/health`)).status, 418, 'detached after close');
      } finally {
        await attached.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve(undefined)));
      }
    }],
  ];
}

async function main() {
  const sim = await createSimServer();
  let failures = 0;
  for (const [name, run] of checks(sim)) {
    try {
      await run();
      console.log(`PASS ${name}`);
    } catch (error) {
      failures += 1;
      console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const openClient = await Client.open(urlWith(sim.wsUrl, { avatarId: 'a' }));
  await sim.close();
  await openClient.closed;
  console.log(failures === 0 ? 'selfcheck: all checks passed' : `selfcheck: ${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
  // Nothing may keep the process alive after close(); this unref'd timer only fires if something does.
  setTimeout(() => {
    console.log('FAIL process still alive 2 s after close(): leaked handles');
    process.exit(1);
  }, 2000).unref();
}

main().catch((error) => {
  console.log(`FAIL selfcheck crashed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
