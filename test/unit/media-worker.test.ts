// The media API's send policy, driven directly: the API served on a MessageChannel (as without a worker), a socket
// to the simulator, and capture frames posted by the test (24 kHz, so one 960-sample frame is one 40 ms chunk).
import { expect } from '@open-wc/testing';
import { mainThreadMedia } from '../../src/audio/assets.js';
import type { SocketEvent } from '../../src/worker/media-worker.js';
import { simUrl, uniqueTag, waitForLog } from '../support/sim.js';

const until = async (check: () => Promise<boolean>) => {
  const end = performance.now() + 5000;
  while (!(await check())) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('media API send policy', () => {
  it('skips audio before ready, queues at most 2 s while not ready (oldest dropped, one audio-dropped warning), then sends the rest in order; mute drops the partial chunk', async () => {
    const tag = uniqueTag('policy');
    const media = mainThreadMedia();
    const { api } = media;
    const socket = new MessageChannel();
    const opened = new Promise<void>((resolve) => {
      socket.port1.onmessage = (e: MessageEvent<SocketEvent>) => e.data[0] === 'open' && resolve();
    });
    const url = new URL(await simUrl(tag, { simSay: '' }));
    url.searchParams.set('avatarId', 'sim-avatar');
    await api.openSocket(url.href, socket.port2);
    await opened;

    const frames = new MessageChannel();
    const notify = new MessageChannel();
    const warnings: { code: string; message: string }[] = [];
    notify.port1.onmessage = (e) => warnings.push(e.data);
    await api.startCapture({ inRate: 24000, chunkMs: 40, legacy: false }, frames.port2, notify.port2);
    let posted = 0;
    /** Posts `n` frames of one chunk each (a chunk's samples are its number, for checking the order) and waits until
     * the API has encoded them. */
    const post = async (n: number) => {
      for (let i = 0; i < n; i++) frames.port1.postMessage(new Float32Array(960).fill(++posted / 32767));
      await until(async () => (await api.stats()).encoder?.framesIn === posted);
    };

    await post(10);
    expect((await api.stats()).uplink).to.include({ skippedBeforeReady: 10, sentChunks: 0 });
    await api.setReady(true);
    await post(5);
    expect((await api.stats()).uplink).to.include({ skippedBeforeReady: 10, sentChunks: 5, droppedChunks: 0 });

    // Reconnecting: 80 chunks (3.2 s) wait; the queue keeps the newest 50 (2 s).
    await api.setReady(false);
    await post(80);
    expect((await api.stats()).uplink).to.include({ sentChunks: 5, droppedChunks: 30 });
    expect(warnings.map((w) => w.code)).to.deep.equal(['audio-dropped']);
    expect(warnings[0]!.message).to.include('2000 ms');

    await api.setReady(true);
    await post(1);
    // 51 chunks are more than the socket's 96 KB high-water mark: the rest follows as the socket drains.
    await until(async () => (await api.stats()).uplink.sentChunks === 56);
    const stats = (await api.stats()).uplink;
    expect(stats).to.include({ sentChunks: 56, sentSamples: 56 * 960, droppedChunks: 30, skippedBeforeReady: 10 });
    expect(stats.latencies.length).to.equal(56);

    // The simulator got chunks 11–15, then 46–96: the oldest were the ones dropped. (Its log keeps the start of each
    // chunk's base64: the first 4 characters are the first sample's bytes and one more.)
    const [srv] = await waitForLog(tag, (ss) => ss[0]?.audio?.chunks === 56 && ss);
    const appended = srv!.received
      .filter((m) => m.type === 'realtime.input_audio_buffer.append')
      .map((m) => new Int16Array(Uint8Array.from(atob(m.msg.data.audio.slice(0, 4)), (c) => c.charCodeAt(0)).buffer, 0, 1)[0]);
    expect(appended).to.deep.equal([...[11, 12, 13, 14, 15], ...Array.from({ length: 51 }, (_, i) => 46 + i)]);

    // Muted: nothing is encoded, and the partial chunk goes (the next chunk is all audio from after the unmute).
    frames.port1.postMessage(new Float32Array(480).fill(200 / 32767));
    await until(async () => (await api.stats()).encoder?.framesIn === posted + 1);
    await api.setMuted(true);
    frames.port1.postMessage(new Float32Array(960).fill(201 / 32767));
    // That frame is not counted: give it time to arrive while muted (ports need not keep order between them).
    await new Promise((r) => setTimeout(r, 100));
    await api.setMuted(false);
    frames.port1.postMessage(new Float32Array(960).fill(100 / 32767));
    await until(async () => (await api.stats()).encoder?.framesIn === 98);
    expect((await api.stats()).encoder).to.include({ chunksOut: 97 });
    const [after] = await waitForLog(tag, (ss) => ss[0]?.audio?.chunks === 57 && ss);
    expect(after!.received.at(-1)!.msg.data.audio.slice(0, 4)).to.equal(btoa(String.fromCharCode(100, 0, 100)));

    await api.shutdown();
    media.end();
  });
});
