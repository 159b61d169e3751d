import type { ErrorCode } from '../protocol/types.js';
import type { CallState } from './state.js';

export interface StateDetail {
  state: CallState;
  previous: CallState;
}
export interface ConnectedDetail {
  sessionId: string;
}
export interface TranscriptDetail {
  id: string;
  role: 'user' | 'assistant';
  /** The whole text of this item so far. */
  text: string;
  /** What this event added. */
  delta: string;
  final: boolean;
}
export interface FunctionCallDetail {
  callId: string;
  name: string;
  /** Parsed arguments (the wire may carry a JSON string or an object). */
  arguments: Record<string, unknown>;
  /** Answers the call; only the first answer counts. Returns false when it was already answered. */
  respond(output: unknown): boolean;
}
export interface SpeechDetail {
  speaking: boolean;
}
export interface ErrorDetail {
  code: ErrorCode;
  message: string;
  fatal: boolean;
}
export interface DisconnectedDetail {
  code: number;
  reason: string;
  willReconnect: boolean;
}
export interface WarningDetail {
  code: string;
  message: string;
}

/** What a session reports; the element re-dispatches each as `navtalk-<name>`. */
export interface SessionEventMap {
  state: StateDetail;
  connected: ConnectedDetail;
  transcript: TranscriptDetail;
  'function-call': FunctionCallDetail;
  speech: SpeechDetail;
  error: ErrorDetail;
  disconnected: DisconnectedDetail;
  warning: WarningDetail;
}

/** The names of {@link SessionEventMap}: the events the element re-dispatches as `navtalk-<name>`. */
export const SESSION_EVENTS = ['state', 'connected', 'transcript', 'function-call', 'speech', 'error', 'disconnected', 'warning'] as const satisfies readonly (keyof SessionEventMap)[];
