import { expect } from '@open-wc/testing';
import { MAX_FRAME_CHARS, parseFrame } from '../../src/protocol/normalize.js';
import * as build from '../../src/protocol/builders.js';
import type { ErrorCode, ServerEvent } from '../../src/protocol/types.js';
import { isFatal } from '../../src/protocol/types.js';

const ev = (msg: unknown): ServerEvent => {
  const r = parseFrame(JSON.stringify(msg));
  if (r.kind !== 'event') throw new Error(`not an event: ${JSON.stringify(r)}`);
  return r.event;
};

describe('protocol normaliser', () => {
  it('reads connected.success with session id and ICE servers', () => {
    const e = ev({ type: 'conversation.connected.success', data: { sessionId: 's1', iceServers: [{ urls: 'stun:x' }, { nope: 1 }, { urls: ['turn:y'], username: 'u', credential: 'c' }] } });
    expect(e).to.deep.equal({ type: 'connected', sessionId: 's1', iceServers: [{ urls: 'stun:x' }, { urls: ['turn:y'], username: 'u', credential: 'c' }] });
  });

  it('finds the payload in data.data, data or the top level', () => {
    for (const msg of [
      { type: 'realtime.response.audio_transcript.delta', data: { data: { content: 'Hi', id: 'r1' } } },
      { type: 'realtime.response.audio_transcript.delta', data: { content: 'Hi', id: 'r1' } },
      { type: 'realtime.response.audio_transcript.delta', content: 'Hi', id: 'r1' },
    ]) {
      expect(ev(msg)).to.deep.equal({ type: 'assistant-delta', id: 'r1', delta: 'Hi' });
    }
  });

  it('accepts content|delta and id|response_id|responseId for transcript deltas', () => {
    expect(ev({ type: 'realtime.response.audio_transcript.delta', data: { delta: 'a', response_id: 'r2' } })).to.deep.equal({ type: 'assistant-delta', id: 'r2', delta: 'a' });
    expect(ev({ type: 'realtime.response.audio_transcript.delta', data: { content: 'b', responseId: 'r3' } })).to.deep.equal({ type: 'assistant-delta', id: 'r3', delta: 'b' });
    // both sets present (compat servers): content and id win, the text is not doubled
    expect(ev({ type: 'realtime.response.audio_transcript.delta', data: { content: 'c', delta: 'c', id: 'r4', response_id: 'r4' } })).to.deep.equal({ type: 'assistant-delta', id: 'r4', delta: 'c' });
  });

  it('reads done and user transcripts with content or transcript', () => {
    expect(ev({ type: 'realtime.response.audio_transcript.done', data: { transcript: 'All', response_id: 'r' } })).to.deep.equal({ type: 'assistant-done', id: 'r', text: 'All' });
    expect(ev({ type: 'realtime.conversation.item.input_audio_transcription.completed', data: { content: 'hello' } })).to.include({ type: 'user-transcript', text: 'hello' });
    expect(ev({ type: 'realtime.conversation.item.input_audio_transcription.completed', data: { transcript: 'hey' } })).to.include({ type: 'user-transcript', text: 'hey' });
  });

  it('gives every event of a reply an id key (undefined when the server sends none), and no other event one', () => {
    const reply = ['response.audio_transcript.delta', 'response.text.done', 'response.audio.delta', 'response.audio.done', 'response.done', 'response.completed'];
    for (const type of reply) expect(ev({ type: `realtime.${type}`, data: { content: 'x' } })).to.have.property('id', undefined);
    const other = ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'session.updated', 'conversation.item.input_audio_transcription.completed'];
    for (const type of other) expect(ev({ type: `realtime.${type}`, data: { content: 'x', id: 'i1' } })).not.to.have.property('id');
  });

  it('reads function calls with string or object arguments and the name in any of three places', () => {
    const base = { type: 'realtime.response.function_call_arguments.done' };
    const a = ev({ ...base, data: { call_id: 'c1', function_name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(a).to.deep.equal({ type: 'function-call', callId: 'c1', name: 'get_weather', arguments: { city: 'Paris' } });
    const b = ev({ ...base, data: { call_id: 'c2', name: 'get_weather', arguments: { city: 'Oslo' } } });
    expect(b).to.include({ callId: 'c2', name: 'get_weather' });
    expect((b as { arguments: unknown }).arguments).to.deep.equal({ city: 'Oslo' });
    const c = ev({ ...base, data: { arguments: { city: 'Rome' } }, raw_data: { name: 'get_weather', call_id: 'c3', arguments: '{"city":"Rome"}' } });
    expect(c).to.include({ callId: 'c3', name: 'get_weather' });
    const d = ev({ ...base, data: { call_id: 'c4', name: 'f', arguments: 'not json' } });
    expect((d as { arguments: unknown }).arguments).to.deep.equal({});
    const e = ev({ ...base, data: { call_id: 'c5', name: 'f', arguments: '42' } });
    expect((e as { arguments: unknown }).arguments).to.deep.equal({ value: 42 });
  });

  it('maps every server error event to its code, with message at the top level or in data', () => {
    const cases: [string, string, boolean][] = [
      ['conversation.connected.fail', 'invalid-license', true],
      ['conversation.connected.close', 'session-closed', true],
      ['conversation.connected.insufficient_balance', 'insufficient-balance', true],
      ['conversation.connected.connection_limit_exceeded', 'connection-limit', true],
      ['conversation.connected.gpu_full', 'gpu-full', true],
      ['conversation.connected.backend_error', 'backend-error', true],
      ['realtime.session.gpu_full', 'gpu-full', true],
      ['realtime.session.insufficient_balance', 'insufficient-balance', true],
      ['session.backend.error', 'backend-error', true],
      ['error', 'protocol', false],
    ];
    for (const [type, code, fatal] of cases) {
      expect(ev({ type, data: {}, message: 'Top' })).to.deep.equal({ type: 'server-error', code, message: 'Top' });
      expect(isFatal(code as ErrorCode)).to.equal(fatal);
      expect(ev({ type, data: { message: 'Inner' } })).to.deep.include({ code, message: 'Inner' });
      const bare = ev({ type }) as { message: string };
      expect(bare.message).to.be.a('string').and.not.empty;
    }
    expect(ev({ type: 'conversation.connected.fail', message: 'Avatar not found' })).to.include({ code: 'config' });
    expect(ev({ type: 'error', error: { message: 'Invalid license key' } })).to.include({ code: 'invalid-license' });
  });

  it('reads a warning message at the top level or in data, else names the event', () => {
    const type = 'conversation.connected.warning';
    expect(ev({ type, data: { avatarId: 'a1' }, message: 'Several avatars' })).to.deep.equal({ type: 'warning', message: 'Several avatars' });
    expect(ev({ type, data: { message: 'Inner' } })).to.deep.equal({ type: 'warning', message: 'Inner' });
    expect(ev({ type, data: { avatarId: 'a1' } })).to.deep.equal({ type: 'warning', message: type });
  });

  it('reads signaling in both sdp shapes and candidates as object or string', () => {
    expect(ev({ type: 'webrtc.signaling.offer', data: { sdp: { type: 'offer', sdp: 'v=0' } } })).to.deep.equal({ type: 'signaling-offer', sdp: { type: 'offer', sdp: 'v=0' } });
    expect(ev({ type: 'webrtc.signaling.offer', data: { sdp: 'v=0' } })).to.deep.equal({ type: 'signaling-offer', sdp: { type: 'offer', sdp: 'v=0' } });
    // the description's type is the event's
    expect(ev({ type: 'answer', sdp: { type: 'offer', sdp: 'v=1' } })).to.deep.equal({ type: 'signaling-answer', sdp: { type: 'answer', sdp: 'v=1' } });
    expect(parseFrame(JSON.stringify({ type: 'webrtc.signaling.offer', data: { sdp: { type: 'offer' } } }))).to.include({ kind: 'malformed', reason: 'bad-payload' });
    expect(ev({ type: 'webrtc.signaling.iceCandidate', data: { candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } } })).to.deep.include({
      candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null },
    });
    expect(ev({ type: 'iceCandidate', candidate: 'candidate:2', sdpMid: '1', sdpMLineIndex: 1 })).to.deep.include({
      candidate: { candidate: 'candidate:2', sdpMid: '1', sdpMLineIndex: 1, usernameFragment: null },
    });
  });

  it('treats legacy flat events like their v2 names', () => {
    expect(ev({ type: 'response.audio_transcript.delta', delta: 'x', response_id: 'r' })).to.deep.equal({ type: 'assistant-delta', id: 'r', delta: 'x' });
    expect(ev({ type: 'session.updated', session: {} })).to.deep.equal({ type: 'session-updated' });
    expect(ev({ type: 'input_audio_buffer.speech_started' })).to.deep.equal({ type: 'speech-started' });
    expect(ev({ type: 'response.function_call_arguments.done', name: 'f', call_id: 'c', arguments: '{}' })).to.include({ type: 'function-call', name: 'f' });
  });

  it('ignores unknown types and reports malformed frames without throwing', () => {
    expect(parseFrame(JSON.stringify({ type: 'realtime.something.new', data: {} }))).to.deep.equal({ kind: 'ignored' });
    // argument deltas: the client acts only on the finished call
    const argsDelta = { type: 'realtime.response.function_call_arguments.delta', data: { call_id: 'c1', delta: '{"ci' } };
    expect(parseFrame(JSON.stringify(argsDelta))).to.deep.equal({ kind: 'ignored' });
    expect(parseFrame('{not json')).to.include({ kind: 'malformed', reason: 'not-json' });
    expect(parseFrame(new ArrayBuffer(4))).to.include({ kind: 'malformed', reason: 'binary' });
    expect(parseFrame('{"data":{}}')).to.include({ kind: 'malformed', reason: 'no-type' });
    expect(parseFrame('[1,2]')).to.include({ kind: 'malformed', reason: 'no-type' });
    expect(parseFrame('null')).to.include({ kind: 'malformed', reason: 'no-type' });
    expect(parseFrame(`{"type":"x","pad":"${'a'.repeat(MAX_FRAME_CHARS)}"}`)).to.include({ kind: 'malformed', reason: 'too-large' });
    expect(parseFrame('['.repeat(100000) + ']'.repeat(100000))).to.include({ kind: 'malformed' });
    expect(parseFrame(JSON.stringify({ type: 'realtime.response.function_call_arguments.done', data: {} }))).to.include({ kind: 'malformed', reason: 'bad-payload' });
  });
});

