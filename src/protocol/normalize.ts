import type { CandidateInit, ErrorCode, IceServer, MalformedReason, ParseResult, SdpInit, ServerEvent } from './types.js';

/** Frames larger than this are refused before parsing (a hostile or broken server must not freeze the page). */
export const MAX_FRAME_CHARS = 2 * 1024 * 1024;

type Obj = Record<string, unknown>;
/** A plain JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Server error events, v2 and the older names some clients still use (PROTOCOL.md §4a, §8, §10).
 * `connected.fail` is an invalid license unless its message names the avatar.
 */
const ERROR_EVENTS: Record<string, ErrorCode> = {
  'conversation.connected.fail': 'invalid-license',
  'conversation.connected.close': 'session-closed',
  'conversation.connected.insufficient_balance': 'insufficient-balance',
  'conversation.connected.connection_limit_exceeded': 'connection-limit',
  'conversation.connected.gpu_full': 'gpu-full',
  'conversation.connected.backend_error': 'backend-error',
  'session.insufficient_balance': 'insufficient-balance',
  'session.gpu_full': 'gpu-full',
  'session.backend.error': 'backend-error',
  'session.backend_error': 'backend-error',
  // OpenAI-style errors: one request failed, the session goes on.
  error: 'protocol',
  'response.error': 'protocol',
};

/**
 * A field looked up in every place the variants put it: `data.data`, `data`, the top level (legacy v1 events are
 * flat; v2 error events carry `message` at the top level), then the places one kind of event uses: `raw_data` (the
 * upstream OpenAI event beside a function call's `data`) and `error` (OpenAI-style errors).
 * Scopes are searched in that order, each for every name; the first value that is not null wins.
 */
function fieldReader(msg: Obj): (...names: string[]) => unknown {
  const data = msg.data;
  const scopes = [isObj(data) ? data.data : undefined, data, msg, msg.raw_data, msg.error].filter(isObj);
  return (...names) => {
    for (const scope of scopes) for (const n of names) if (scope[n] != null) return scope[n];
    return undefined;
  };
}

/** A session description as an object or as its SDP text; its type is the event's (an offer event carries an offer). */
function parseSdp(v: unknown, type: SdpInit['type']): SdpInit | undefined {
  const sdp = isObj(v) ? v.sdp : v;
  return typeof sdp === 'string' ? { type, sdp } : undefined;
}

/** A candidate as an object, or as a string with its other fields beside it (legacy signaling). */
function parseCandidate(v: unknown, read: (...n: string[]) => unknown): CandidateInit | undefined {
  const c = isObj(v) ? v : { candidate: v, sdpMid: read('sdpMid'), sdpMLineIndex: read('sdpMLineIndex') };
  if (typeof c.candidate !== 'string') return undefined;
  return {
    candidate: c.candidate,
    sdpMid: str(c.sdpMid) ?? null,
    sdpMLineIndex: typeof c.sdpMLineIndex === 'number' ? c.sdpMLineIndex : null,
    usernameFragment: str(c.usernameFragment) ?? null,
  };
}

/** `arguments` as the object handlers get (the wire sends an object or its JSON text). */
function parseArguments(v: unknown): Obj {
  if (isObj(v)) return v;
  let parsed: unknown = {};
  try {
    if (typeof v === 'string' && v.trim()) parsed = JSON.parse(v);
  } catch {
    // not JSON: no arguments
  }
  return isObj(parsed) ? parsed : { value: parsed };
}

/** An ICE server as RTCPeerConnection takes it: `urls` a string or strings (the server's and the page's alike). */
export const isIceServer = (s: unknown): s is IceServer =>
  isObj(s) && (typeof s.urls === 'string' || (Array.isArray(s.urls) && s.urls.every((u) => typeof u === 'string')));

const iceServers = (v: unknown): IceServer[] => (Array.isArray(v) ? v.filter(isIceServer) : []);

