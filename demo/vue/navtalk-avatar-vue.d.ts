// Template types for <navtalk-avatar> in Vue 3 (read by Vue's language tools, e.g. vue-tsc and the Vue editor
// extension, when they check templates; plain tsc reads it too, see NavtalkAvatarVueProps in main.ts).
//
// Vue's runtime sets a binding on a custom element as a PROPERTY when the element has that property
// (`key in el`), else as an ATTRIBUTE; `.prop` / `^attr` modifiers force one or the other. So bind the element's
// camelCase properties (`:textOnly`, `:tools`, `:functionHandlers`): `:text-only="false"` would become the
// attribute text-only="false", which the element reads as true. Events: `@navtalk-transcript` listens to the
// `navtalk-transcript` event.
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { NavtalkAvatarElement, NavtalkAvatarProperties, NavtalkEventMap } from '../../src/index.js';

/** The element's writable properties, with their own types (from the package). */
export type NavtalkAvatarVueProps = NavtalkAvatarProperties;

/** `@navtalk-transcript`, `@navtalk-function-call`, ...: each event with its typed CustomEvent. */
export type NavtalkAvatarVueEmits = { [K in keyof NavtalkEventMap]: (event: NavtalkEventMap[K]) => void };

/** The shape Vue's template checker expects of a component: the element instance plus template-only `$props`/`$emit`. */
export type NavtalkAvatarVueComponent = new () => NavtalkAvatarElement & {
  /** @deprecated Template types only: not a real property of the element. */
  $props: Omit<HTMLAttributes, keyof NavtalkAvatarVueProps> & NavtalkAvatarVueProps & PublicProps;
  /** @deprecated Template types only: not a real property of the element. */
  $emit: EmitFn<NavtalkAvatarVueEmits>;
};

declare module 'vue' {
  interface GlobalComponents {
    'navtalk-avatar': NavtalkAvatarVueComponent;
  }
}
