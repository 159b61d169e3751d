// Helpers for the UI tests: mount elements by hand (see test/element.test.ts for why not fixture()), find parts.
import '../../src/define.js';
import type { NavtalkAvatarElement } from '../../src/navtalk-avatar.js';
import { nextEvent, simUrl } from '../support/sim.js';

const mounted: HTMLElement[] = [];
afterEach(async () => {
  for (const w of mounted.splice(0)) {
    for (const el of w.querySelectorAll('navtalk-avatar')) await el.stop();
    w.remove();
  }
});

/** Mounts `<navtalk-avatar …attrs>inner</navtalk-avatar>` (inside a wrapper) talking to the simulator as `tag`. */
export async function mount(tag: string | null, attrs = '', inner = '', sim: Record<string, string | number> = {}, wrapperAttrs = ''): Promise<NavtalkAvatarElement> {
  const url = tag ? await simUrl(tag, sim) : 'ws://127.0.0.1:9/x';
  const wrapper = document.createElement('div');
  wrapper.innerHTML = `<div ${wrapperAttrs}><navtalk-avatar server-url="${url}" avatar-id="sim-avatar" ${attrs}>${inner}</navtalk-avatar></div>`;
  document.body.append(wrapper);
  mounted.push(wrapper);
  const el = wrapper.querySelector('navtalk-avatar')!;
  await el.updateComplete;
  return el;
}

/** The first node of a part in the element's shadow root (`part~=` so multi-name parts match too). */
export const part = <T extends HTMLElement = HTMLElement>(el: NavtalkAvatarElement, name: string): T =>
  el.shadowRoot!.querySelector<T>(`[part~="${name}"]`)!;
/** Whether a part is rendered (tests compare booleans: chai's report of a DOM node can hang the page). */
export const has = (el: NavtalkAvatarElement, name: string): boolean => el.shadowRoot!.querySelector(`[part~="${name}"]`) !== null;
export const parts = (el: NavtalkAvatarElement, name: string): HTMLElement[] => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
export const text = (node: Element | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Resolves once the element is in `state` and has rendered it. */
export async function inState(el: NavtalkAvatarElement, state: string, timeoutMs = 8000): Promise<void> {
  if (el.state !== state) await nextEvent<any>(el, 'navtalk-state', (d) => d.state === state, timeoutMs);
  await el.updateComplete;
}

/** Resolves when `check` passes after a mutation anywhere in `root` (an event, not a sleep); rejects after a timeout. */
export function whenMutated<T>(root: Node, check: () => T | undefined | false | null, timeoutMs = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const now = check();
    if (now) return resolve(now);
    const obs = new MutationObserver(() => {
      const v = check();
      if (!v) return;
      obs.disconnect();
      clearTimeout(timer);
      resolve(v);
    });
    const timer = setTimeout(() => {
      obs.disconnect();
      reject(new Error('timed out waiting for a mutation'));
    }, timeoutMs);
    obs.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** A WebSocket that never opens: holds a call in `connecting` for as long as a test needs. */
export function holdConnecting(): () => void {
  const real = window.WebSocket;
  class Silent {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    readyState = 0;
    bufferedAmount = 0;
    binaryType = 'blob';
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;
    constructor(readonly url: string) {}
    send() {}
    close() {
      this.readyState = 3;
    }
  }
  window.WebSocket = Silent as unknown as typeof WebSocket;
  return () => {
    window.WebSocket = real;
  };
}

/** Types into the element's message box and submits it as a visitor would (the form's submit button). */
export function typeAndSend(el: NavtalkAvatarElement, message: string): void {
  part<HTMLInputElement>(el, 'text-input').value = message;
  part(el, 'send-button').click();
}
