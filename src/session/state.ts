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

/** Moves out of a call: it ended, failed, or is being restored. */
const ENDINGS: CallState[] = ['closed', 'error', 'reconnecting'];
/** Moves from the end of a call: open the next, or end this one for good. */
const RESTART: CallState[] = ['connecting', 'closed', 'error'];

/** Every legal move; anything else is refused (a move to the current state is no move at all). */
const TRANSITIONS: Record<CallState, readonly CallState[]> = {
  idle: ['connecting'],
  connecting: ['connected', ...ENDINGS],
  connected: ['listening', 'thinking', ...ENDINGS],
  listening: ['thinking', 'speaking', ...ENDINGS],
  thinking: ['listening', 'speaking', ...ENDINGS],
  speaking: ['listening', 'thinking', ...ENDINGS],
  reconnecting: RESTART,
  closed: RESTART,
  error: RESTART,
};

export const canMove = (from: CallState, to: CallState): boolean => from !== to && TRANSITIONS[from].includes(to);

/** The conversation is ready for the visitor's input. */
export const isReady = (s: CallState): boolean => s === 'listening' || s === 'thinking' || s === 'speaking';

/** A call is running or being set up: every state but `idle`, `closed` and `error`. */
export const isBusy = (s: CallState): boolean => s !== 'idle' && s !== 'closed' && s !== 'error';
