// Vite plugin: `import code from './x.worklet.ts?bundled'` gives the module bundled into ONE self-contained ES
// module (its imports inlined) as a string. The element turns it into a Blob URL for AudioWorklet.addModule() or
// new Worker(); tools/build.mjs writes the same code to dist/ as files for pages that self-host them (strict CSP).
import { rolldown } from 'rolldown';

const PREFIX = '\0bundled:';
const SUFFIX = '?bundled';

/** Bundles one entry file into a single ES module string. */
export async function bundleFile(file, { minify = true } = {}) {
  const bundle = await rolldown({ input: file, platform: 'browser', logLevel: 'silent' });
  try {
    const { output } = await bundle.generate({ format: 'es', minify, comments: !minify });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

export function bundledPlugin({ minify = true } = {}) {
  return {
    name: 'navtalk-bundled',
    enforce: 'pre',
    async resolveId(id, importer) {
      if (!id.endsWith(SUFFIX)) return undefined;
      const resolved = await this.resolve(id.slice(0, -SUFFIX.length), importer, { skipSelf: true });
      return resolved ? PREFIX + resolved.id : undefined;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return undefined;
      const file = id.slice(PREFIX.length);
      this.addWatchFile(file);
      return `export default ${JSON.stringify(await bundleFile(file, { minify }))};`;
    },
  };
}
