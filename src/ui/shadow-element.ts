import { render } from './html.js';

/**
 * The element's reactive base: LitElement's model (rendering through `src/ui/html.ts`, our cut-down lit-html) with
 * the small part of it this widget uses, written out so the CDN file does not carry the rest: declared properties mirrored from
 * attributes (and reflected where asked), batched async updates with `willUpdate` / `render` / `updated`,
 * `updateComplete`, and one constructable style sheet shared by every instance.
 *
 * Browser floor: constructable style sheets (`adoptedStyleSheets`; no `<style>` fallback) and static class blocks:
 * Chrome/Edge 94, Firefox 101, Safari 16.4.
 */

/** How one property meets its attribute. */
export interface PropertyDeclaration {
  /** Attribute name (by default the property's name in kebab case, `serverUrl` -> `server-url`); `false` for none. */
  attribute?: string | false;
  /** `Boolean`: present or absent; `Number`: a number (null when absent); else the attribute's text as it is. */
  type?: typeof Boolean | typeof Number;
  /** Property changes are written back to the attribute (a property with one). */
  reflect?: boolean;
  /** Attribute text (null when absent) to property value, in place of `type` (a function converter, as in Lit). */
  converter?: (value: string | null) => unknown;
}

/** Changed properties of one update, with their previous values. */
export type PropertyValues = Map<PropertyKey, unknown>;

/** What a helper object needs from its element: a way to ask for a re-render. */
export interface UpdateHost {
  requestUpdate(): void;
}

const attributeName = (name: string, d: PropertyDeclaration) => d.attribute ?? name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

const fromAttribute = (d: PropertyDeclaration, v: string | null): unknown =>
  d.converter ? d.converter(v) : d.type === Boolean ? v !== null : d.type === Number && v !== null ? Number(v) : v;

/** For reflection: `Boolean` present or absent, else the value as text (absent when null or undefined). */
const toAttribute = (d: PropertyDeclaration, v: unknown): string | null => (d.type === Boolean ? (v ? '' : null) : v == null ? null : String(v));

/** One constructable sheet per element class, adopted by every shadow root (no CSP `style-src` needed). */
const sheets = new WeakMap<object, CSSStyleSheet>();
/** Per element class: attribute name -> property name (the accessors are defined on first use). */
const attributeMaps = new WeakMap<object, Map<string, string>>();

function attributeMap(ctor: typeof ShadowElement): Map<string, string> {
  let map = attributeMaps.get(ctor);
  if (!map) {
    attributeMaps.set(ctor, (map = new Map()));
    for (const [name, d] of Object.entries(ctor.properties)) {
      const attr = attributeName(name, d);
      if (attr) map.set(attr, name);
      const key = Symbol(name);
      Object.defineProperty(ctor.prototype, name, {
        get(this: Record<symbol, unknown>) {
          return this[key];
        },
        set(this: ShadowElement & Record<symbol, unknown>, value: unknown) {
          const old = this[key];
          if (Object.is(old, value)) return;
          this[key] = value;
          this.requestUpdate(name, old);
        },
      });
    }
  }
  return map;
}

export abstract class ShadowElement extends HTMLElement implements UpdateHost {
  /** The element's properties (every subclass declares its own, `{}` for none). */
  declare static properties: Record<string, PropertyDeclaration>;
  /** The element's CSS, shipped as written (every subclass declares it). */
  declare static styles: string;

  static get observedAttributes(): string[] {
    return [...attributeMap(this).keys()];
  }

  #changes: PropertyValues = new Map();
  #pending: Promise<void> | undefined;
  #queued = false;
  /** Properties set on the element before its class was defined (own properties shadowing the accessors). */
  #early: [string, unknown][] = [];

  constructor() {
    super();
    // The accessors exist already: customElements.define() read observedAttributes before any element is made.
    const ctor = this.constructor as typeof ShadowElement;
    for (const name of Object.keys(ctor.properties)) {
      if (Object.hasOwn(this, name)) {
        this.#early.push([name, (this as Record<string, unknown>)[name]]);
        delete (this as Record<string, unknown>)[name];
      }
    }
    let sheet = sheets.get(ctor);
    if (!sheet) {
      sheets.set(ctor, (sheet = new CSSStyleSheet()));
      sheet.replaceSync(ctor.styles);
    }
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [sheet];
  }

  /** Resolves once no update is pending (after any an update itself requested). */
  get updateComplete(): Promise<boolean> {
    return this.#settled();
  }

  async #settled(): Promise<boolean> {
    let seen;
    while (seen !== this.#pending) await (seen = this.#pending);
    return !this.#queued;
  }

  connectedCallback(): void {
    this.requestUpdate();
  }

  attributeChangedCallback(attr: string, _old: string | null, value: string | null): void {
    const ctor = this.constructor as typeof ShadowElement;
    const name = attributeMap(ctor).get(attr);
    if (name) (this as Record<string, unknown>)[name] = fromAttribute(ctor.properties[name]!, value);
  }

  /** Schedules an update (once per microtask); with a name, records that property as changed. */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined && !this.#changes.has(name)) this.#changes.set(name, old);
    if (this.#queued) return;
    this.#queued = true;
    this.#pending = Promise.resolve().then(() => {
      if (!this.isConnected) return void (this.#queued = false);
      for (const [n, v] of this.#early.splice(0)) (this as Record<string, unknown>)[n] = v;
      this.#queued = false;
      this.#update();
    });
  }

  #update() {
    const changed = this.#changes;
    this.#changes = new Map();
    this.willUpdate(changed);
    const ctor = this.constructor as typeof ShadowElement;
    for (const name of changed.keys()) {
      const d = ctor.properties[name as string];
      if (!d?.reflect) continue;
      const attr = attributeName(name as string, d) as string;
      const v = toAttribute(d, (this as Record<string, unknown>)[name as string]);
      // The change comes back through attributeChangedCallback as the same string or boolean: a no-op.
      if (v === null) this.removeAttribute(attr);
      else this.setAttribute(attr, v);
    }
    render(this.render(), this.shadowRoot!);
    this.updated(changed);
  }

  /** Before rendering (empty here: overriding hooks need not call it). */
  protected willUpdate(_changed: PropertyValues): void {}
  /** After rendering (empty here: overriding hooks need not call it). */
  protected updated(_changed: PropertyValues): void {}
  protected abstract render(): unknown;
}
