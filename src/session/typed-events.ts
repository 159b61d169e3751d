/** A typed EventTarget: `emit(type, detail)` and `on(type, fn)` returning its own unsubscribe. */
export class TypedEventTarget<M extends object> extends EventTarget {
  emit<K extends keyof M & string>(type: K, detail: M[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  on<K extends keyof M & string>(type: K, listener: (detail: M[K]) => void): () => void {
    const wrapped = (e: Event) => listener((e as CustomEvent<M[K]>).detail);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }
}
