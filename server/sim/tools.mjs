/**
 * @file Function-calling helpers (PROTOCOL.md §6): normalising registered tools, picking the tool that fits a
 * user utterance and filling its arguments.
 */

import { isPlainObject } from './util.mjs';

/**
 * @typedef {object} SimTool
 * @property {string} name
 * @property {string} description
 * @property {Record<string, unknown>} parameters JSON schema of the arguments
 */

const DEFAULT_CITY = 'Paris';

/**
 * Accepts the OpenAI shape `{type:'function', name, description, parameters}` or the bare
 * `{name, description, parameters}`; reports anything else.
 * @param {unknown} value the tools array as sent by the client
 * @returns {{tools: SimTool[], errors: string[]}}
 */
export function normalizeTools(value) {
  if (!Array.isArray(value)) return { tools: [], errors: ['tools must be an array'] };
  /** @type {SimTool[]} */
  const tools = [];
  /** @type {string[]} */
  const errors = [];
  value.forEach((raw, index) => {
    const result = normalizeTool(raw);
    if ('error' in result) errors.push(`tool #${index}: ${result.error}`);
    else tools.push(result.tool);
    if ('warning' in result) errors.push(`tool #${index}: ${result.warning}`);
  });
  return { tools, errors };
}

/**
 * @param {unknown} raw
 * @returns {{error: string} | {tool: SimTool, warning?: string}}
 */
function normalizeTool(raw) {
  if (!isPlainObject(raw)) return { error: 'must be an object' };
  if (raw.type !== undefined && raw.type !== 'function') return { error: `unsupported type ${JSON.stringify(raw.type)}` };
  if (typeof raw.name !== 'string' || raw.name === '') return { error: 'missing name' };
  const parameters = isPlainObject(raw.parameters) ? raw.parameters : { type: 'object', properties: {} };
  const tool = { name: raw.name, description: typeof raw.description === 'string' ? raw.description : '', parameters };
  const properties = parameters.properties;
  if (properties !== undefined && !isPlainObject(properties)) {
    return { tool, warning: `${raw.name}: parameters.properties must be an object` };
  }
  return { tool };
}

/**
 * The first tool one of whose name words (split on `_` and `-`, longer than 3 characters, so never "get")
 * occurs in the text, case-insensitively.
 * @param {Iterable<SimTool>} tools
 * @param {string} text
 * @returns {SimTool|undefined}
 */
export function findTool(tools, text) {
  const haystack = text.toLowerCase();
  for (const tool of tools) {
    const words = tool.name.toLowerCase().split(/[_-]+/).filter((word) => word.length > 3);
    if (words.some((word) => haystack.includes(word))) return tool;
  }
  return undefined;
}

/**
 * Fills every property of the tool's schema from the user's text: city/location → the capitalised word after
 * " in " (else "Paris"); strings → the text (or the first enum value); numbers → 1; booleans → true.
 * @param {SimTool} tool
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
export function buildArguments(tool, text) {
  const properties = tool.parameters.properties;
  if (!isPlainObject(properties)) return {};
  return Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, fillValue(key, schema, text)]));
}

/**
 * @param {string} key
 * @param {unknown} schema
 * @param {string} text
 * @returns {unknown}
 */
function fillValue(key, schema, text) {
  if (/^(city|location)$/i.test(key)) return placeIn(text) ?? DEFAULT_CITY;
  const spec = isPlainObject(schema) ? schema : {};
  const type = Array.isArray(spec.type) ? spec.type.find((t) => t !== 'null') : spec.type;
  switch (type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'object':
      return {};
    case 'array':
      return [];
    default:
      return Array.isArray(spec.enum) && spec.enum.length > 0 ? spec.enum[0] : text;
  }
}

/**
 * @param {string} text
 * @returns {string|undefined} the word after " in ", capitalised
 */
function placeIn(text) {
  const word = /\sin\s+(\p{L}[\p{L}\p{M}'-]*)/iu.exec(text)?.[1];
  return word && word[0].toUpperCase() + word.slice(1);
}
