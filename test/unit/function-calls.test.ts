import { expect } from '@open-wc/testing';
import { FunctionCalls } from '../../src/session/function-calls.js';

function calls(timeoutMs = 10000) {
  const sent: [string, string][] = [];
  const timedOut: string[] = [];
  const fc = new FunctionCalls({ timeoutMs, send: (id, output) => sent.push([id, output]), onTimeout: (message) => timedOut.push(message) });
  return { fc, sent, timedOut };
}

describe('function calls', () => {
  it('accepts a call id once and answers it exactly once', () => {
    const { fc, sent } = calls();
    expect(fc.accept('c1', 'f')).to.equal(true);
    expect(fc.accept('c1', 'f')).to.equal(false);
    expect(fc.respond('c1', { ok: 1 })).to.equal(true);
    expect(fc.respond('c1', 'again')).to.equal(false);
    expect(fc.respond('unknown', 'x')).to.equal(false);
    expect(sent).to.deep.equal([['c1', '{"ok":1}']]);
    fc.clear();
  });

  it('runs a handler only for a call still unanswered, and answers with its result or its error', async () => {
    const { fc, sent } = calls();
    let runs = 0;
    fc.accept('c1', 'f');
    fc.respond('c1', 'by the page');
    fc.run('c1', () => ++runs, {});
    fc.accept('c2', 'f');
    fc.run('c2', (args) => `got ${args.city}`, { city: 'Lima' });
    fc.accept('c3', 'f');
    fc.run('c3', () => Promise.reject(new Error('offline')), {});
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).to.equal(0);
    expect(sent).to.deep.equal([
      ['c1', 'by the page'],
      ['c2', 'got Lima'],
      ['c3', '{"error":"offline"}'],
    ]);
  });

  it('answers with an error output when the time is up, and tells the session', async () => {
    const { fc, sent, timedOut } = calls(20);
    fc.accept('c1', 'lookup');
    await new Promise((r) => setTimeout(r, 60));
    expect(timedOut).to.have.length(1);
    expect(timedOut[0]).to.contain('lookup').and.contain('c1').and.contain('20 ms');
    // the avatar is told the same
    expect(JSON.parse(sent[0]![1])).to.deep.equal({ error: timedOut[0] });
    expect(fc.respond('c1', 'late')).to.equal(false);
  });

  it('clear() drops pending calls unanswered and still refuses their ids', async () => {
    const { fc, sent, timedOut } = calls(20);
    fc.accept('c1', 'f');
    fc.clear();
    expect(fc.respond('c1', 'x')).to.equal(false);
    expect(fc.accept('c1', 'f')).to.equal(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).to.deep.equal([]);
    expect(timedOut).to.deep.equal([]);
  });
});
