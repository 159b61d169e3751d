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

/** A stamped template's way to apply its values: each binding takes `span` values from `at`. */
type Binding = (values: readonly unknown[], at: number) => void;
interface Spec {
  /** Position of the bound node among the walked nodes. */
  node: number;
  /** Makes the binding for the stamped node. */
  bind: (node: Node, host: unknown) => Binding;
  /** How many values it takes. */
  span: number;
}

const prepared = new WeakMap<TemplateStringsArray, [HTMLTemplateElement, Spec[]]>();

/** `?name`: present while the value is truthy. */
const booleanBinding = (name: string) => (el: Node) => (values: readonly unknown[], at: number) =>
  (el as Element).toggleAttribute(name, !!values[at] && values[at] !== nothing);

/** `@name`: one DOM listener calling the latest function with the host as `this`. */
const eventBinding = (name: string) => (el: Node, host: unknown) => {
  let fn: unknown;
  el.addEventListener(name, (e) => typeof fn === 'function' && fn.call(host, e));
  return (values: readonly unknown[], at: number) => void (fn = values[at]);
};

/** `name=${a}` or `name="x ${a} y ${b}"`: set when the text changes; a lone `nothing`/null/undefined removes it. */
const attributeBinding = (name: string, statics: string[]) => (el: Node) => {
  let last: string | null | undefined;
  return (values: readonly unknown[], at: number) => {
    const lone = values[at];
    let text: string | null = null;
    if (statics.length > 2 || (lone !== nothing && lone != null)) {
      text = statics[0];
      for (let i = 1; i < statics.length; i++) text += String(values[at + i - 1] ?? '') + statics[i];
    }
    if (text === last) return;
    last = text;
    if (text === null) (el as Element).removeAttribute(name);
    else (el as Element).setAttribute(name, text);
  };
};

function prepare(strings: TemplateStringsArray): [HTMLTemplateElement, Spec[]] {
  let markup = strings[0];
  for (let i = 1; i < strings.length; i++) {
    // Inside a tag (an attribute value) when the last '<' comes after the last '>'.
    markup += (markup.lastIndexOf('<') > markup.lastIndexOf('>') ? MARK : `<!--${MARK}-->`) + strings[i];
  }
  const template = document.createElement('template');
  template.innerHTML = markup;
  const specs: Spec[] = [];
  const walker = document.createTreeWalker(template.content, SHOW);
  for (let node = 0, n = walker.nextNode(); n; n = walker.nextNode(), node++) {
    if (n instanceof Element) {
      for (const { name, value } of [...n.attributes]) {
        if (!value.includes(MARK)) continue;
        n.removeAttribute(name);
        const statics = value.split(MARK);
        const rest = name.slice(1);
        specs.push({
          node,
          span: statics.length - 1,
          bind: name[0] === '?' ? booleanBinding(rest) : name[0] === '@' ? eventBinding(rest) : attributeBinding(name, statics),
        });
      }
    } else if ((n as Comment).data === MARK) {
      specs.push({ node, span: 1, bind: childBinding });
    }
  }
  return [template, specs];
}

/** A stamped template: its top-level nodes, its child parts (to clear them) and how to apply its values. */
interface Instance {
  strings: TemplateStringsArray;
  nodes: ChildNode[];
  children: ChildPart[];
  update: (values: readonly unknown[]) => void;
}

function stamp(strings: TemplateStringsArray, host: unknown): [Instance, DocumentFragment] {
  const [template, specs] = prepared.get(strings) ?? prepared.set(strings, prepare(strings)).get(strings)!;
  const fragment = document.importNode(template.content, true);
  const walker = document.createTreeWalker(fragment, SHOW);
  const children: ChildPart[] = [];
  const bindings: [Binding, number][] = [];
  let node = -1;
  let n: Node | null = null;
  for (const spec of specs) {
    while (node < spec.node) (n = walker.nextNode()), node++;
    const binding = spec.bind(n!, host);
    if ((binding as ChildBinding).part) children.push((binding as ChildBinding).part);
    bindings.push([binding, spec.span]);
  }
  const update = (values: readonly unknown[]) => {
    let at = 0;
    for (const [binding, span] of bindings) binding(values, (at += span) - span);
  };
  return [{ strings, nodes: [...fragment.childNodes], children, update }, fragment];
}

type ChildBinding = Binding & { part: ChildPart };
function childBinding(marker: Node, host: unknown): ChildBinding {
  const part = new ChildPart(marker as Comment, host);
  return Object.assign((values: readonly unknown[], at: number) => part.render(values[at]), { part });
}

/** A place before its comment marker that holds text, a template, a list or nothing. */
class ChildPart {
  #marker: Comment;
  #host: unknown;
  #text: Text | undefined;
  #instance: Instance | undefined;
  #items: ChildPart[] | undefined;
  constructor(marker: Comment, host: unknown) {
    this.#marker = marker;
    this.#host = host;
  }

  render(value: unknown) {
    const marker = this.#marker;
    if (value instanceof TemplateResult) {
      let instance = this.#instance;
      if (instance?.strings !== value.strings) {
        this.clear();
        const [stamped, fragment] = stamp(value.strings, this.#host);
        (this.#instance = instance = stamped).update(value.values);
        marker.before(fragment);
      } else instance.update(value.values);
    } else if (Array.isArray(value)) {
      if (!this.#items) this.clear();
      const items = (this.#items ??= []);
      value.forEach((v, i) => {
        if (!items[i]) {
          const m = new Comment();
          marker.before(m);
          items[i] = new ChildPart(m, this.#host);
        }
        items[i].render(v);
      });
      for (const gone of items.splice(value.length)) gone.clear(true);
    } else if (value === nothing || value == null) {
      this.clear();
    } else {
      const text = String(value);
      if (!this.#text) {
        this.clear();
        marker.before((this.#text = new Text()));
      }
      if (this.#text.data !== text) this.#text.data = text;
    }
  }

  /** Removes what it holds (and its marker too, for a list item that goes). */
  clear(withMarker?: boolean) {
    // Content that nested parts put at the template's top level is not among its nodes: those parts clear it.
    for (const part of [...(this.#instance?.children ?? []), ...(this.#items ?? [])]) part.clear(this.#items !== undefined);
    for (const node of this.#instance?.nodes ?? []) node.remove();
    this.#text?.remove();
    if (withMarker) this.#marker.remove();
    this.#instance = this.#items = this.#text = undefined;
  }
}

const roots = new WeakMap<Node, ChildPart>();

/** Renders `value` into `container` (after what it already holds), updating in place on later calls. */
export function render(value: unknown, container: Node, options?: { host?: unknown }): void {
  let root = roots.get(container);
  if (!root) roots.set(container, (root = new ChildPart(container.appendChild(new Comment()), options?.host)));
  root.render(value);
}
