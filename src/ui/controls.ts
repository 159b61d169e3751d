import { html, nothing } from './html.js';
import type { ErrorDetail } from '../session/session-events.js';
import type { Strings } from '../i18n/strings.js';
import { ICONS, icon } from './icons.js';

/** Errors a retry cannot fix: the site's setup is wrong. */
const NO_RETRY = new Set(['config', 'invalid-license', 'insufficient-balance']);
/** Diagnostics for the page (events), not news for the visitor: no banner. */
export const QUIET = new Set(['protocol', 'function-timeout']);

/** The error banner: the visitor's words for the code, and Try again when the call ended and may work again. */
export function errorBanner(err: ErrorDetail, s: Strings, ended: boolean, onRetry: () => void, onDismiss: () => void) {
  const retry = ended && !NO_RETRY.has(err.code);
  return html`<div class="error" part="error" role="alert" data-code=${err.code}><p>${s.errors[err.code] ?? err.message}${
    err.code === 'config' ? html` <small>${err.message}</small>` : nothing
  }</p>${
    retry
      ? html`<button part="retry-button" @click=${onRetry}>${s.retry}</button>`
      : html`<button part="dismiss-button" class="quiet" @click=${onDismiss}>${s.dismiss}</button>`
  }</div>`;
}

export interface ControlsView {
  s: Strings;
  busy: boolean;
  /** Conversation by typing only: no microphone control. */
  typing: boolean;
  muted: boolean;
  onCall: () => void;
  onMute: () => void;
  onSubmit: (e: SubmitEvent) => void;
}

/**
 * Start/end, mute (with the level meter), and the message box: in visual order, which is also the tab order.
 * Templates here keep their line breaks inside `${}` (text between tags ships as is).
 * The input's `id` is also its name in `form.elements`. Boolean `aria-*` values bind as `true`/`false`.
 * Buttons here and elsewhere carry no `type`: only the send button is inside a form, where the default (submit) is
 * what it does; the others have no form owner (a page's form outside the shadow root never owns them).
 */
export function controls(v: ControlsView) {
  const { s } = v;
  return html`<div class="controls" part="controls"><button part="call-button" class=${v.busy ? 'end' : ''} @click=${v.onCall}>${icon(ICONS.phone)}${v.busy ? s.end : s.start}</button>${
    v.typing
      ? nothing
      : html`<button part="mic-button" class="mic" aria-label=${s.mute} title=${v.muted ? s.unmute : s.mute} aria-pressed=${v.muted} @click=${v.onMute}><span class="level" part="mic-level"></span>${icon(v.muted ? ICONS.micOff : ICONS.mic)}</button>`
  }<form @submit=${v.onSubmit}><label class="vh" for="text">${s.inputLabel}</label><input id="text" part="text-input" autocomplete="off" enterkeyhint="send" placeholder=${s.inputPlaceholder} maxlength="4000"><button part="send-button" aria-label=${s.send} title=${s.send}>${icon(ICONS.send)}</button></form></div>`;
}

/** The floating launcher; `talking` marks it while the avatar speaks and the panel is closed. */
export function launcher(s: Strings, open: boolean, talking: boolean, onClick: () => void) {
  return html`<button class=${talking ? 'launcher talking' : 'launcher'} part="launcher" aria-controls="panel" aria-expanded=${open} aria-label=${open ? s.closePanel : s.openLauncher} @click=${onClick}><slot name="launcher-icon">${icon(open ? ICONS.close : ICONS.chat)}</slot></button>`;
}
