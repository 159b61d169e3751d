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

/**
 * Decodes one incoming WebSocket frame from a client: the simulator speaks JSON text frames only.
 * @param {import('ws').RawData} data
 * @param {boolean} isBinary
 * @returns {{kind: 'binary', bytes: number} | {kind: 'not-json', text: string} | {kind: 'not-object', value: unknown} |
 *   {kind: 'message', msg: Record<string, unknown>, type: string|null}}
 */
export function decodeClientFrame(data, isBinary) {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  if (isBinary) return { kind: 'binary', bytes: bytes.length };
  const text = bytes.toString('utf8');
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'not-json', text };
  }
  if (!isPlainObject(value)) return { kind: 'not-object', value };
  return { kind: 'message', msg: value, type: typeof value.type === 'string' ? value.type : null };
}
