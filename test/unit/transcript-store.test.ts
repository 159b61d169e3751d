import { expect } from '@open-wc/testing';
import { TranscriptStore } from '../../src/session/transcript-store.js';

describe('transcript store', () => {
  it('streams an assistant item by id, finishes it with the server text, and ignores what comes after', () => {
    const t = new TranscriptStore();
    const first = t.assistantDelta('r1', 'Hel')!;
    const id = first.id;
    expect(first).to.deep.equal({ id, role: 'assistant', text: 'Hel', delta: 'Hel', final: false });
    expect(t.assistantDelta('r1', 'lo')).to.deep.equal({ id, role: 'assistant', text: 'Hello', delta: 'lo', final: false });
    expect(t.assistantDone('r1', 'Hello there')).to.deep.equal({ id, role: 'assistant', text: 'Hello there', delta: ' there', final: true });
    expect(t.assistantDone('r1', 'Hello there')).to.equal(undefined);
    expect(t.assistantDelta('r1', '!')).to.equal(undefined);
  });

  it('gives deltas without an id to the open item, and a done without text keeps the text it has', () => {
    const t = new TranscriptStore();
    const first = t.assistantDelta(undefined, 'a')!;
    expect(t.assistantDelta(undefined, 'b')).to.deep.include({ id: first.id, text: 'ab' });
    expect(t.assistantDone(undefined, undefined)).to.deep.equal({ id: first.id, role: 'assistant', text: 'ab', delta: '', final: true });
    expect(t.assistantDone(undefined, undefined)).to.equal(undefined);
    expect(t.assistantDelta(undefined, 'c')!.id).not.to.equal(first.id);
  });

  it('a done whose text does not extend the streamed one replaces it', () => {
    const t = new TranscriptStore();
    t.assistantDelta('r1', 'Helo');
    expect(t.assistantDone('r1', 'Hello')).to.deep.include({ text: 'Hello', delta: 'Hello', final: true });
    expect(t.assistantDone(undefined, 'Only the end')).to.deep.include({ role: 'assistant', text: 'Only the end', delta: 'Only the end', final: true });
  });

  it('assistantDone() without arguments ends the open item as it stands; cut() lets the next delta start a new one', () => {
    const t = new TranscriptStore();
    expect(t.assistantDone()).to.equal(undefined);
    t.assistantDelta(undefined, 'half a sent');
    const done = t.assistantDone()!;
    expect(done).to.deep.include({ role: 'assistant', text: 'half a sent', delta: '', final: true });
    expect(t.assistantDone()).to.equal(undefined);
    const a = t.assistantDelta(undefined, 'x')!;
    t.cut();
    expect(t.assistantDelta(undefined, 'y')!.id).not.to.equal(a.id);
  });

  it('user items are final at once; every item id is unique in the call, even when a reconnected server repeats a reply id', () => {
    const t = new TranscriptStore();
    const hi = t.user('Hi');
    expect(hi).to.deep.include({ role: 'user', text: 'Hi', delta: 'Hi', final: true });
    expect(hi.id).to.match(/^user-/);
    expect(t.user('Hi').id).not.to.equal(hi.id);
    const one = t.assistantDelta('r1', 'one')!;
    expect(one.id).to.match(/^assistant-/);
    t.newConnection();
    const again = t.assistantDelta('r1', 'two')!;
    expect(again.id).not.to.equal(one.id);
    expect(again.text).to.equal('two');
    expect(t.assistantDelta('r1', '!')).to.deep.include({ id: again.id, text: 'two!' });
  });
});
