import { NavtalkAvatarElement } from './navtalk-avatar.js';

export const TAG = 'navtalk-avatar';

/** Registers the element under `tag` once; a second call (or a second copy of the library) is a no-op. */
export function define(tag = TAG, registry: CustomElementRegistry = customElements): void {
  if (!registry.get(tag)) registry.define(tag, class extends NavtalkAvatarElement {});
}

define();

declare global {
  interface HTMLElementTagNameMap {
    'navtalk-avatar': NavtalkAvatarElement;
  }
}
