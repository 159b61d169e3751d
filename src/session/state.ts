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

/** Every legal move; anything else is refused (a move to the current state is no move at all). */
export function canMove(from: CallState, to: CallState): boolean {
  if (from === to) return false;
  switch (to) {
    case 'connecting': // open a call, or the next connection of this one
      return !isBusy(from) || from === 'reconnecting';
    case 'connected':
      return from === 'connecting';
    case 'listening':
    case 'thinking':
      return from === 'connected' || isReady(from);
    case 'speaking':
      return isReady(from);
    case 'reconnecting': // out of a running call
      return isBusy(from);
    case 'closed':
    case 'error': // end a call, or end its reconnecting for good
      return from !== 'idle';
    default: // nothing moves back to idle
      return false;
  }
}

/** The conversation is ready for the visitor's input. */
export const isReady = (s: CallState): boolean => s === 'listening' || s === 'thinking' || s === 'speaking';

/** A call is running or being set up: every state but `idle`, `closed` and `error`. */
export const isBusy = (s: CallState): boolean => s !== 'idle' && s !== 'closed' && s !== 'error';
