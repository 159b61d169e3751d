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

/**
 * Marks where a value goes while the template is parsed: appended to a bound attribute's name (so the real attribute
 * never holds a placeholder: an SVG `d` would log a parse error), or the text of a child position's end comment.
 */
const MARK = '$nt$';
/** Elements and comments: the nodes that can carry a binding, walked in document order (= the values' order). */
const SHOW = 129; // NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT

/** Applies one value to a stamped template's binding. */
type Binding = (value: unknown) => void;

/** `@name`: one DOM listener calling the latest function (given the event; our listeners are arrow functions). */
const eventBinding = (el: Element, name: string): Binding => {
  let listener: ((e: Event) => void) | undefined;
  el.addEventListener(name, (e) => listener?.(e));
  return (value) => void (listener = value as typeof listener);
};

/** `name=${value}`: the value as text, set when it changes; `nothing` (null) or undefined removes the attribute. */
const attributeBinding = (el: Element, name: string): Binding => {
  let last: string | null | undefined;
  return (value) => {
    const text = value == null ? null : String(value);
    if (text === last) return;
    last = text;
    if (text === null) el.removeAttribute(name);
    else el.setAttribute(name, text);
  };
};

/** Parsed once per template: MARK after each bound attribute's name, and an end comment of MARK (after an empty one) per child position. */
const templates = new WeakMap<TemplateStringsArray, HTMLTemplateElement>();

/** A copy of the template, and the function that applies its values (bindings found by their MARKs, in order). */
function stamp(strings: TemplateStringsArray): [DocumentFragment, (values: readonly unknown[]) => void] {
  let template = templates.get(strings);
  if (!template) {
    let markup = strings[0];
    for (let i = 1; i < strings.length; i++) {
      // Inside a tag (an attribute value) when the last '<' comes after the last '>': `name=` becomes `name$nt$=""`.
      const inTag = markup.lastIndexOf('<') > markup.lastIndexOf('>');
      markup = (inTag ? markup.replace(/=(["']?)$/, (_, quote) => `${MARK}=${quote || '""'}`) : `${markup}<!----><!--${MARK}-->`) + strings[i];
    }
    templates.set(strings, (template = document.createElement('template')));
    template.innerHTML = markup;
  }
  const fragment = document.importNode(template.content, true);
  const bindings: Binding[] = [];
  const walker = document.createTreeWalker(fragment, SHOW);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n instanceof Element) {
      for (const { name } of [...n.attributes]) {
        if (!name.endsWith(MARK)) continue;
        n.removeAttribute(name);
        const bound = name.slice(0, -MARK.length);
        bindings.push(bound[0] === '@' ? eventBinding(n, bound.slice(1)) : attributeBinding(n, bound));
      }
    } else if ((n as Comment).data === MARK) {
      const part = new ChildPart(n.previousSibling as Comment, n as Comment);
      bindings.push((value) => part.render(value));
    }
  }
  // A value in a place the renderer does not support would silently shift every later value to the wrong binding.
  if (bindings.length !== strings.length - 1) throw new Error('html: a template value sits where no binding is supported');
  return [fragment, (values) => bindings.forEach((binding, i) => binding(values[i]))];
}

/** Two new comments before `end`: the bounds of a list item. */
const itemPart = (end: Comment) => {
  const [start, itemEnd] = [new Comment(), new Comment()];
  end.before(start, itemEnd);
  return new ChildPart(start, itemEnd);
};

/** The place between two comments: holds text, a template, a list or nothing. */
class ChildPart {
  #start: Comment;
  #end: Comment;
  #text: Text | undefined;
  /** The template shown (its strings) and how to update it. */
  #strings: TemplateStringsArray | undefined;
  #update: ((values: readonly unknown[]) => void) | undefined;
  #items: ChildPart[] | undefined;
  constructor(start: Comment, end: Comment) {
    this.#start = start;
    this.#end = end;
  }

  render(value: unknown) {
    if (value instanceof TemplateResult) {
      if (this.#strings !== value.strings) {
        this.clear();
        const [fragment, update] = stamp(value.strings);
        update(value.values);
        this.#end.before(fragment);
        this.#strings = value.strings;
        this.#update = update;
      } else this.#update!(value.values);
    } else if (Array.isArray(value)) {
      if (!this.#items) this.clear();
      const items = (this.#items ??= []);
      value.forEach((v, i) => (items[i] ??= itemPart(this.#end)).render(v));
      for (const gone of items.splice(value.length)) gone.clear(true);
    } else if (value == null) {
      this.clear();
    } else {
      const text = String(value);
      if (!this.#text) {
        this.clear();
        this.#end.before((this.#text = new Text()));
      }
      if (this.#text.data !== text) this.#text.data = text;
    }
  }

  /** Removes everything between its comments (and the comments too, for a list item that goes). */
  clear(withBounds?: boolean) {
    const end = this.#end;
    while (end.previousSibling !== this.#start) end.previousSibling!.remove();
    if (withBounds) {
      this.#start.remove();
      end.remove();
    }
    this.#strings = this.#items = this.#text = undefined;
  }
}

const roots = new WeakMap<Node, ChildPart>();

/** Renders `value` into `container` (after what it already holds), updating in place on later calls. */
export function render(value: unknown, container: Node): void {
  let root = roots.get(container);
  if (!root) roots.set(container, (root = new ChildPart(container.appendChild(new Comment()), container.appendChild(new Comment()))));
  root.render(value);
}
