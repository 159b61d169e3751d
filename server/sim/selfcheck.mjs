#!/usr/bin/env node
/**
 * @file Self-check of the simulator: starts it on port 0, drives it with a `ws` client through the protocol
 * script (v2 and legacy v1), the injected faults and the control API, prints PASS/FAIL per check and exits
 * non-zero on any failure (or if handles leak after close).
 * The WebRTC side (v2 and legacy signaling) has its own self-check, selfcheck-webrtc.mjs.
 * Usage: node server/sim/selfcheck.mjs
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import {
  Client,
  append,
  inputConfig,
  logOf,
  post,
  replyWords,
  sleep,
  toneChunks,
  urlWith as anyUrl,
  userText,
  waitFor,
  finishSelfcheck,
  runChecks,
  runSelfcheck,
} from './selfcheck-client.mjs';
import { HUGE_CONTENT_CHARS } from './faults.mjs';
import { createSimServer, simMiddleware } from './sim-server.mjs';

const SECRET = 'sk-selfcheck-SECRET-0123456789';
const GREETING = 'Hello! I am the NavTalk simulator. How can I help you?';
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

/** @param {any} msg a frame the test client got */
const isJunkText = (msg) => msg.raw !== undefined;
/** @param {any} msg */
const isUntypedJson = (msg) => msg.raw === undefined && msg.binary === undefined && msg.type === undefined;
/** @param {any} msg */
const isBinary = (msg) => Buffer.isBuffer(msg.binary);

/**
 * Waits for the 5 junk text frames and 2 untyped JSON frames of a `garbage` fault.
 * @param {Client} client
 */
async function expectGarbage(client) {
  for (let i = 0; i < 5; i++) {
    const junk = await client.next(isJunkText);
    assert.throws(() => JSON.parse(junk.raw), 'junk is not JSON');
    assert.match(junk.raw, /^[!-~]+$/, 'junk is printable');
  }
  for (let i = 0; i < 2; i++) await client.next(isUntypedJson);
}

/**
 * Waits for one legacy reply: its flat transcript deltas, transcript done, audio done and response done.
 * @param {Client} client
 */
