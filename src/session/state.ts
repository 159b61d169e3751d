/** Call states of the public contract (DESIGN.md §2), reflected on the element's `state` attribute. */
export type CallState =
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'listening'
  | 'thinking'
  | 'speaking'
  | 'reconnecting'
  | 'closed'
  | 'error';

const ACTIVE: CallState[] = ['connected', 'listening', 'thinking', 'speaking'];
const ENDINGS: CallState[] = ['closed', 'error', 'reconnecting'];

/** Every legal move; anything else is refused. */
const TRANSITIONS: Record<CallState, readonly CallState[]> = {
  idle: ['connecting', 'closed', 'error'],
  connecting: ['connected', ...ENDINGS],
  connected: ['listening', 'thinking', ...ENDINGS],
  listening: ['thinking', 'speaking', ...ENDINGS],
  thinking: ['listening', 'speaking', ...ENDINGS],
  speaking: ['listening', 'thinking', ...ENDINGS],
  reconnecting: ['connecting', 'closed', 'error'],
  closed: ['connecting', 'error'],
  error: ['connecting', 'closed'],
};

export const canMove = (from: CallState, to: CallState): boolean => TRANSITIONS[from].includes(to);

/** In a call: the socket is up and the session accepts input. */
export const isInCall = (s: CallState): boolean => ACTIVE.includes(s);

/** The conversation is ready for the visitor's input. */
export const isReady = (s: CallState): boolean => s === 'listening' || s === 'thinking' || s === 'speaking';

/** A call is running or being set up. */
export const isBusy = (s: CallState): boolean => isInCall(s) || s === 'connecting' || s === 'reconnecting';
