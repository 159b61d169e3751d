import { expect } from '@open-wc/testing';
import type { CallState } from '../../src/session/state.js';
import { canMove } from '../../src/session/state.js';

/** Every legal move, from each state; every other move is refused. */
const LEGAL: Record<CallState, CallState[]> = {
  idle: ['connecting'],
  connecting: ['connected', 'reconnecting', 'closed', 'error'],
  connected: ['listening', 'thinking', 'reconnecting', 'closed', 'error'],
  listening: ['thinking', 'speaking', 'reconnecting', 'closed', 'error'],
  thinking: ['listening', 'speaking', 'reconnecting', 'closed', 'error'],
  speaking: ['listening', 'thinking', 'reconnecting', 'closed', 'error'],
  reconnecting: ['connecting', 'closed', 'error'],
  closed: ['connecting', 'error'],
  error: ['connecting', 'closed'],
};

describe('call state machine', () => {
  it('allows exactly the legal moves', () => {
    const states = Object.keys(LEGAL) as CallState[];
    for (const from of states) {
      expect(states.filter((to) => canMove(from, to)), from).to.deep.equal(LEGAL[from]);
    }
  });
});
