// Vite plugin: `import code from './x.worklet.ts?bundled'` gives the module bundled into ONE self-contained ES
// module (its imports inlined) as a string. The element turns it into a Blob URL for AudioWorklet.addModule() or
// new Worker(); tools/build.mjs writes the same code to dist/ as files for pages that self-host them (strict CSP).
//
// With `share` (the CDN build), the media worker is not a second copy of the code the main thread also runs: the
// `share.core` module (src/worker/media-core.ts) and everything it imports is emitted once, as one function whose
// result the main thread imports in place of those modules, and the worker's `?bundled` string is that function's
// own source text, called, then `share.start` (its export that runs the worker) called.
import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { rolldown } from 'rolldown';

const PREFIX = '\0bundled:';
const SUFFIX = '?bundled';

/** Bundles one entry file into a single ES module; returns rolldown's output chunk. */
async function bundle(file, { minify = true, sourcemap = false } = {}) {
  const b = await rolldown({ input: file, platform: 'browser', logLevel: 'silent' });
  try {
    const { output } = await b.generate({
      format: 'es',
      minify,
      comments: !minify,
      sourcemap: sourcemap && 'hidden',
      // Absolute source paths: the map is handed to Vite for a virtual module, which has no folder to be relative to.
      sourcemapPathTransform: (source, mapFile) => resolve(dirname(mapFile), source),
    });
    return output[0];
  } finally {
    await b.close();
  }
}

/** Bundles one entry file into a single ES module string. */
export async function bundleFile(file, { minify = true } = {}) {
  return (await bundle(file, { minify })).code;
}

/**
 * The shared module: `function mediaCore() { …the core bundled… return [its exports] }`, its exports taken from one
 * call, and `workerCode`, the worker's source made from the function's text. Minified with the rest of the build.
 */
async function sharedModule({ core, start }) {
  const chunk = await bundle(resolve(core), { minify: false, sourcemap: true });
  const tail = /\nexport \{([^}]*)\};?\s*$/.exec(chunk.code);
  if (!tail || /^\s*import\b/m.test(chunk.code)) throw new Error(`bundled-plugin: ${core} did not bundle into one module with one export list`);
  const exports = tail[1].split(',').map((e) => {
    const [local, name = local] = e.trim().split(/\s+as\s+/);
    return { local, name };
  });
  const startIndex = exports.findIndex((e) => e.name === start);
  if (startIndex < 0) throw new Error(`bundled-plugin: ${core} does not export ${start}`);
  const code = [
    'function mediaCore() {',
    chunk.code.slice(0, tail.index),
    `return [${exports.map((e) => e.local).join(', ')}];`,
    '}',
    `export const [${exports.map((e) => e.name).join(', ')}] = mediaCore();`,
    `export const workerCode = \`(\${mediaCore})()[${startIndex}]();\`;`,
  ].join('\n');
  // The body moved down one line: so does its map (the breakdown of the build's sizes reads it).
  const { version, names, sources, sourcesContent, mappings } = chunk.map;
  const map = JSON.stringify({ version, names, sources, sourcesContent, mappings: `;${mappings}` });
  return {
    code,
    map,
    names: exports.map((e) => e.name),
    file: realpathSync(resolve(core)),
    moduleIds: new Set(chunk.moduleIds.map((id) => realpathSync(id))),
  };
}

/** The file behind a module id, symlinks resolved; undefined for virtual modules. */
function realFile(id) {
  if (id.startsWith('\0')) return undefined;
  try {
    return realpathSync(id.split('?')[0]);
  } catch {
    return undefined;
  }
}

export function bundledPlugin({ minify = true, share } = {}) {
  let shared;
  const getShared = () => (shared ??= sharedModule(share));
  return {
    name: 'navtalk-bundled',
    enforce: 'pre',
    buildStart() {
      shared = undefined;
    },
    async resolveId(id, importer) {
      if (!id.endsWith(SUFFIX)) return undefined;
      const resolved = await this.resolve(id.slice(0, -SUFFIX.length), importer, { skipSelf: true });
      return resolved ? PREFIX + resolved.id : undefined;
    },
    async load(id) {
      if (id.startsWith(PREFIX)) {
        const file = id.slice(PREFIX.length);
        if (share && realFile(file) === realpathSync(resolve(share.worker))) {
          return `export { workerCode as default } from ${JSON.stringify((await getShared()).file)};`;
        }
        this.addWatchFile(file);
        return `export default ${JSON.stringify(await bundleFile(file, { minify }))};`;
      }
      const real = share && realFile(id);
      if (!real) return undefined;
      const s = await getShared();
      // The core module becomes the shared function; the modules it holds re-export, by name, what it returns. By
      // name, not `export *`: an import of anything else from those modules is then a build error ("not exported"),
      // where a star re-export would leave it silently undefined in the CDN file.
      if (real === s.file) {
        for (const file of s.moduleIds) this.addWatchFile(file);
        return { code: s.code, map: s.map };
      }
      return s.moduleIds.has(real) ? `export { ${s.names.join(', ')} } from ${JSON.stringify(s.file)};` : undefined;
    },
  };
}