describe('protocol builders', () => {
  it('builds input_config with content as a JSON string and tools in the OpenAI shape', () => {
    const msg = build.inputConfig({ voice: 'cedar', prompt: 'Be brief', tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }] });
    expect(msg?.type).to.equal('realtime.input_config');
    const content = JSON.parse((msg as { data: { content: string } }).data.content);
    expect(content).to.deep.equal({
      voice: 'cedar',
      prompt: 'Be brief',
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    expect(build.inputConfig({})).to.equal(undefined);
    const noParams = JSON.parse((build.inputConfig({ tools: [{ name: 'ping' }] }) as { data: { content: string } }).data.content);
    expect(noParams.tools[0].parameters).to.deep.equal({ type: 'object', properties: {} });
  });

  it('replays only user history items', () => {
    const msgs = build.historyMessages([
      { role: 'user', text: 'one' },
      { role: 'assistant', text: 'two' },
      { role: 'user', text: '  ' },
      { role: 'user', text: 'three' },
    ]);
    expect(msgs.map((m) => (m as { item: { content: { text: string }[] } }).item.content[0]!.text)).to.deep.equal(['one', 'three']);
  });

  it('stringifies function outputs', () => {
    expect(build.outputToString('ok')).to.equal('ok');
    expect(build.outputToString({ a: 1 })).to.equal('{"a":1}');
    expect(build.outputToString(undefined)).to.equal('null');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(build.outputToString(cyclic)).to.be.a('string');
    expect(build.functionOutput('c1', 'x')).to.deep.equal({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'c1', output: 'x' } });
  });
});
