// Custom Elements Manifest (`npm run manifest`, also run by `npm run build`): writes custom-elements.json at the
// repo root from the element's JSDoc (@attr, @fires, @csspart, @cssprop, @slot) and its Lit `static properties`.
// The plugin below fills in what the analyzer cannot see from src/navtalk-avatar.ts alone (no src/ change needed).
import { readFileSync } from 'node:fs';

const TAG = 'navtalk-avatar';
const CLASS = 'NavtalkAvatarElement';

/** `export const NAME = 'value';` from a source file, for defaults written as a constant. */
const constant = (file, name) =>
  readFileSync(new URL(file, import.meta.url), 'utf8').match(new RegExp(`export const ${name} = '([^']*)'`))?.[1];

/**
 * Where the package publishes what the analysed source declares (package.json `exports`): the class from the side
 * effect free entry, the tag's definition from `navtalk-avatar/define`. The manifest names these files, not src/,
 * because its paths are for consumers (IDE plugins, Storybook) resolving them inside the installed package.
 */
const published = () => {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  const file = (entry) => {
    const target = typeof entry === 'string' ? entry : entry?.import ?? entry?.default;
    if (typeof target !== 'string') throw new Error(`custom-elements-manifest: package.json exports has no import path in ${JSON.stringify(entry)}`);
    return target.replace(/^\.\//, '');
  };
  return { classModule: file(pkg.exports['.']), defineModule: file(pkg.exports['./define']) };
};

/** Event name -> detail type, from `NavtalkEventMap` in src/events.ts. */
const eventTypes = () => {
  const src = readFileSync(new URL('./src/events.ts', import.meta.url), 'utf8');
  const body = src.match(/interface NavtalkEventMap \{([^}]*)\}/)?.[1] ?? '';
  return Object.fromEntries([...body.matchAll(/'([^']+)':\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
};

/** `serverUrl` -> `server-url`: the attribute name ShadowElement (src/ui/shadow-element.ts) gives a property by default. */
const kebab = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/**
 * The analyser's Lit plugin reads `static properties` as Lit does: a property without an `attribute` gets one named
 * like the property, and only an inline `attribute: false` means none. Our base class differs (kebab-case names) and
 * the element writes script-only properties as a shared constant (`tools: SCRIPT_ONLY`), so once the Lit plugin has
 * read the class this fixes both: default attribute names in kebab case (merged with the `@attr` entry of that name,
 * which the Lit plugin would have merged had the names matched), and no attribute for a property whose declaration
 * is a module constant holding `attribute: false`.
 */
function attributeNames(ts, classNode, decl) {
  // Module-level constants by name, for declarations written as one (`tools: SCRIPT_ONLY`).
  const constants = new Map();
  for (const statement of classNode.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) if (d.initializer) constants.set(d.name.getText(), d.initializer);
  }
  const attrOf = (objectLiteral) => objectLiteral.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'attribute')?.initializer;
  const properties = classNode.members.find((m) => m.name?.getText() === 'properties' && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
  if (!properties?.initializer || !ts.isObjectLiteralExpression(properties.initializer)) throw new Error('custom-elements-manifest: no static properties object');
  for (const p of properties.initializer.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const name = p.name.getText();
    const member = decl.members.find((m) => m.kind === 'field' && m.name === name);
    let init = p.initializer;
    if (ts.isIdentifier(init)) init = constants.get(init.text);
    if (!init || !ts.isObjectLiteralExpression(init)) throw new Error(`custom-elements-manifest: cannot read the declaration of ${name}`);
    const attr = attrOf(init);
    if (attr?.kind === ts.SyntaxKind.FalseKeyword) {
      // Script only (the Lit plugin saw an identifier, not `attribute: false`).
      decl.attributes = decl.attributes.filter((a) => a.fieldName !== name);
      if (member) delete member.attribute;
      continue;
    }
    if (attr || kebab(name) === name) continue;
    const index = decl.attributes.findIndex((a) => a.name === name && a.fieldName === name);
    if (index < 0) continue;
    const [read] = decl.attributes.splice(index, 1);
    const named = decl.attributes.findIndex((a) => a.name === kebab(name));
    const merged = { ...decl.attributes[named], ...read, name: kebab(name) };
    if (named >= 0) decl.attributes[named] = merged;
    else decl.attributes.splice(index, 0, merged);
    if (member) member.attribute = kebab(name);
  }
}

