import { expect } from '@open-wc/testing';
import type { ConfigInput, SessionConfig } from '../../src/config.js';
import { buildSessionConfig, DEFAULT_SERVER_URL, sessionUrl } from '../../src/config.js';

const ok = (input: ConfigInput): SessionConfig => {
  const built = buildSessionConfig(input);
  if ('error' in built) throw new Error(built.error);
  return built.config;
};
const error = (input: ConfigInput): string => {
  const built = buildSessionConfig(input);
  if (!('error' in built)) throw new Error('expected a config error');
  return built.error;
};

describe('session config', () => {
  it('fills the defaults and trims the strings, dropping blank ones', () => {
    const c = ok({ avatarId: ' a1 ', license: '  ', voice: 'cedar', prompt: '' });
    expect(c).to.deep.include({ serverUrl: DEFAULT_SERVER_URL, api: 'v2', avatarId: 'a1', license: undefined, voice: 'cedar', prompt: undefined, tools: [], history: [], iceServers: undefined });
    expect(c).to.deep.include({ functionTimeoutMs: 20000, connectTimeoutMs: 15000, webrtcTimeoutMs: 10000 });
    expect(c.reconnect).to.deep.equal({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000 });
    expect(ok({ avatarId: 'a', reconnect: { maxAttempts: 0 } }).reconnect).to.deep.equal({ maxAttempts: 0, baseDelayMs: 500, maxDelayMs: 8000 });
    expect(ok({ avatarId: 'a', iceServers: null as never }).iceServers).to.equal(undefined);
  });

  it('picks the legacy endpoint for api="legacy" unless another server-url is set', () => {
    expect(ok({ avatarId: 'a', api: 'legacy' }).serverUrl).to.equal('wss://transfer.navtalk.ai/api/realtime-api');
    expect(ok({ avatarId: 'a', api: 'legacy', serverUrl: DEFAULT_SERVER_URL }).serverUrl).to.equal('wss://transfer.navtalk.ai/api/realtime-api');
    expect(ok({ avatarId: 'a', api: 'legacy', serverUrl: 'wss://relay.example/x' }).serverUrl).to.equal('wss://relay.example/x');
  });

  it('refuses what cannot work, with a message that names it', () => {
    expect(error({ avatarId: 'a', api: 'v3' })).to.contain('api');
    expect(error({ avatarId: 'a', serverUrl: 'https://x.example' })).to.contain('server-url');
    expect(error({ avatarId: 'a', serverUrl: 'ws://[' })).to.contain('server-url');
    expect(error({ avatarId: 'a', signalingUrl: 'http://x.example' })).to.contain('signaling-url');
    expect(error({ avatarId: ' ' })).to.contain('avatar-id');
    for (const tools of [{}, [null], [{}], [{ name: '' }], ['get_weather']]) expect(error({ avatarId: 'a', tools: tools as never })).to.contain('tools');
    for (const history of ['hi', [null], [{ role: 'user' }], [{ text: 1 }]]) expect(error({ avatarId: 'a', history: history as never })).to.contain('history');
    for (const iceServers of ['stun:x', [null], [{}], [{ urls: 1 }], [{ urls: ['turn:y', 2] }]]) expect(error({ avatarId: 'a', iceServers: iceServers as never })).to.contain('iceServers');
    expect(ok({ avatarId: 'a', tools: [{ name: 'f' }], history: [{ role: 'user', text: 'hi' }], iceServers: [{ urls: 'stun:x' }, { urls: ['turn:y'], username: 'u', credential: 'c' }] })).to.be.an('object');
  });

  it('builds the socket URL with the license and the avatar, keeping the query of the server-url', () => {
    const url = (input: ConfigInput) => new URL(sessionUrl(ok({ serverUrl: 'wss://relay.example/s?k=1', ...input }))).searchParams;
    expect([...url({ avatarId: 'a b', character: 'c', license: 'L&1' })]).to.deep.equal([['k', '1'], ['license', 'L&1'], ['avatarId', 'a b']]);
    expect([...url({ character: 'Lily' })]).to.deep.equal([['k', '1'], ['name', 'Lily']]);
    expect([...url({ character: 'Lily', api: 'legacy' })]).to.deep.equal([['k', '1'], ['characterName', 'Lily']]);
  });
});
