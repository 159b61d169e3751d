/**
 * @file Small value checks shared by the simulator modules.
 */

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * True for a non-null, non-array object (what a parsed JSON object looks like).
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strict standard base64: alphabet A-Z a-z 0-9 + /, length a multiple of 4, at most two `=` at the end.
 * (Node's decoder silently skips anything else, so validate before decoding.)
 * @param {unknown} text
 * @returns {text is string}
 */
export function isStrictBase64(text) {
  return typeof text === 'string' && text.length % 4 === 0 && BASE64_RE.test(text);
}

/**
 * Number of bytes a strict base64 string decodes to.
 * @param {string} text
 * @returns {number}
 */
export function base64ByteLength(text) {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