function navtalkAvatarPlugin() {
  return {
    name: 'navtalk-avatar',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || node.name?.text !== CLASS) return;
      const decl = moduleDoc.declarations?.find((d) => d.name === CLASS);
      if (decl) attributeNames(ts, node, decl);
    },
    packageLinkPhase({ customElementsManifest: manifest }) {
      const types = eventTypes();
      const serverUrl = constant('./src/config.ts', 'DEFAULT_SERVER_URL');
      for (const mod of manifest.modules) {
        const decl = mod.declarations?.find((d) => d.name === CLASS);
        if (!decl) continue;
        // The tag is registered in src/define.ts (`define()`), outside the analysed glob.
        decl.tagName = TAG;
        decl.customElement = true;
        const fields = new Map((decl.members ?? []).filter((m) => m.kind === 'field' && !m.static).map((m) => [m.name, m]));
        for (const attr of decl.attributes ?? []) {
          const field = fields.get(attr.fieldName);
          if (!attr.description && field?.description) attr.description = field.description;
          if (attr.default === 'DEFAULT_SERVER_URL' && serverUrl) attr.default = `'${serverUrl}'`;
          // `lang` is the native HTMLElement property; `_lang` only makes a change re-render.
          if (attr.name === 'lang') {
            attr.fieldName = 'lang';
            attr.type = { text: 'string' };
          }
          // `state` is a read-only getter reflected to the attribute for CSS.
          if (attr.name === 'state') {
            attr.fieldName = 'state';
            attr.type = fields.get('state')?.type ?? { text: 'CallState' };
            attr.default = "'idle'";
          }
        }
        for (const m of decl.members ?? []) {
          if (m.default === 'DEFAULT_SERVER_URL' && serverUrl) m.default = `'${serverUrl}'`;
          if (m.default && /^\d[\d_]*$/.test(m.default)) m.default = m.default.replaceAll('_', '');
          if (m.name === 'state' && m.kind === 'field') {
            m.attribute = 'state';
            m.reflects = true;
            m.default = "'idle'";
          }
        }
        for (const a of decl.attributes ?? []) if (a.default && /^\d[\d_]*$/.test(a.default)) a.default = a.default.replaceAll('_', '');
        decl.members = (decl.members ?? []).filter((m) => m.name !== '_lang');
        for (const ev of decl.events ?? []) if (types[ev.name]) ev.type = { text: types[ev.name] };
        mod.exports = (mod.exports ?? []).filter((e) => e.kind !== 'custom-element-definition');
      }

      // Published paths: the class's module becomes the package's main entry (which exports the class), every
      // reference to it follows, and the tag's definition lives in the `define` entry (src/define.ts registers it).
      // A reference to any other source module (an internal base class, say) keeps its name but loses the src/
      // path: that module is bundled, not published, so no consumer could resolve it.
      const { classModule, defineModule } = published();
      const source = manifest.modules.find((m) => m.declarations?.some((d) => d.name === CLASS))?.path;
      if (!source) throw new Error(`custom-elements-manifest: no module declares ${CLASS}`);
      const repath = (v) => {
        if (Array.isArray(v)) v.forEach(repath);
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v)) {
            if ((k === 'module' || k === 'path') && x === source) v[k] = classModule;
            else if (k === 'module' && typeof x === 'string' && /^\/?src\//.test(x)) delete v[k];
            else repath(x);
          }
      };
      repath(manifest.modules);
      manifest.modules = [
        ...manifest.modules.filter((m) => m.path !== defineModule),
        {
          kind: 'javascript-module',
          path: defineModule,
          declarations: [],
          exports: [{ kind: 'custom-element-definition', name: TAG, declaration: { name: CLASS, module: classModule } }],
        },
      ];
    },
  };
}

export default {
  globs: ['src/navtalk-avatar.ts'],
  outdir: '.',
  litelement: true,
  dev: false,
  plugins: [navtalkAvatarPlugin()],
};
