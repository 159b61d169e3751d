import { html, nothing } from './html.js';
import type { Strings } from '../i18n/strings.js';
import type { CallState } from '../session/state.js';
import { ICONS, icon } from './icons.js';

export interface StageView {
  s: Strings;
  state: CallState;
  /** Video frames are playing (the poster steps aside). */
  live: boolean;
  caption: string;
  soundBlocked: boolean;
  onSound: () => void;
  /** Stops the avatar's reply (shown while it speaks). */
  onStop: () => void;
  onPlaying: (e: Event) => void;
}

/**
 * The avatar: video, poster (or the `poster` slot) with the connecting animation, captions, status, sound and stop
 * controls. Line breaks stay inside `${}` (text between tags ships as is).
 */
export function stage(v: StageView) {
  const { s, state } = v;
  const waiting = state === 'connecting' || state === 'reconnecting';
  return html`<div class="stage" part="stage"><video part="video" autoplay playsinline aria-label=${s.avatar} @playing=${v.onPlaying} @emptied=${v.onPlaying}></video><div class=${waiting ? 'poster waiting' : 'poster'} part="poster" hidden=${v.live && !waiting ? '' : nothing}><slot name="poster"><svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="9" r="4"/><path d="M3 24a9 7 0 0 1 18 0z"/></svg></slot></div><div class="status" part="status" data-state=${state}>${
    s.states[state]
  }</div>${
    state === 'speaking'
      ? html`<button class="stop" part="stop-button" aria-label=${s.stopReply} title=${s.stopReply} @click=${v.onStop}>${icon(ICONS.stop)}</button>`
      : nothing
  }${v.caption ? html`<div class="captions" part="captions" aria-hidden="true"><span>${v.caption}</span></div>` : nothing}${
    v.soundBlocked ? html`<button class="sound" part="sound-button" @click=${v.onSound}>${icon(ICONS.sound)}${s.turnOnSound}</button>` : nothing
  }</div>`;
}
