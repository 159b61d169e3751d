/** `?bundled` imports: the module and its imports as one self-contained ES module, as a string (tools/bundled-plugin.mjs). */
declare module '*?bundled' {
  const code: string;
  export default code;
}
