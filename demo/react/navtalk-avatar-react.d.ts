// JSX types for <navtalk-avatar> in React 19.
//
// React 19 treats a custom element's props like this (react-dom's setPropOnCustomElement):
//   - `on<event-name>={fn}` adds fn as a listener for the event named exactly <event-name> (`onnavtalk-transcript`
//     listens to `navtalk-transcript`; the name is case-sensitive, so no camelCase here);
//   - any other prop whose name exists on the element (`prop in element`) is set as a PROPERTY, so objects, arrays,
//     functions and booleans arrive intact;
//   - everything else becomes an ATTRIBUTE (strings; `true` gives an empty attribute, `false`/null removes it).
// So the typed props below are the element's camelCase properties, and the element must be registered (import
// '../../src/define.js' or 'navtalk-avatar/define') BEFORE React renders it: otherwise `serverUrl` is not yet a
// property on the element and React would write a useless `serverUrl` attribute.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { NavtalkAvatarElement, NavtalkAvatarProperties, NavtalkEventMap } from '../../src/index.js';

/** The element's writable properties, with their own types (from the package). */
export type { NavtalkAvatarProperties };

/** `onnavtalk-transcript`, `onnavtalk-function-call`, ...: typed listeners for every public event. */
export type NavtalkAvatarEventProps = {
  [K in keyof NavtalkEventMap as `on${K}`]?: (event: NavtalkEventMap[K]) => void;
};

/** Everything `<navtalk-avatar>` accepts in JSX: the usual HTML props (ref, className, style, ...) plus the above. */
export type NavtalkAvatarJSXProps = Omit<
  DetailedHTMLProps<HTMLAttributes<NavtalkAvatarElement>, NavtalkAvatarElement>,
  keyof NavtalkAvatarProperties
> &
  NavtalkAvatarProperties &
  NavtalkAvatarEventProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'navtalk-avatar': NavtalkAvatarJSXProps;
    }
  }
}
