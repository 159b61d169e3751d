/**
 * The widget's template renderer: lit-html's `html` tagged templates and `render()`, cut down to what our own
 * templates use, so the CDN file does not carry a general-purpose renderer.
 *
 * Supported: child expressions (text, `nothing`/null/undefined, nested templates, arrays of them), attribute
 * expressions that are the attribute's whole value (`name=${v}`: the value as text; `nothing`/null/undefined removes
 * the attribute, so `hidden=${x ? '' : nothing}` toggles one) and event listeners (`@click=${fn}`: `fn(event)`, with
 * no `this`: bind arrow functions).
 *
 * Safety is lit-html's: template markup comes only from the static strings of tagged templates; values are written as
 * Text nodes and through setAttribute, never parsed as HTML; only a `TemplateResult` made by `html` renders as
 * markup, so data shaped like one (a parsed JSON object) still renders as text.
 *
 * Limits (fine for our templates, checked by the tests): no `>` or `<` inside static attribute values or text next to
 * a binding, no bindings inside `<template>`, `<textarea>`, `<style>` or comments, no value interpolated into static
 * attribute text (`class="a ${b}"` stays static text: write `class=${b ? 'a b' : 'a'}`), no boolean (`?name`) or
 * property (`.prop`) bindings.
 */

/** What `html` returns: the static strings (the cache key) and the values. */
export class TemplateResult {
  constructor(
    readonly strings: TemplateStringsArray,
    readonly values: readonly unknown[],
  ) {}
}

/** Renders nothing in a child position; removes the attribute in an attribute position (as null and undefined do). */
export const nothing = null;

export const html = (strings: TemplateStringsArray, ...values: unknown[]): TemplateResult => new TemplateResult(strings, values);

/** Placed where a value goes while the template is parsed: in attribute values, and as comment text for children. */
const MARK = '$nt$';
/** Elements and comments: the nodes that can carry a binding, walked in document order (= the values' order). */
const SHOW = 129; // NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT

/** A stamped template's way to apply one value. */
type Binding = (value: unknown) => void;
interface Spec {
  /** Position of the bound node among the walked nodes. */
  node: number;
  /** Makes the binding for the stamped element; none for a child position (a comment marker). */
  bind?: (el: Element) => Binding;
}

const prepared = new WeakMap<TemplateStringsArray, [HTMLTemplateElement, Spec[]]>();

/** `@name`: one DOM listener calling the latest function (given the event; our listeners are arrow functions). */
const eventBinding = (name: string) => (el: Element) => {
  let listener: (e: Event) => void;
  el.addEventListener(name, (e) => listener(e));
  return (value: unknown) => void (listener = value as typeof listener);
};

/** `name=${value}`: the value as text, set when it changes; `nothing` (null) or undefined removes the attribute. */
const attributeBinding = (name: string) => (el: Element) => {
  let last: string | null | undefined;
  return (value: unknown) => {
    const text = value == null ? null : String(value);
    if (text === last) return;
    last = text;
    if (text === null) el.removeAttribute(name);
    else el.setAttribute(name, text);
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
        if (value !== MARK) continue;
        n.removeAttribute(name);
        specs.push({ node, bind: name[0] === '@' ? eventBinding(name.slice(1)) : attributeBinding(name) });
      }
    } else if ((n as Comment).data === MARK) {
      specs.push({ node });
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

function stamp(strings: TemplateStringsArray): [Instance, DocumentFragment] {
  const [template, specs] = prepared.get(strings) ?? prepared.set(strings, prepare(strings)).get(strings)!;
  const fragment = document.importNode(template.content, true);
  const walker = document.createTreeWalker(fragment, SHOW);
  const children: ChildPart[] = [];
  const bindings: Binding[] = [];
  let node = -1;
  let n: Node | null = null;
  for (const spec of specs) {
    while (node < spec.node) (n = walker.nextNode()), node++;
    if (spec.bind) bindings.push(spec.bind(n as Element));
    else {
      const part = new ChildPart(n as Comment);
      children.push(part);
      bindings.push((value) => part.render(value));
    }
  }
  const update = (values: readonly unknown[]) => bindings.forEach((binding, i) => binding(values[i]));
  return [{ strings, nodes: [...fragment.childNodes], children, update }, fragment];
}

/** A place before its comment marker that holds text, a template, a list or nothing. */
class ChildPart {
  #marker: Comment;
  #text: Text | undefined;
  #instance: Instance | undefined;
  #items: ChildPart[] | undefined;
  constructor(marker: Comment) {
    this.#marker = marker;
  }

  render(value: unknown) {
    const marker = this.#marker;
    if (value instanceof TemplateResult) {
      let instance = this.#instance;
      if (instance?.strings !== value.strings) {
        this.clear();
        const [stamped, fragment] = stamp(value.strings);
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
          items[i] = new ChildPart(m);
        }
        items[i].render(v);
      });
      for (const gone of items.splice(value.length)) gone.clear(true);
    } else if (value == null) {
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
export function render(value: unknown, container: Node): void {
  let root = roots.get(container);
  if (!root) roots.set(container, (root = new ChildPart(container.appendChild(new Comment()))));
  root.render(value);
}
