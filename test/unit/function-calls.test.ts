import { expect } from '@open-wc/testing';
import type { FunctionHandler } from '../../src/config.js';
import type { ErrorDetail, FunctionCallDetail } from '../../src/session/session-events.js';
import { fakeSession } from '../support/fake-session.js';

/** A session on a fake socket: `call()` delivers a function call from the server, `outputs` are the answers sent. */
function session(timeoutMs = 10000, handlers: Record<string, FunctionHandler> = {}) {
  const outputs: [string, string][] = [];
  const { s, frame } = fakeSession({ functionTimeoutMs: timeoutMs, functionHandler: (name) => handlers[name] }, (msg) => {
    if (msg.item?.type === 'function_call_output') outputs.push([msg.item.call_id, msg.item.output]);
  });
  const calls: FunctionCallDetail[] = [];
  const errors: ErrorDetail[] = [];
  s.on('function-call', (c) => calls.push(c));
  s.on('error', (e) => errors.push(e));
  const call = (callId: string, name = 'f', args: unknown = {}) =>
    frame({ type: 'realtime.response.function_call_arguments.done', data: { call_id: callId, name, arguments: args } });
  return { s, call, calls, errors, outputs };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('function calls', () => {
  it('accepts a call id once and answers it exactly once', async () => {
    const { s, call, calls, outputs } = session();
    call('c1');
    call('c1');
    expect(calls).to.have.length(1);
    expect(s.submitFunctionResult('c1', { ok: 1 })).to.equal(true);
    expect(calls[0]!.respond('again')).to.equal(false);
    expect(s.submitFunctionResult('unknown', 'x')).to.equal(false);
    expect(outputs).to.deep.equal([['c1', '{"ok":1}']]);
    await s.stop();
  });

  it('runs a handler only for a call still unanswered, and answers with its result or its error', async () => {
    let runs = 0;
    const { s, call, outputs } = session(10000, {
      answered: () => ++runs,
      lookup: (args) => `got ${args.city}`,
      broken: () => Promise.reject(new Error('offline')),
    });
    s.on('function-call', (c) => c.name === 'answered' && c.respond('by the page'));
    call('c1', 'answered');
    call('c2', 'lookup', { city: 'Lima' });
    call('c3', 'broken');
    await tick();
    expect(runs).to.equal(0);
    expect(outputs).to.deep.equal([
      ['c1', 'by the page'],
      ['c2', 'got Lima'],
      ['c3', '{"error":"offline"}'],
    ]);
    await s.stop();
  });

  it('answers with an error output when the time is up, and reports function-timeout', async () => {
    const { s, call, errors, outputs } = session(20);
    call('c1', 'lookup');
    await tick(60);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'function-timeout', fatal: false });
    expect(errors[0]!.message).to.contain('lookup').and.contain('c1').and.contain('20 ms');
    // the avatar is told the same
    expect(JSON.parse(outputs[0]![1])).to.deep.equal({ error: errors[0]!.message });
    expect(s.submitFunctionResult('c1', 'late')).to.equal(false);
    await s.stop();
  });

  it('stop() drops pending calls unanswered', async () => {
    const { s, call, calls, errors, outputs } = session(20);
    call('c1');
    await s.stop();
    expect(s.submitFunctionResult('c1', 'x')).to.equal(false);
    expect(calls[0]!.respond('x')).to.equal(false);
    await tick(60);
    expect(outputs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });
});
