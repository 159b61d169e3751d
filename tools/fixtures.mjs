// Test fixtures for Chromium's fake microphone (--use-file-for-fake-audio-capture), made on demand:
//   test/fixtures/sine440.wav  440 Hz sine, amplitude 0.5, 48 kHz mono 16-bit, 4 s (a whole number of cycles, so it loops seamlessly)
//   test/fixtures/speech.wav   a spoken phrase (espeak-ng + sox when present, else a synthetic voiced signal), 48 kHz mono 16-bit
// and test/fixtures/fixtures.json with each file's length and RMS, which the tests compare against.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const DIR = new URL('../test/fixtures/', import.meta.url).pathname;
const RATE = 48000;

function wav(samples, rate = RATE) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32767))), i * 2));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** PCM16 samples of a mono 16-bit WAV (walks the chunks: sox may add a LIST chunk). */
function readWav(buf) {
  let off = 12;
  let rate = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') rate = buf.readUInt32LE(off + 12);
    if (id === 'data') {
      const n = Math.floor(Math.min(size, buf.length - off - 8) / 2);
      const s = new Float64Array(n);
      for (let i = 0; i < n; i++) s[i] = buf.readInt16LE(off + 8 + i * 2) / 32768;
      return { rate, samples: s };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

const rms = (s) => Math.sqrt(s.reduce((a, v) => a + v * v, 0) / s.length);

function syntheticSpeech(seconds = 3) {
  // Voiced source (glottal pulses at a wandering pitch) through three formant resonators, with syllable envelopes.
  const n = seconds * RATE;
  const out = new Float64Array(n);
  let phase = 0;
  const formants = [700, 1200, 2600].map((f, k) => ({ f, bw: 80 + 40 * k, y1: 0, y2: 0 }));
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const pitch = 120 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += pitch / RATE;
    const pulse = phase >= 1 ? ((phase -= 1), 1) : 0;
    let y = 0;
    for (const r of formants) {
      const c = 2 * Math.exp((-Math.PI * r.bw) / RATE) * Math.cos((2 * Math.PI * r.f * (1 + 0.1 * Math.sin(2 * Math.PI * 2.3 * t))) / RATE);
      const d = Math.exp((-2 * Math.PI * r.bw) / RATE);
      const v = pulse + c * r.y1 - d * r.y2;
      r.y2 = r.y1;
      r.y1 = v;
      y += v;
    }
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 2 * t)) ** 0.5;
    out[i] = y * syllable;
  }
  const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return out.map((v) => (v / peak) * 0.6);
}

function speech() {
  const tmp = `${DIR}speech-raw.wav`;
  const espeak = spawnSync('espeak-ng', ['-w', tmp, 'Hello from NavTalk. What is the weather like in Paris today?']);
  const sox = espeak.status === 0 && spawnSync('sox', [tmp, '-r', String(RATE), '-c', '1', '-b', '16', `${DIR}speech.wav`, 'norm', '-3', 'pad', '0.2', '1.0']);
  rmSync(tmp, { force: true });
  if (sox && sox.status === 0) return { source: 'espeak-ng', ...readWav(readFileSync(`${DIR}speech.wav`)) };
  const samples = syntheticSpeech();
  writeFileSync(`${DIR}speech.wav`, wav(samples));
  return { source: 'synthetic', ...readWav(readFileSync(`${DIR}speech.wav`)) };
}

export function ensureFixtures() {
  const meta = `${DIR}fixtures.json`;
  if (existsSync(meta) && existsSync(`${DIR}sine440.wav`) && existsSync(`${DIR}speech.wav`)) return JSON.parse(readFileSync(meta, 'utf8'));
  mkdirSync(DIR, { recursive: true });
  const sine = Array.from({ length: 4 * RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / RATE));
  writeFileSync(`${DIR}sine440.wav`, wav(sine));
  const sineRead = readWav(readFileSync(`${DIR}sine440.wav`));
  const sp = speech();
  const info = {
    sine440: { path: `${DIR}sine440.wav`, hz: 440, rate: sineRead.rate, samples: sineRead.samples.length, rms: rms(sineRead.samples) },
    speech: { path: `${DIR}speech.wav`, source: sp.source, rate: sp.rate, samples: sp.samples.length, rms: rms(sp.samples) },
  };
  writeFileSync(meta, JSON.stringify(info, null, 2));
  return info;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(ensureFixtures(), null, 2));
