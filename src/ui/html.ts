/**
 * The widget's template renderer: lit-html's `html` tagged templates and `render()`, cut down to what our own
 * templates use, so the CDN file does not carry a general-purpose renderer.
 *
 * Supported: child expressions (text, `nothing`/null/undefined, nested templates, arrays of them), attribute
 * expressions (whole or interpolated values, e.g. `class="a ${b}"`), boolean attributes (`?hidden=${x}`) and event
 * listeners (`@click=${fn}`, called with the render's `host` as `this`).
 *
 * Safety is lit-html's: template markup comes only from the static strings of tagged templates; values are written as
 * Text nodes and through setAttribute, never parsed as HTML; only a `TemplateResult` made by `html` renders as
 * markup, so data shaped like one (a parsed JSON object) still renders as text.
 *
 * Limits (fine for our templates, checked by the tests): no `>` or `<` inside static attribute values or text next to
 * a binding, no bindings inside `<template>`, `<textarea>`, `<style>` or comments, no property (`.prop`) bindings.
 */

/** What `html` returns: the static strings (the cache key) and the values. */
export class TemplateResult {
  constructor(
    readonly strings: TemplateStringsArray,
    readonly values: readonly unknown[],
  ) {}
}

/** Renders nothing in a child position; removes the attribute in an attribute position. */
export const nothing: unique symbol = Symbol('nothing');

export const html = (strings: TemplateStringsArray, ...values: unknown[]): TemplateResult => new TemplateResult(strings, values);

/** Placed where a value goes while the template is parsed: in attribute values, and as comment text for children. */
const MARK = '$nt$';
/** Elements and comments: the nodes that can carry a binding, walked in document order (= the values' order). */
const SHOW = 129; // NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT

type Kind = 'child' | 'attr' | 'bool' | 'event';
interface Spec {
  /** Position of the bound node among the walked nodes. */
  at: number;
  kind: Kind;
  name: string;
  /** Attribute parts: the static text around the values (values = statics.length - 1). */
  statics: string[];
}
interface Prepared {
  template: HTMLTemplateElement;
  specs: Spec[];
}

const prepared = new WeakMap<TemplateStringsArray, Prepared>();

function prepare(strings: TemplateStringsArray): Prepared {
  let markup = strings[0];
  for (let i = 1; i < strings.length; i++) {
    // Inside a tag (an attribute value) when the last '<' comes after the last '>'.
    markup += (markup.lastIndexOf('<') > markup.lastIndexOf('>') ? MARK : `<!--${MARK}-->`) + strings[i];
  }
  const template = document.createElement('template');
  template.innerHTML = markup;
  const specs: Spec[] = [];
  const walker = document.createTreeWalker(template.content, SHOW);
  for (let at = 0, node = walker.nextNode(); node; node = walker.nextNode(), at++) {
    if (node instanceof Element) {
      for (const { name, value } of [...node.attributes]) {
        if (!value.includes(MARK)) continue;
        node.removeAttribute(name);
        const kind: Kind = name[0] === '?' ? 'bool' : name[0] === '@' ? 'event' : 'attr';
        specs.push({ at, kind, name: kind === 'attr' ? name : name.slice(1), statics: value.split(MARK) });
      }
    } else if ((node as Comment).data === MARK) {
      specs.push({ at, kind: 'child', name: '', statics: ['', ''] });
    }
  }
  return { template, specs };
}

interface Part {
  /** How many of the template's values this part takes. */
  readonly size: number;
  set(values: readonly unknown[], from: number): void;
}