async function legacyTurn(client) {
  const done = await client.next('response.audio_transcript.done');
  const deltas = client.messages.filter((m) => m.type === 'response.audio_transcript.delta' && m.response_id === done.response_id);
  const audioDone = await client.next('response.audio.done');
  const responseDone = await client.next('response.done');
  return { deltas, done, audioDone, responseDone };
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

    ['fault drop-mid-turn: 1006 once about half of the deltas went out', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '20', simFault: 'drop-mid-turn', simTag: 'f-drop' }));
      await client.waitSessionUpdated();
      client.send({ type: 'response.create' });
      assert.equal((await client.closed).code, 1006);
      const deltas = client.messages.filter((m) => m.type === 'realtime.response.audio_transcript.delta');
      assert.equal(deltas.length, Math.ceil(replyWords(GREETING).length / 2), 'dropped after delta ⌈n/2⌉');
      assert.ok(!client.messages.some((m) => m.type === 'realtime.response.audio_transcript.done'));
      await sleep(50);
      const log = await logOf(sim, 'f-drop');
      assert.deepEqual(log.faults.map((f) => [f.kind, f.via, f.responseId]), [['drop-mid-turn', 'query', 'resp_1']]);
      assert.ok(log.faults[0].atMs >= /** @type {number} */ (log.sessionUpdatedMs));
      assert.equal(log.closeCode, 1006);
    }],

    ['fault garbage (simFaultAfter=250): 5 non-JSON + 2 untyped JSON frames, then normal', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFault: 'garbage', simFaultAfter: '250', simTag: 'f-garbage' }));
      await client.waitSessionUpdated();
      const updatedAt = performance.now();
      await expectGarbage(client);
      assert.ok(performance.now() - updatedAt >= 200, 'junk waits for simFaultAfter');
      client.send(userText('Still there?'));
      client.send({ type: 'response.create' });
      assert.equal((await client.turn()).done.data.content, 'You said: Still there?');
      await client.close();
      const log = await logOf(sim, 'f-garbage');
      assert.deepEqual(log.faults.map((f) => [f.kind, f.via]), [['garbage', 'query']]);
      assert.ok(log.faults[0].atMs - /** @type {number} */ (log.sessionUpdatedMs) >= 249, 'fired simFaultAfter ms after session.updated');
      assert.equal(log.sent.filter((f) => f.type === '(raw)').length, 5);
    }],

    ['fault binary: 3 binary frames, then normal', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFault: 'binary', simTag: 'f-binary' }));
      await client.waitSessionUpdated();
      for (let i = 0; i < 3; i++) assert.ok((await client.next(isBinary)).binary.length > 0);
      client.send({ type: 'response.create' });
      assert.equal((await client.turn()).done.data.content, GREETING);
      await client.close();
      assert.equal((await logOf(sim, 'f-binary')).faults[0].kind, 'binary');
    }],

    ['fault huge: one 10 MB transcript delta, then normal', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFault: 'huge', simTag: 'f-huge' }));
      await client.waitSessionUpdated();
      const huge = await client.next((m) => m.data?.id === 'huge');
      assert.equal(huge.type, 'realtime.response.audio_transcript.delta');
      assert.equal(huge.data.content.length, HUGE_CONTENT_CHARS);
      assert.match(huge.data.content, /^x+$/);
      client.send({ type: 'response.create' });
      assert.equal((await client.turn()).done.data.content, GREETING);
      await client.close();
      const log = await logOf(sim, 'f-huge');
      assert.equal(log.faults[0].kind, 'huge');
      assert.ok(JSON.stringify(log).length < 1e6, 'the log keeps a shortened copy');
    }],

    ['fault out-of-order: done frames first, a delta for an unknown id, then the deltas; next turn normal', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFault: 'out-of-order', simTag: 'f-order' }));
      await client.waitSessionUpdated();
      client.send({ type: 'response.create' });
      const words = replyWords(GREETING).length;
      await waitFor(() => client.messages.filter((m) => m.type === 'realtime.response.audio_transcript.delta').length === words + 1, 'the deltas');
      const turn = client.messages.filter((m) => m.type?.startsWith('realtime.response.'));
      assert.deepEqual(turn.slice(0, 3).map((m) => m.type), [
        'realtime.response.audio_transcript.done', 'realtime.response.audio.done', 'realtime.response.audio_transcript.delta',
      ]);
      assert.equal(turn[0].data.id, 'resp_1');
      assert.equal(turn[2].data.id, 'resp_1_ghost', 'a delta for an id that never started');
      assert.equal(turn.slice(3).map((m) => m.data.content).join(''), turn[0].data.content);
      assert.ok(turn.slice(3).every((m) => m.data.id === 'resp_1'));
      client.send(userText('Again'));
      client.send({ type: 'response.create' });
      await client.next((m) => m.type === 'realtime.response.audio.done' && m.data.id === 'resp_2');
      const order = client.messages.filter((m) => m.type?.startsWith('realtime.response.') && m.data.id === 'resp_2').map((m) => m.type);
      assert.deepEqual(order.slice(-2), ['realtime.response.audio_transcript.done', 'realtime.response.audio.done']);
      await client.close();
      const log = await logOf(sim, 'f-order');
      assert.deepEqual(log.faults.map((f) => [f.kind, f.via, f.responseId]), [['out-of-order', 'query', 'resp_1']]);
    }],

    ['fault stall: nothing at all (no success) for 1 s; input still read and logged', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simFault: 'stall', simFaultAfter: '5000', simTag: 'f-stall' }), (c) =>
        c.send(inputConfig({ voice: 'cedar', prompt: 'p' })),
      );
      client.send(userText('Hello?'));
      client.send({ type: 'response.create' });
      client.send(append(toneChunks({ hz: 440, amplitude: 0.3, ms: 100 })[0]));
      await sleep(1000);
      assert.deepEqual(client.messages, [], 'nothing sent');
      assert.equal(client.ws.readyState, WebSocket.OPEN);
      const log = await logOf(sim, 'f-stall');
      await client.close();
      assert.deepEqual(log.faults.map((f) => [f.kind, f.via]), [['stall', 'query']]);
      assert.deepEqual(log.sent, []);
      assert.deepEqual(log.received.map((r) => r.type), ['realtime.input_config', 'conversation.item.create', 'response.create', 'realtime.input_audio_buffer.append']);
      assert.deepEqual(log.inputConfig, { voice: 'cedar', prompt: 'p', tools: null });
      assert.equal(log.audio.chunks, 1);
    }],

    ['fault stall-after-ready: session.updated, then silence with the socket open', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simFault: 'stall-after-ready', simTag: 'f-stall-ready' }));
      await client.waitSessionUpdated();
      await sleep(20);
      client.send({ type: 'response.create' });
      client.send(userText('Anyone?'));
      client.send({ type: 'response.create' });
      toneChunks({ hz: 440, amplitude: 0.3, ms: 600 }).forEach((chunk) => client.send(append(chunk)));
      await sleep(1000);
      assert.deepEqual(client.messages.map((m) => m.type), ['conversation.connected.success', 'realtime.session.created', 'realtime.session.updated']);
      assert.equal(client.ws.readyState, WebSocket.OPEN);
      await client.close();
      const log = await logOf(sim, 'f-stall-ready');
      assert.deepEqual(log.faults.map((f) => f.kind), ['stall-after-ready']);
      assert.equal(log.audio.chunks, 6);
    }],

    ['control API faults: {fault} body and frame, turn faults, stall', async () => {
      const client = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simTag: 'f-ctl' }));
      await client.waitSessionUpdated();
      assert.deepEqual((await post(sim, 'send?tag=f-ctl', { fault: 'binary' })).body, { sent: 1, errors: [] });
      for (let i = 0; i < 3; i++) await client.next(isBinary);
      assert.equal((await post(sim, 'send?tag=f-ctl', { frames: [{ fault: 'garbage' }] })).body.sent, 1);
      await expectGarbage(client);
      const bad = await post(sim, 'send?tag=f-ctl', { fault: 'nope' });
      assert.equal(bad.body.sent, 0);
      assert.equal(bad.body.errors.length, 1);
      assert.equal((await post(sim, 'send?tag=f-ctl', { frames: 'x' })).status, 400);
      await post(sim, 'send?tag=f-ctl', { fault: 'out-of-order' });
      client.send({ type: 'response.create' });
      const first = await client.next((m) => m.type?.startsWith('realtime.response.'));
      assert.equal(first.type, 'realtime.response.audio_transcript.done');
      await waitFor(() => client.messages.filter((m) => m.type === 'realtime.response.audio_transcript.delta').length === replyWords(GREETING).length + 1, 'the deltas');
      await post(sim, 'send?tag=f-ctl', { fault: 'drop-mid-turn' });
      client.send(userText('one two three four five six seven eight'));
      client.send({ type: 'response.create' });
      assert.equal((await client.closed).code, 1006);
      const deltas = client.messages.filter((m) => m.type === 'realtime.response.audio_transcript.delta' && m.data.id === 'resp_2');
      assert.equal(deltas.length, Math.ceil(replyWords('You said: one two three four five six seven eight').length / 2));
      await sleep(50);
      const log = await logOf(sim, 'f-ctl');
      assert.deepEqual(log.faults.map((f) => [f.kind, f.via]), [['binary', 'control'], ['garbage', 'control'], ['out-of-order', 'control'], ['drop-mid-turn', 'control']]);

      const stalled = await Client.open(urlWith(ws, { avatarId: 'a', simDelay: '1', simTag: 'f-ctl-stall' }));
      await stalled.waitSessionUpdated();
      assert.equal((await post(sim, 'send?tag=f-ctl-stall', { fault: 'stall' })).body.sent, 1);
      const seen = stalled.messages.length;
      stalled.send({ type: 'response.create' });
      await sleep(1000);
      assert.equal(stalled.messages.length, seen, 'nothing after a control stall');
      await post(sim, 'send?tag=f-ctl-stall', { frames: [{ close: { code: 4002, reason: 'done' } }] });
      assert.deepEqual(await stalled.closed, { code: 4002, reason: 'done' }, 'control frames still go out');
      assert.deepEqual((await logOf(sim, 'f-ctl-stall')).faults.map((f) => [f.kind, f.via]), [['stall', 'control']]);
    }],

    ['legacy: created → session_id → session.update → updated; history; typed text turn (flat events)', async () => {
      const client = await Client.open(anyUrl(sim.legacyWsUrl, { license: SECRET, characterName: 'navtalk.Lily', simDelay: '5', simTag: 'legacy' }));
      const created = await client.next('session.created');
      assert.match(created.session.id, /^sim-[0-9a-f-]{36}$/);
      const sessionId = await client.next('session.session_id');
      assert.equal(sessionId.session_id, created.session.id);
      client.send(userText('My name is Ada.'));
      const session = { instructions: 'Be brief.', voice: 'cedar', tools: [WEATHER_TOOL], modalities: ['text', 'audio'] };
      await sleep(100);
      assert.equal(client.messages.length, 2, 'session.updated waits for session.update');
      client.send({ type: 'session.update', session });
      const updated = await client.next('session.updated');
      assert.equal(updated.session.id, created.session.id);
      assert.equal(updated.session.voice, 'cedar');
      assert.equal(updated.session.instructions, 'Be brief.');
      client.send(userText('How are you?'));
      client.send({ type: 'response.create' });
      const { deltas, done, audioDone, responseDone } = await legacyTurn(client);
      assert.equal(done.transcript, 'You said: How are you?');
      assert.equal(done.response_id, 'resp_1');
      assert.equal(deltas.map((d) => d.delta).join(''), done.transcript);
      assert.ok(deltas.length > 1);
      assert.deepEqual(Object.keys(deltas[0]).sort(), ['delta', 'response_id', 'type']);
      assert.deepEqual(audioDone, { type: 'response.audio.done', response_id: 'resp_1' });
      assert.equal(responseDone.response.id, 'resp_1');
      const types = client.messages.map((m) => m.type);
      assert.deepEqual(types.slice(0, 3), ['session.created', 'session.session_id', 'session.updated']);
      assert.deepEqual(types.slice(-3), ['response.audio_transcript.done', 'response.audio.done', 'response.done']);
      assert.ok(client.messages.every((m) => !m.type.startsWith('realtime.') && m.data === undefined), 'flat legacy events only');
      await client.close();
      const log = await logOf(sim, 'legacy');
      assert.equal(log.api, 'legacy');
      assert.deepEqual(log.sessionUpdate, { instructions: 'Be brief.', voice: 'cedar', tools: [WEATHER_TOOL] });
      assert.deepEqual(log.tools.map((/** @type {any} */ t) => t.name), ['get_weather']);
      assert.deepEqual(log.conversation, [
        { role: 'user', text: 'My name is Ada.', history: true },
        { role: 'user', text: 'How are you?', history: false },
        { role: 'assistant', text: 'You said: How are you?', history: false },
      ]);
      assert.equal(log.signaling, null);
      assert.deepEqual(log.errors, []);
      assert.ok(!JSON.stringify(log).includes('SECRET'), 'the license never appears in logs');
    }],

    ['legacy: VAD events, user transcript, function call (string arguments) and its output turn', async () => {
      const client = await Client.open(anyUrl(sim.legacyWsUrl, { characterName: 'navtalk.Lily', simDelay: '1', simSay: 'Weather in Rome?', simTag: 'legacy-fn' }));
      await client.next('session.session_id');
      client.send({ type: 'session.update', session: { tools: [WEATHER_TOOL] } });
      await client.next('session.updated');
      client.send(append(toneChunks({ hz: 300, amplitude: 0.2, ms: 100 })[0])); // v2 name: unknown here
      toneChunks({ hz: 440, amplitude: 0.3, ms: 600 }).forEach((audio) => client.send({ type: 'input_audio_buffer.append', audio }));
      toneChunks({ hz: 440, amplitude: 0, ms: 800 }).forEach((audio) => client.send({ type: 'input_audio_buffer.append', audio }));
      assert.deepEqual(await client.next('input_audio_buffer.speech_started'), { type: 'input_audio_buffer.speech_started' });
      assert.deepEqual(await client.next('input_audio_buffer.speech_stopped'), { type: 'input_audio_buffer.speech_stopped' });
      const heard = await client.next('conversation.item.input_audio_transcription.completed');
      assert.equal(heard.transcript, 'Weather in Rome?');
      const call = await client.next('response.function_call_arguments.done');
      assert.equal(call.name, 'get_weather');
      assert.equal(call.arguments, '{"city":"Rome"}');
      assert.equal(typeof call.call_id, 'string');
      assert.equal((await client.next('response.done')).response.id, call.response_id);
      client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: call.call_id, output: 'Sunny' } });
      client.send({ type: 'response.create' });
      assert.equal((await legacyTurn(client)).done.transcript, 'The get_weather result is: Sunny');
      await client.close();
      const log = await logOf(sim, 'legacy-fn');
      assert.deepEqual(log.errors, ['unknown type: realtime.input_audio_buffer.append']);
      assert.equal(log.audio.chunks, 6 + 8);
    }],

    ['legacy: refusals and mid-session errors use the legacy event names', async () => {
      const cases = [
        [{ license: 'bad-license', characterName: 'c' }, { type: 'error', error: { message: 'Invalid license key' } }, 'Invalid license key'],
        [{ license: 'no-balance', characterName: 'c' }, { type: 'session.insufficient_balance' }, 'Insufficient points'],
        [{ license: 'gpu-full', characterName: 'c' }, { type: 'session.gpu_full' }, 'No GPU available, please try again later'],
        [{ license: 'backend-error', characterName: 'c' }, { type: 'session.backend.error' }, 'Backend error'],
        [{ license: 'limit', characterName: 'c' }, { type: 'error', error: { message: 'Maximum concurrent connections (5) exceeded' } }, 'Maximum concurrent connections (5) exceeded'],
        [{ license: 'ok' }, { type: 'error', error: { message: 'Avatar not found' } }, 'Avatar not found'],
        [{ license: 'ok', characterName: 'unknown' }, { type: 'error', error: { message: 'Avatar not found' } }, 'Avatar not found'],
      ];
      for (const [params, event, reason] of /** @type {[Record<string, string>, unknown, string][]} */ (cases)) {
        const client = await Client.open(anyUrl(sim.legacyWsUrl, params));
        assert.deepEqual(await client.next(() => true), event);
        assert.deepEqual(await client.closed, { code: 1000, reason });
        assert.equal(client.messages.length, 1, 'nothing before or after the refusal');
      }
      const late = await Client.open(anyUrl(sim.legacyWsUrl, { characterName: 'c', simError: 'gpu_full', simErrorAfter: '30' }));
      await late.next('session.session_id');
      late.send({ type: 'session.update', session: {} });
      await late.next('session.updated');
      assert.deepEqual(await late.next('session.gpu_full'), { type: 'session.gpu_full' });
      assert.equal((await late.closed).code, 1000);
    }],

    ['legacy: faults in the legacy dialect (out-of-order, huge, stall)', async () => {
      const client = await Client.open(anyUrl(sim.legacyWsUrl, { characterName: 'c', simDelay: '1', simFault: 'out-of-order', simTag: 'legacy-order' }));
      await client.next('session.session_id');
      client.send({ type: 'session.update', session: {} });
      await client.next('session.updated');
      client.send({ type: 'response.create' });
      await waitFor(() => client.messages.filter((m) => m.type === 'response.audio_transcript.delta').length === replyWords(GREETING).length + 1, 'the deltas');
      const turn = client.messages.filter((m) => m.type.startsWith('response.'));
      assert.deepEqual(turn.slice(0, 4).map((m) => [m.type, m.response_id ?? m.response.id]), [
        ['response.audio_transcript.done', 'resp_1'], ['response.audio.done', 'resp_1'], ['response.done', 'resp_1'], ['response.audio_transcript.delta', 'resp_1_ghost'],
      ]);
      await post(sim, 'send?tag=legacy-order', { fault: 'huge' });
      const huge = await client.next((m) => m.response_id === 'huge');
      assert.equal(huge.type, 'response.audio_transcript.delta');
      assert.equal(huge.delta.length, HUGE_CONTENT_CHARS);
      await client.close();

      const stalled = await Client.open(anyUrl(sim.legacyWsUrl, { characterName: 'c', simFault: 'stall', simTag: 'legacy-stall' }));
      stalled.send({ type: 'session.update', session: { voice: 'sage' } });
      await sleep(1000);
      assert.deepEqual(stalled.messages, []);
      await stalled.close();
      const log = await logOf(sim, 'legacy-stall');
      assert.deepEqual(log.sessionUpdate, { instructions: null, voice: 'sage', tools: null });
      assert.deepEqual(log.sent, []);
    }],

    ['legacy signaling without media (simOffer=off): linked by userId, counts; unmatched socket gets its own log', async () => {
      const realtime = await Client.open(anyUrl(sim.legacyWsUrl, { characterName: 'c', simTag: 'legacy-sig' }));
      const { session_id: id } = await realtime.next('session.session_id');
      const signaling = await Client.open(anyUrl(sim.signalingWsUrl, { userId: id, simOffer: 'off' }));
      signaling.send({ type: 'create', targetSessionId: `target-${id}` });
      signaling.send({ type: 'answer', targetSessionId: `target-${id}`, sdp: { type: 'answer', sdp: 'v=0\r\n' } });
      signaling.send({ type: 'iceCandidate', targetSessionId: `target-${id}`, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
      signaling.send({ type: 'iceCandidate', targetSessionId: 'someone-else', candidate: null });
      await sleep(200);
      assert.deepEqual(signaling.messages, [], 'no offer with simOffer=off');
      await realtime.close();
      assert.equal((await signaling.closed).code, 1000, 'the signaling socket closes with its session');
      await sleep(50);
      const log = await logOf(sim, 'legacy-sig');
      const { connectedAtMs, closedAtMs, ...counts } = /** @type {import('./session-log.mjs').SignalingStats} */ (log.signaling);
      assert.ok(typeof connectedAtMs === 'number' && connectedAtMs >= 0);
      assert.ok(typeof closedAtMs === 'number' && closedAtMs >= connectedAtMs);
      assert.deepEqual(counts, {
        userId: id, targetSessionId: `target-${id}`, creates: 1, offers: 0, answersReceived: 1, candidatesSent: 0, candidatesReceived: 1, closeCode: 1000,
      });
      assert.deepEqual(log.received.filter((r) => r.socket === 'signaling').map((r) => r.type), ['create', 'answer', 'iceCandidate', 'iceCandidate']);
      assert.deepEqual(log.errors, ['signaling iceCandidate: targetSessionId "someone-else" differs from create\'s']);

      const orphan = await Client.open(anyUrl(sim.signalingWsUrl, { userId: SECRET, simOffer: 'off', simTag: 'legacy-orphan-off' }));
      const holder = await Client.open(anyUrl(sim.legacyWsUrl, { license: SECRET, characterName: 'c' })); // makes SECRET a known license
      await holder.next('session.session_id');
      orphan.send({ type: 'create', targetSessionId: SECRET });
      orphan.send({ type: 'bogus' });
      await sleep(100);
      const own = await logOf(sim, 'legacy-orphan-off');
      await Promise.all([orphan.close(), holder.close()]);
      assert.match(own.id, /^signaling-/);
      assert.equal(own.api, 'legacy');
      assert.equal(own.signaling?.creates, 1);
      assert.ok(own.errors.some((e) => e.includes('no realtime session matches')), JSON.stringify(own.errors));
      assert.ok(own.errors.some((e) => e.includes('unknown type: bogus')));
      assert.ok(!JSON.stringify(own).includes('SECRET'), 'a license used as userId is hidden');
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

const CHECK_TIMEOUT_MS = 20_000;


async function main() {
  const sim = await createSimServer();
  const failures = await runChecks(checks(sim), CHECK_TIMEOUT_MS);
  const openClient = await Client.open(urlWith(sim.wsUrl, { avatarId: 'a' }));
  const openLegacy = await Client.open(anyUrl(sim.legacyWsUrl, { characterName: 'c' }));
  const { session_id: legacyId } = await openLegacy.next('session.session_id');
  const openSignaling = await Client.open(anyUrl(sim.signalingWsUrl, { userId: legacyId, simOffer: 'off' }));
  await sim.close();
  await Promise.all([openClient.closed, openLegacy.closed, openSignaling.closed]);
  finishSelfcheck('selfcheck', failures, 2000);
}

runSelfcheck('selfcheck', main);