/** Turns one decoded JSON object into an event; undefined for types the client does not act on. */
export function normalizeMessage(msg: Obj): ServerEvent | 'bad-payload' | undefined {
  const rawType = msg.type as string;
  // v2 prefixes realtime events with `realtime.` and signaling with `webrtc.signaling.`; legacy v1 sends the bare
  // names (OpenAI's, and `offer`/`answer`/`iceCandidate` on its signaling socket). Treat both alike.
  const type = rawType.replace(/^(realtime|webrtc\.signaling)\./, '');
  const read = fieldReader(msg);
  const readText = (...names: string[]) => str(read(...names));
  const id = readText('id', 'response_id', 'responseId', 'item_id');

  const errorCode = ERROR_EVENTS[type];
  if (errorCode) {
    const given = readText('message', 'error_message', 'reason');
    let code: ErrorCode = errorCode;
    if (code === 'invalid-license' && given && /avatar|character/i.test(given)) code = 'config';
    // Legacy servers refuse a license with a plain `error` event.
    else if (code === 'protocol' && given && /licen[cs]e/i.test(given)) code = 'invalid-license';
    return { type: 'server-error', code, message: given || `NavTalk reported ${code} (${rawType}).` };
  }

  switch (type) {
    case 'conversation.connected.success':
      return { type: 'connected', sessionId: readText('sessionId', 'session_id') ?? '', iceServers: iceServers(read('iceServers', 'ice_servers')) };
    case 'conversation.connected.warning': // without a message: the event's own name
      return { type: 'warning', message: readText('message') ?? rawType };
    case 'session.created':
      return { type: 'session-created' };
    case 'session.updated':
      return { type: 'session-updated' };
    case 'session.session_id': {
      const sid = readText('session_id', 'sessionId');
      return sid ? { type: 'legacy-session-id', sessionId: sid } : 'bad-payload';
    }
    case 'input_audio_buffer.speech_started':
      return { type: 'speech-started' };
    case 'input_audio_buffer.speech_stopped':
      return { type: 'speech-stopped' };
    case 'conversation.item.input_audio_transcription.completed': {
      const text = readText('content', 'transcript', 'text');
      return text === undefined ? 'bad-payload' : { type: 'user-transcript', text };
    }
    case 'response.audio_transcript.delta':
    case 'response.text.delta': {
      const delta = readText('content', 'delta', 'transcript', 'text');
      return delta === undefined ? 'bad-payload' : { type: 'assistant-delta', id, delta };
    }
    case 'response.audio_transcript.done':
    case 'response.text.done':
      return { type: 'assistant-done', id, text: readText('content', 'transcript', 'text') };
    case 'response.audio.delta': {
      const audio = readText('delta', 'audio', 'content');
      return audio === undefined ? 'bad-payload' : { type: 'audio-delta', id, audio };
    }
    case 'response.audio.done':
      return { type: 'audio-done', id };
    case 'response.done':
    case 'response.completed':
      return { type: 'response-done', id };
    case 'response.function_call_arguments.done': {
      const callId = readText('call_id', 'callId');
      const name = readText('function_name', 'name');
      return callId && name ? { type: 'function-call', callId, name, arguments: parseArguments(read('arguments')) } : 'bad-payload';
    }
    case 'offer':
    case 'answer': {
      const sdp = parseSdp(read('sdp'), type);
      return sdp ? { type: `signaling-${type}`, sdp } : 'bad-payload';
    }
    case 'iceCandidate': {
      const candidate = parseCandidate(read('candidate'), read);
      return candidate ? { type: 'signaling-candidate', candidate } : 'bad-payload';
    }
    default:
      return undefined;
  }
}

/** A dropped frame; `detail` (the reason code when there is nothing to add) goes into the session's error message. */
const malformed = (reason: MalformedReason, detail: string = reason): ParseResult => ({ kind: 'malformed', reason, detail });

/** Parses one WebSocket frame. Never throws. */
export function parseFrame(frame: unknown): ParseResult {
  if (typeof frame !== 'string') return malformed('binary');
  if (frame.length > MAX_FRAME_CHARS) return malformed('too-large', `too-large: ${frame.length} characters`);
  let msg: unknown;
  try {
    msg = JSON.parse(frame);
  } catch {
    return malformed('not-json');
  }
  if (!isObj(msg) || typeof msg.type !== 'string' || !msg.type) return malformed('no-type');
  const event = normalizeMessage(msg);
  if (event === 'bad-payload') return malformed('bad-payload', `bad-payload: ${msg.type}`);
  return event ? { kind: 'event', event } : { kind: 'ignored' };
}