class AttributePart implements Part {
  #last: unknown = {};
  constructor(
    readonly el: Element,
    readonly name: string,
    readonly statics: string[],
  ) {}
  get size() {
    return this.statics.length - 1;
  }
  set(values: readonly unknown[], from: number) {
    const s = this.statics;
    const single = values[from];
    let v: string | null = null;
    if (s.length > 2 || (single !== nothing && single != null)) {
      v = s[0];
      for (let i = 1; i < s.length; i++) v += String(values[from + i - 1] ?? '') + s[i];
    }
    if (v === this.#last) return;
    this.#last = v;
    if (v === null) this.el.removeAttribute(this.name);
    else this.el.setAttribute(this.name, v);
  }
}

class BooleanPart implements Part {
  readonly size = 1;
  constructor(
    readonly el: Element,
    readonly name: string,
  ) {}
  set(values: readonly unknown[], from: number) {
    this.el.toggleAttribute(this.name, !!values[from] && values[from] !== nothing);
  }
}

class EventPart implements Part {
  readonly size = 1;
  #fn: unknown;
  constructor(el: Element, name: string, readonly host: unknown) {
    el.addEventListener(name, this);
  }
  set(values: readonly unknown[], from: number) {
    this.#fn = values[from];
  }
  handleEvent(e: Event) {
    if (typeof this.#fn === 'function') this.#fn.call(this.host, e);
  }
}

/** A stamped template: its top-level nodes and its parts. */
class Instance {
  readonly nodes: Node[];
  readonly parts: Part[] = [];
  constructor(
    readonly strings: TemplateStringsArray,
    host: unknown,
  ) {
    const { template, specs } = (prepared.get(strings) ?? prepared.set(strings, prepare(strings)).get(strings))!;
    const fragment = document.importNode(template.content, true);
    const walker = document.createTreeWalker(fragment, SHOW);
    let at = -1;
    let node: Node | null = null;
    for (const spec of specs) {
      while (at < spec.at) (node = walker.nextNode()), at++;
      const el = node as Element;
      this.parts.push(
        spec.kind === 'child'
          ? new ChildPart(node as Comment, host)
          : spec.kind === 'bool'
            ? new BooleanPart(el, spec.name)
            : spec.kind === 'event'
              ? new EventPart(el, spec.name, host)
              : new AttributePart(el, spec.name, spec.statics),
      );
    }
    this.nodes = [...fragment.childNodes];
    this.fragment = fragment;
  }
  /** The nodes until they are first inserted. */
  fragment: DocumentFragment | undefined;
  update(values: readonly unknown[]) {
    let i = 0;
    for (const part of this.parts) {
      part.set(values, i);
      i += part.size;
    }
  }
}

/** A place between nodes (before its comment marker) that holds text, a template, a list or nothing. */
class ChildPart implements Part {
  readonly size = 1;
  #text: Text | undefined;
  #instance: Instance | undefined;
  #items: ChildPart[] | undefined;
  constructor(
    readonly marker: Comment,
    readonly host: unknown,
  ) {}

  set(values: readonly unknown[], from: number) {
    this.render(values[from]);
  }

  render(value: unknown) {
    if (value instanceof TemplateResult) {
      if (this.#instance?.strings !== value.strings) {
        this.clear();
        this.#instance = new Instance(value.strings, this.host);
      }
      const instance = this.#instance;
      instance.update(value.values);
      if (instance.fragment) {
        this.marker.before(instance.fragment);
        instance.fragment = undefined;
      }
    } else if (Array.isArray(value)) {
      if (!this.#items) this.clear();
      const items = (this.#items ??= []);
      value.forEach((v, i) => {
        if (!items[i]) {
          const marker = document.createComment('');
          this.marker.before(marker);
          items[i] = new ChildPart(marker, this.host);
        }
        items[i].render(v);
      });
      for (const gone of items.splice(value.length)) {
        gone.clear();
        gone.marker.remove();
      }
    } else if (value === nothing || value == null) {
      this.clear();
    } else {
      const text = String(value);
      if (!this.#text) {
        this.clear();
        this.marker.before((this.#text = new Text()));
      }
      if (this.#text.data !== text) this.#text.data = text;
    }
  }

  clear() {
    // Content that nested parts put at the template's top level is not among its nodes: those parts clear it.
    for (const part of this.#instance?.parts ?? []) if (part instanceof ChildPart) part.clear();
    for (const node of this.#instance?.nodes ?? []) (node as ChildNode).remove();
    for (const item of this.#items ?? []) {
      item.clear();
      item.marker.remove();
    }
    this.#text?.remove();
    this.#instance = this.#items = this.#text = undefined;
  }
}

const roots = new WeakMap<Node, ChildPart>();

/** Renders `value` into `container` (after what it already holds), updating in place on later calls. */
export function render(value: unknown, container: Node, options?: { host?: unknown }): void {
  let root = roots.get(container);
  if (!root) roots.set(container, (root = new ChildPart(container.appendChild(document.createComment('')), options?.host)));
  root.render(value);
}
