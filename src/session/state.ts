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
  // open a call, or the next connection of this one
  if (to === 'connecting') return !isBusy(from) || from === 'reconnecting';
  if (to === 'connected') return from === 'connecting';
  if (to === 'speaking') return isReady(from);
  // out of a running call
  if (to === 'reconnecting') return isBusy(from);
  // end a call, or end its reconnecting for good
  if (to === 'closed' || to === 'error') return from !== 'idle';
  // listening or thinking; nothing moves back to idle
  return to !== 'idle' && (from === 'connected' || isReady(from));
}

/** The conversation is ready for the visitor's input. */
export const isReady = (s: CallState): boolean => s === 'listening' || s === 'thinking' || s === 'speaking';

/** A call is running or being set up: every state but `idle`, `closed` and `error`. */
export const isBusy = (s: CallState): boolean => s !== 'idle' && s !== 'closed' && s !== 'error';
