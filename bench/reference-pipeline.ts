/**
 * The microphone pipeline NavTalk's documentation and official web clients show (PROTOCOL.md §5), rebuilt here
 * only to measure against: a 24 kHz AudioContext resamples the microphone implicitly, a ScriptProcessor of 8192
 * frames calls back on the main thread, which converts to Int16, base64s the whole buffer with
 * String.fromCharCode.apply + btoa, and sends it as 4096-character slices, one message each.
 */
export interface ReferenceResult {
  latencies: number[];
  messages: number;
  samples: number;
}

const BUFFER = 8192;
const SLICE = 4096;
const RATE = 24000;

export function referenceEncode(input: Float32Array): string[] {
  const pcm = new Int16Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const s = Math.max(-1, Math.min(1, input[i]!));
    pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
  }
  const bytes = new Uint8Array(pcm.buffer);
  const b64 = btoa(String.fromCharCode.apply(null, bytes as unknown as number[]));
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += SLICE) out.push(JSON.stringify({ type: 'realtime.input_audio_buffer.append', data: { audio: b64.slice(i, i + SLICE) } }));
  return out;
}

/** Starts the reference pipeline; `reset()` clears its counters, `stop()` ends it and returns them. */
export async function runReference(ws: WebSocket, stream: MediaStream): Promise<{ reset(): void; stop(): Promise<ReferenceResult> }> {
  const ctx = new AudioContext({ sampleRate: RATE });
  const source = ctx.createMediaStreamSource(stream);
  const node = ctx.createScriptProcessor(BUFFER, 1, 1);
  let result: ReferenceResult = { latencies: [], messages: 0, samples: 0 };
  node.onaudioprocess = (e) => {
    const now = performance.timeOrigin + performance.now();
    const messages = referenceEncode(e.inputBuffer.getChannelData(0));
    // Message k carries samples [k·1536, (k+1)·1536) of the buffer, whose last sample reached script `now`.
    const perMessage = (SLICE / 4) * 3 / 2;
    messages.forEach((m, k) => {
      ws.send(m);
      const firstSample = k * perMessage;
      result.latencies.push(performance.timeOrigin + performance.now() - (now - ((BUFFER - firstSample) / RATE) * 1000));
    });
    result.messages += messages.length;
    result.samples += BUFFER;
  };
  source.connect(node);
  node.connect(ctx.destination);
  return {
    reset() {
      result = { latencies: [], messages: 0, samples: 0 };
    },
    async stop() {
      node.onaudioprocess = null;
      source.disconnect();
      node.disconnect();
      await ctx.close();
      return result;
    },
  };
}
