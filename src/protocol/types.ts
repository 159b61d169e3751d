/**
 * NavTalk wire types (../shared/PROTOCOL.md). Client messages are built by ./builders.ts; server frames are
 * turned into {@link ServerEvent}s by ./normalize.ts, which accepts every documented variant of each field.
 */

/** Error codes of the public contract (DESIGN.md §2). */
export type ErrorCode =
  | 'invalid-license'
  | 'insufficient-balance'
  | 'connection-limit'
  | 'gpu-full'
  | 'backend-error'
  | 'session-closed'
  | 'mic-denied'
  | 'mic-unavailable'
  | 'network'
  | 'protocol'
  | 'webrtc-failed'
  | 'autoplay-blocked'
  | 'config'
  | 'function-timeout';

/** Codes that end the call with no automatic reconnect. */
export const FATAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid-license',
  'insufficient-balance',
  'connection-limit',
  'gpu-full',
  'backend-error',
  'session-closed',
  'config',
]);

export const isFatal = (code: ErrorCode): boolean => FATAL_CODES.has(code);

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** A JSON-schema function tool as the page declares it. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface HistoryItem {
  role: 'user' | 'assistant' | string;
  text: string;
}

export interface SdpInit {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** The reply an event belongs to; undefined when the server sends no id. The events of a reply, and only they, always
 * have this `id` key (the session tells them apart by it). */
export type ReplyId = string | undefined;

/** Every server frame the client acts on, after normalisation. */
export type ServerEvent =
  | { type: 'connected'; sessionId: string; iceServers: IceServer[] }
  | { type: 'warning'; message: string }
  | { type: 'server-error'; code: ErrorCode; message: string }
  | { type: 'session-created' }
  | { type: 'session-updated' }
  | { type: 'legacy-session-id'; sessionId: string }
  | { type: 'speech-started' }
  | { type: 'speech-stopped' }
  | { type: 'user-transcript'; text: string }
  | { type: 'assistant-delta'; id: ReplyId; delta: string }
  | { type: 'assistant-done'; id: ReplyId; text?: string }
  | { type: 'audio-delta'; id: ReplyId; audio: string }
  | { type: 'audio-done'; id: ReplyId }
  | { type: 'response-done'; id: ReplyId }
  | { type: 'function-call'; callId: string; name: string; arguments: Record<string, unknown> }
  | { type: 'signaling-offer'; sdp: SdpInit }
  | { type: 'signaling-answer'; sdp: SdpInit }
  | { type: 'signaling-candidate'; candidate: CandidateInit };

export type ServerEventType = ServerEvent['type'];
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

/** Why a frame was dropped. Each reason is reported once per session. */
export type MalformedReason = 'binary' | 'not-json' | 'no-type' | 'too-large' | 'bad-payload';

export type ParseResult =
  | { kind: 'event'; event: ServerEvent }
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: MalformedReason; detail: string };

/** Client → server messages (PROTOCOL.md §4b). */
export type ClientMessage =
  | { type: 'realtime.input_config'; data: { content: string } }
  | { type: 'realtime.input_function_call'; data: { content: string } }
  | { type: 'realtime.input_audio_buffer.append'; data: { audio: string } }
  | { type: 'realtime.input_image'; data: { content: string; reply: 0 | 1 } }
  | {
      type: 'conversation.item.create';
      item:
        | { type: 'message'; role: 'user'; content: { type: 'input_text'; text: string }[] }
        | { type: 'function_call_output'; call_id: string; output: string };
    }
  | { type: 'response.create' }
  | { type: 'webrtc.signaling.answer' | 'webrtc.signaling.offer'; data: { sdp: SdpInit } }
  | { type: 'webrtc.signaling.iceCandidate'; data: { candidate: CandidateInit } }
  // legacy v1 (PROTOCOL.md §10)
  | { type: 'input_audio_buffer.append'; audio: string }
  | { type: 'session.update'; session: Record<string, unknown> };
