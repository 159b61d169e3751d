import type {
  ConnectedDetail,
  DisconnectedDetail,
  ErrorDetail,
  FunctionCallDetail,
  SpeechDetail,
  StateDetail,
  TranscriptDetail,
  WarningDetail,
} from './session/session-events.js';

export type * from './session/session-events.js';

/** Every public event of `<navtalk-avatar>`, with its detail. All bubble and cross shadow roots. */
export interface NavtalkEventMap {
  'navtalk-state': CustomEvent<StateDetail>;
  'navtalk-connected': CustomEvent<ConnectedDetail>;
  'navtalk-transcript': CustomEvent<TranscriptDetail>;
  'navtalk-function-call': CustomEvent<FunctionCallDetail>;
  'navtalk-speech': CustomEvent<SpeechDetail>;
  'navtalk-error': CustomEvent<ErrorDetail>;
  'navtalk-disconnected': CustomEvent<DisconnectedDetail>;
  'navtalk-warning': CustomEvent<WarningDetail>;
}

export type NavtalkEventName = keyof NavtalkEventMap;
type DetailOf<K extends NavtalkEventName> = NavtalkEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Dispatches a public event with the flags every public event has. */
export function emit<K extends NavtalkEventName>(target: EventTarget, name: K, detail: DetailOf<K>): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends NavtalkEventMap {}
}
