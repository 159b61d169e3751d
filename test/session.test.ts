import { expect } from '@open-wc/testing';
import { buildSessionConfig } from '../src/config.js';
import type { ConfigInput } from '../src/config.js';
import { NavtalkSession } from '../src/session/navtalk-session.js';
import { nextEvent, record, simLog, simSend, simUrl, uniqueTag, waitForLog } from './support/sim.js';

const WEATHER = { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

async function session(tag: string, input: ConfigInput = {}, simOpts: Record<string, string | number> = {}) {
  const built = buildSessionConfig({ avatarId: 'sim-avatar', serverUrl: await simUrl(tag, simOpts), ...input });
  if ('error' in built) throw new Error(built.error);
  return new NavtalkSession(built.config);
}

const EVENTS = ['state', 'connected', 'transcript', 'function-call', 'speech', 'error', 'disconnected', 'warning'];
const sessions: NavtalkSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
});
async function started(tag: string, input: ConfigInput = {}, simOpts: Record<string, string | number> = {}) {
  const s = await session(tag, input, simOpts);
  sessions.push(s);
  const log = record(s, EVENTS);
  await s.start();
  return { s, log };
}

describe('NavtalkSession against the simulator', () => {
  it('connects, reaches listening in order, and sends input_config first', async () => {
    const tag = uniqueTag('happy');
    const { s, log } = await started(tag, { voice: 'cedar', prompt: 'Be brief.', tools: [WEATHER], license: 'sk-test' });
    expect(s.state).to.equal('listening');
    expect(s.sessionId).to.match(/^sim-/);
    expect(log.filter((e) => e.type === 'state').map((e) => e.detail.state)).to.deep.equal(['connecting', 'connected', 'listening']);
    expect(log.find((e) => e.type === 'connected')?.detail).to.deep.equal({ sessionId: s.sessionId });
    const [srv] = await simLog(tag);
    expect(srv!.received[0]!.type).to.equal('realtime.input_config');
    expect(srv!.inputConfig).to.deep.include({ voice: 'cedar', prompt: 'Be brief.' });
    const content = srv!.received[0]!.msg.data.content;
    expect(content).to.be.a('string');
    expect(JSON.parse(content).tools[0]).to.deep.include({ type: 'function', name: 'get_weather' });
    expect(srv!.tools.map((t: any) => t.name)).to.deep.equal(['get_weather']);
    expect(srv!.hasLicense).to.equal(true);
    expect(JSON.stringify(srv)).not.to.contain('sk-test');
    expect(srv!.query).to.include({ avatarId: 'sim-avatar' });
    expect(srv!.errors).to.deep.equal([]);
  });

  it('sends no input_config when nothing is configured, and encodes the character name', async () => {
    const tag = uniqueTag('plain');
    await started(tag, { avatarId: undefined, character: 'navtalk.Lily & Co' });
    const [srv] = await simLog(tag);
    expect(srv!.received.map((m) => m.type)).not.to.include('realtime.input_config');
    expect(srv!.query).to.include({ name: 'navtalk.Lily & Co' });
  });

  it('replays user history only, after session.created and before session.updated', async () => {
    const tag = uniqueTag('history');
    await started(tag, {
      history: [
        { role: 'user', text: 'My name is Ada.' },
        { role: 'assistant', text: 'Hello Ada.' },
        { role: 'user', text: 'I like tea.' },
      ],
    });
    const [srv] = await simLog(tag);
    const items = srv!.received.filter((m) => m.type === 'conversation.item.create');
    expect(items.map((m) => m.msg.item.content[0].text)).to.deep.equal(['My name is Ada.', 'I like tea.']);
    expect(items.every((m) => m.msg.item.role === 'user' && m.msg.item.content[0].type === 'input_text')).to.equal(true);
    const createdAt = srv!.sent.find((m) => m.type === 'realtime.session.created')!.t;
    expect(items.every((m) => m.t >= createdAt)).to.equal(true);
  });

  it('runs a text turn: item.create + response.create, streamed assistant transcript, back to listening', async () => {
    const tag = uniqueTag('text');
    const { s, log } = await started(tag);
    expect(s.sendText('Good morning')).to.equal(true);
    const done = await nextEvent(s, 'transcript', (d: any) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: Good morning');
    await nextEvent(s, 'state', (d: any) => d.state === 'listening');
    const transcripts = log.filter((e) => e.type === 'transcript').map((e) => e.detail);
    expect(transcripts[0]).to.deep.include({ role: 'user', text: 'Good morning', final: true });
    const deltas = transcripts.filter((t) => t.role === 'assistant' && !t.final);
    expect(deltas.length).to.be.greaterThan(1);
    expect(deltas.map((d) => d.delta).join('')).to.equal('You said: Good morning');
    expect(new Set(transcripts.filter((t) => t.role === 'assistant').map((t) => t.id)).size).to.equal(1);
    expect(log.filter((e) => e.type === 'state').map((e) => e.detail.state).slice(-3)).to.deep.equal(['thinking', 'speaking', 'listening']);
    const [srv] = await simLog(tag);
    const types = srv!.received.map((m) => m.type);
    const i = types.lastIndexOf('conversation.item.create');
    expect(types.slice(i, i + 2)).to.deep.equal(['conversation.item.create', 'response.create']);
    expect(srv!.errors).to.deep.equal([]);
  });

  it('interrupt() ends the reply here: transcript final as it stands, the rest of it dropped, voice silenced until the next turn', async () => {
    const tag = uniqueTag('interrupt');
    const { s, log } = await started(tag, {}, { simDelay: 40 });
    const silence: boolean[] = [];
    s.on('silence', (on) => silence.push(on));
    s.sendText('one two three four five six seven eight nine ten eleven twelve');
    const partial = await nextEvent<any>(s, 'transcript', (d) => d.role === 'assistant' && d.text.split(' ').length >= 4, 10000);
    expect(s.state).to.equal('speaking');
    const mark = log.length;
    s.interrupt();
    expect(s.state).to.equal('listening');
    expect(silence).to.deep.equal([true]);
    const cut = log.slice(mark).filter((e) => e.type === 'transcript').map((e) => e.detail);
    expect(cut).to.have.length(1);
    expect(cut[0]).to.deep.include({ id: partial.id, role: 'assistant', final: true, delta: '' });
    expect(cut[0].text.startsWith(partial.text)).to.equal(true);
    expect(cut[0].text).not.to.equal('You said: one two three four five six seven eight nine ten eleven twelve');
    // The server goes on with the reply (NavTalk has no cancel message) until its audio.done.
    await waitForLog(tag, (ss) => ss[0]?.sent.some((m) => m.type === 'realtime.response.audio.done') && ss[0], 10000);
    // The next turn: its reply (another id) lifts the cut.
    s.sendText('again');
    const again = await nextEvent<any>(s, 'transcript', (d) => d.role === 'assistant' && d.final && d.id !== partial.id, 10000);
    expect(again.text).to.equal('You said: again');
    expect(silence).to.deep.equal([true, false]);
    const after = log.slice(mark);
    expect(after.filter((e) => e.type === 'transcript' && e.detail.id === partial.id)).to.have.length(1);
    const turn = after.findIndex((e) => e.type === 'transcript' && e.detail.role === 'user');
    expect(after.slice(0, turn).filter((e) => e.type === 'state').map((e) => e.detail.state)).to.deep.equal(['listening']);
  });

  it('interrupt() with a server that sends no reply ids: the rest of the reply is dropped until the next turn', async () => {
    const tag = uniqueTag('interrupt-noid');
    const { s, log } = await started(tag);
    const silence: boolean[] = [];
    s.on('silence', (on) => silence.push(on));
    const delta = (text: string) => ({ type: 'realtime.response.audio_transcript.delta', data: { content: text } });
    /** Frames, then a warning to know they were all handled (the socket is ordered). */
    const send = async (frames: unknown[]) => {
      const seen = nextEvent(s, 'warning', (w: any) => w.message === 'sync');
      await simSend(tag, [...frames, { type: 'conversation.connected.warning', data: { message: 'sync' } }]);
      await seen;
    };
    await send([delta('Hello '), delta('there ')]);
    expect(s.state).to.equal('speaking');
    s.interrupt();
    expect(silence).to.deep.equal([true]);
    const mark = log.length;
    await send([delta('and more '), { type: 'realtime.response.audio_transcript.done', data: {} }, { type: 'realtime.response.done', data: {} }]);
    expect(log.slice(mark).filter((e) => e.type === 'transcript' || e.type === 'state')).to.deep.equal([]);
    s.sendText('Next');
    expect(silence).to.deep.equal([true, false]);
    const reply = await nextEvent<any>(s, 'transcript', (d) => d.role === 'assistant' && d.final, 10000);
    expect(reply.text).to.equal('You said: Next');
  });

  it('reads the older delta/response_id transcript fields and both sets together', async () => {
    for (const fields of ['delta', 'both']) {
      const tag = uniqueTag(`fields-${fields}`);
      const { s, log } = await started(tag, {}, { simFields: fields });
      s.sendText('Field test');
      const done = await nextEvent(s, 'transcript', (d: any) => d.role === 'assistant' && d.final);
      expect(done.text).to.equal('You said: Field test');
      const deltas = log.filter((e) => e.type === 'transcript' && e.detail.role === 'assistant' && !e.detail.final);
      expect(deltas.at(-1)!.detail.text).to.equal('You said: Field test');
    }
  });

  it('queues text typed while connecting and sends it once ready', async () => {
    const tag = uniqueTag('queue');
    const s = await session(tag);
    sessions.push(s);
    const ready = s.start();
    expect(s.sendText('Sent early')).to.equal(true);
    await ready;
    const done = await nextEvent(s, 'transcript', (d: any) => d.role === 'assistant' && d.final);
    expect(done.text).to.equal('You said: Sent early');
    // sent once, as a turn: not also replayed as history before it
    const [srv] = await simLog(tag);
    expect(srv!.conversation.filter((c) => c.role === 'user')).to.deep.equal([{ role: 'user', text: 'Sent early', history: false }]);
  });

  for (const args of ['string', 'object']) {
    it(`answers a function call with ${args} arguments via respond(), exactly once`, async () => {
      const tag = uniqueTag(`fn-${args}`);
      const { s } = await started(tag, { tools: [WEATHER] }, { simArgs: args });
      s.sendText("What's the weather in Paris?");
      const call = await nextEvent<any>(s, 'function-call');
      expect(call.name).to.equal('get_weather');
      expect(call.arguments).to.deep.equal({ city: 'Paris' });
      expect(s.state).to.equal('thinking');
      expect(call.respond({ tempC: 21, sky: 'clear' })).to.equal(true);
      expect(call.respond('again')).to.equal(false);
      expect(s.submitFunctionResult(call.callId, 'late')).to.equal(false);
      const done = await nextEvent(s, 'transcript', (d: any) => d.role === 'assistant' && d.final && d.text.includes('result'));
      expect(done.text).to.equal('The get_weather result is: {"tempC":21,"sky":"clear"}');
      const [srv] = await simLog(tag);
      expect(srv!.functionOutputs).to.deep.equal([{ call_id: call.callId, output: '{"tempC":21,"sky":"clear"}' }]);
      const types = srv!.received.map((m) => m.type);
      const i = types.findIndex((t, k) => t === 'conversation.item.create' && srv!.received[k]!.msg.item.type === 'function_call_output');
      expect(types[i + 1]).to.equal('response.create');
      expect(srv!.errors).to.deep.equal([]);
    });
  }

  it('answers through a functionHandlers entry, and with an error output when the handler throws', async () => {
    const tag = uniqueTag('fn-handler');
    const calls: unknown[] = [];
    const { s } = await started(tag, {
      tools: [WEATHER, { name: 'lookup_order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
      functionHandler: (name) =>
        name === 'get_weather'
          ? async (a) => {
              calls.push(a);
              return { tempC: 5 };
            }
          : () => {
              throw new Error('orders are offline');
            },
    });
    s.sendText('Weather in Oslo please');
    await nextEvent(s, 'transcript', (d: any) => d.final && d.text.includes('result'));
    expect(calls).to.deep.equal([{ city: 'Oslo' }]);
    s.sendText('Lookup my order');
    const done = await nextEvent(s, 'transcript', (d: any) => d.final && d.text.includes('lookup_order'));
    expect(done.text).to.contain('orders are offline');
  });

  it('answers with an error output after the timeout when nobody responds', async () => {
    const tag = uniqueTag('fn-timeout');
    const { s } = await started(tag, { tools: [WEATHER], functionTimeoutMs: 300 });
    s.sendText('weather in Lima');
    const err = await nextEvent<any>(s, 'error');
    expect(err).to.include({ code: 'function-timeout', fatal: false });
    const [srv] = await waitForLog(tag, (ss) => ss[0]!.functionOutputs.length > 0 && ss);
    expect(JSON.parse(srv!.functionOutputs[0]!.output)).to.have.property('error');
    expect(s.state).not.to.equal('error');
  });

  const FAILURES: [string, string][] = [
    ['bad-license', 'invalid-license'],
    ['no-balance', 'insufficient-balance'],
    ['limit', 'connection-limit'],
    ['gpu-full', 'gpu-full'],
    ['backend-error', 'backend-error'],
  ];
  for (const [license, code] of FAILURES) {
    it(`maps a connect failure (${license}) to ${code}, fatal, with no reconnect`, async () => {
      const tag = uniqueTag(license);
      const s = await session(tag, { license, reconnect: { maxAttempts: 3, baseDelayMs: 10 } });
      sessions.push(s);
      const log = record(s, EVENTS);
      await s.start();
      expect(s.state).to.equal('error');
      const errors = log.filter((e) => e.type === 'error').map((e) => e.detail);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include({ code, fatal: true });
      expect(errors[0].message).to.be.a('string').and.not.empty;
      expect(errors[0].message).not.to.contain(license);
      expect(log.find((e) => e.type === 'disconnected')?.detail).to.include({ willReconnect: false });
      expect(log.map((e) => e.detail?.state)).not.to.include('reconnecting');
      expect((await simLog(tag)).length).to.equal(1);
    });
  }

  const MID_SESSION: [string, string][] = [
    ['fail', 'invalid-license'],
    ['close', 'session-closed'],
    ['insufficient_balance', 'insufficient-balance'],
    ['connection_limit_exceeded', 'connection-limit'],
    ['gpu_full', 'gpu-full'],
    ['backend_error', 'backend-error'],
  ];
  for (const [kind, code] of MID_SESSION) {
    it(`maps conversation.connected.${kind} mid-session to ${code} and ends the call`, async () => {
      const tag = uniqueTag(`mid-${kind}`);
      const { s, log } = await started(tag);
      const error = nextEvent<any>(s, 'error');
      await simSend(tag, [{ type: `conversation.connected.${kind}`, data: {}, message: `sim says ${kind}` }]);
      const err = await error;
      expect(err).to.deep.equal({ code, message: `sim says ${kind}`, fatal: true });
      expect(s.state).to.equal('error');
      expect(log.find((e) => e.type === 'disconnected')?.detail).to.include({ willReconnect: false });
      expect(s.sendText('anyone?')).to.equal(false);
    });
  }

  it('maps a legacy "Insufficient points" close (even a normal 1000 one) to insufficient-balance, with its disconnect', async () => {
    const tag = uniqueTag('points');
    const { s, log } = await started(tag);
    const error = nextEvent<any>(s, 'error');
    await simSend(tag, [{ close: { code: 1000, reason: 'Insufficient points' } }]);
    expect(await error).to.include({ code: 'insufficient-balance', fatal: true });
    expect(s.state).to.equal('error');
    expect(log.filter((e) => e.type === 'disconnected').map((e) => e.detail)).to.deep.equal([{ code: 1000, reason: 'Insufficient points', willReconnect: false }]);
  });

  it('tolerates malformed frames: one protocol error per kind, no state change, the session goes on', async () => {
    const tag = uniqueTag('malformed');
    const { s, log } = await started(tag);
    await simSend(tag, ['{garbage', '{garbage again', { binary: 'AAECAw==' }, JSON.stringify({ data: {} }), { type: 'realtime.unknown.event', data: {} }, JSON.stringify([1])]);
    s.sendText('still there?');
    const done = await nextEvent(s, 'transcript', (d: any) => d.final && d.role === 'assistant');
    expect(done.text).to.equal('You said: still there?');
    const errors = log.filter((e) => e.type === 'error').map((e) => e.detail);
    expect(errors.map((e) => e.code)).to.deep.equal(['protocol', 'protocol', 'protocol']);
    expect(errors.every((e) => e.fatal === false)).to.equal(true);
    expect(log.filter((e) => e.type === 'state').map((e) => e.detail.state)).not.to.include('error');
  });

  it('reports a server warning without failing', async () => {
    const tag = uniqueTag('warn');
    const { s, log } = await started(tag, {}, { simWarn: 1 });
    expect(s.state).to.equal('listening');
    expect(log.filter((e) => e.type === 'warning')).to.have.length(1);
    expect(log.filter((e) => e.type === 'error')).to.have.length(0);
  });

  it('stop() is idempotent, closes the socket and reports one disconnect', async () => {
    const tag = uniqueTag('stop');
    const { s, log } = await started(tag);
    await Promise.all([s.stop(), s.stop()]);
    await s.stop();
    expect(s.state).to.equal('closed');
    expect(log.filter((e) => e.type === 'disconnected')).to.have.length(1);
    await waitForLog(tag, (ss) => ss[0]!.closedAt !== null);
    expect(s.sendText('hello?')).to.equal(false);
  });

  it('runs two sessions side by side without crosstalk', async () => {
    const [ta, tb] = [uniqueTag('two-a'), uniqueTag('two-b')];
    const [{ s: a }, { s: b }] = await Promise.all([started(ta), started(tb)]);
    expect(a.sessionId).not.to.equal(b.sessionId);
    const bIdle = nextEvent<any>(b, 'state', (d) => d.state === 'listening');
    a.sendText('from A');
    b.sendText('from B');
    const [da, db] = await Promise.all([
      nextEvent<any>(a, 'transcript', (d) => d.final && d.role === 'assistant'),
      nextEvent<any>(b, 'transcript', (d) => d.final && d.role === 'assistant'),
    ]);
    expect(da.text).to.equal('You said: from A');
    expect(db.text).to.equal('You said: from B');
    await bIdle;
    await a.stop();
    expect(b.state).to.equal('listening');
    b.sendText('B goes on');
    expect((await nextEvent<any>(b, 'transcript', (d) => d.final && d.role === 'assistant')).text).to.equal('You said: B goes on');
  });
});
