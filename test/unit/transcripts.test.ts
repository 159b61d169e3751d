import { expect } from '@open-wc/testing';
import { fakeSession } from '../support/fake-session.js';

const delta = (content: string, id?: string) => ({ type: 'realtime.response.audio_transcript.delta', data: { content, id } });
const done = (content?: string, id?: string) => ({ type: 'realtime.response.audio_transcript.done', data: { content, id } });

describe('transcripts', () => {
  it('streams an assistant item by reply id, finishes it with the server text, and ignores what comes after', async () => {
    const { s, frame, transcripts } = fakeSession();
    frame(delta('Hel', 'r1'));
    frame(delta('lo', 'r1'));
    frame(done('Hello there', 'r1'));
    frame(done('Hello there', 'r1'));
    frame(delta('!', 'r1'));
    const [first, second, last] = transcripts();
    const id = first.id;
    expect(id).to.match(/^assistant-/);
    expect(first).to.deep.equal({ id, role: 'assistant', text: 'Hel', delta: 'Hel', final: false });
    expect(second).to.deep.equal({ id, role: 'assistant', text: 'Hello', delta: 'lo', final: false });
    expect(last).to.deep.equal({ id, role: 'assistant', text: 'Hello there', delta: ' there', final: true });
    expect(transcripts()).to.have.length(3);
    await s.stop();
  });

  it('gives deltas without an id to the open item, and a done without text keeps the text it has', async () => {
    const { s, frame, transcripts } = fakeSession();
    frame(delta('a'));
    frame(delta('b'));
    frame(done());
    frame(done());
    frame(delta('c'));
    const [a, ab, finished, c] = transcripts();
    expect(ab).to.deep.include({ id: a.id, text: 'ab' });
    expect(finished).to.deep.equal({ id: a.id, role: 'assistant', text: 'ab', delta: '', final: true });
    expect(c.id).not.to.equal(a.id);
    expect(transcripts()).to.have.length(4);
    await s.stop();
  });

  it('a done whose text does not extend the streamed one replaces it', async () => {
    const { s, frame, transcripts } = fakeSession();
    frame(delta('Helo', 'r1'));
    frame(done('Hello', 'r1'));
    frame(done('Only the end'));
    expect(transcripts()[1]).to.deep.include({ text: 'Hello', delta: 'Hello', final: true });
    expect(transcripts()[2]).to.deep.include({ role: 'assistant', text: 'Only the end', delta: 'Only the end', final: true });
    await s.stop();
  });

  it('interrupt() ends the open item as it stands; barge-in lets the next delta start a new one', async () => {
    const { s, frame, transcripts, ready } = fakeSession();
    ready();
    s.interrupt();
    expect(transcripts()).to.deep.equal([]);
    frame(delta('half a sent'));
    s.interrupt();
    s.interrupt();
    expect(transcripts()[1]).to.deep.include({ role: 'assistant', text: 'half a sent', delta: '', final: true });
    expect(transcripts()).to.have.length(2);
    frame({ type: 'realtime.input_audio_buffer.speech_started' });
    frame(delta('x'));
    frame({ type: 'realtime.input_audio_buffer.speech_started' });
    frame(delta('y'));
    const [x, y] = transcripts().slice(2);
    expect(x.text).to.equal('x');
    expect(y.text).to.equal('y');
    expect(y.id).not.to.equal(x.id);
    await s.stop();
  });

  it('user items are final at once; every item id is unique in the call, even when a reconnected server repeats a reply id', async () => {
    const { s, frame, transcripts, ready, drop, events } = fakeSession({ reconnect: { baseDelayMs: 1, maxDelayMs: 1 } });
    ready();
    expect(s.sendText('Hi')).to.equal(true);
    frame({ type: 'realtime.conversation.item.input_audio_transcription.completed', data: { content: 'Hi' } });
    const [typed, spoken] = transcripts();
    expect(typed).to.deep.include({ role: 'user', text: 'Hi', delta: 'Hi', final: true });
    expect(typed.id).to.match(/^user-/);
    expect(spoken.id).not.to.equal(typed.id);
    frame(delta('one', 'r1'));
    const one = transcripts()[2];
    drop();
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.type === 'state').map((e) => e.detail.state)).to.include('reconnecting');
    frame(delta('two', 'r1'));
    frame(delta('!', 'r1'));
    const [again, more] = transcripts().slice(3);
    expect(again.id).not.to.equal(one.id);
    expect(again.text).to.equal('two');
    expect(more).to.deep.include({ id: again.id, text: 'two!' });
    await s.stop();
  });
});
