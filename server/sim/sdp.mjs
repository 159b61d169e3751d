/**
 * @file Validation of the v2 signaling payloads (PROTOCOL.md §7) and the ICE candidate policy of the
 * simulator's WebRTC side.
 *
 * Policy `good` offers IPv4 candidates only and ignores the client's IPv6 ones, so that inside a loopback-only
 * network namespace the selected pair is always 127.0.0.1 ↔ 127.0.0.1 (TOOLING.md gotcha 8). Policy `bad`
 * advertises its candidates on an unusable port and ignores every client candidate, so ICE can never connect.
 */

import { isPlainObject } from './util.mjs';

/** @typedef {'good'|'bad'} IcePolicy */
/** @typedef {{candidate: string, sdpMid?: string|null, sdpMLineIndex?: number|null, usernameFragment?: string|null}} CandidateInit */

const UNUSABLE_PORT = 9; // "discard": nothing answers STUN there
const CANDIDATE_PREFIX = 'candidate:';
const SDP_CANDIDATE_PREFIX = 'a=candidate:';
const MAX_SDP_LENGTH = 256 * 1024;

/**
 * The SDP text of an offer or answer message: `data.sdp` is `{type, sdp}` (or, tolerated, the SDP string).
 * @param {unknown} data the message's `data`
 * @param {'offer'|'answer'} type what the message type says it carries
 * @returns {{sdp: string} | {error: string}}
 */
export function parseSessionDescription(data, type) {
  const value = isPlainObject(data) ? data.sdp : undefined;
  /** @type {unknown} */
  let sdp = value;
  if (isPlainObject(value)) {
    if (value.type !== undefined && value.type !== type) return { error: `data.sdp.type must be "${type}"` };
    sdp = value.sdp;
  }
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0')) return { error: 'data.sdp must be {type, sdp} with an SDP string starting with v=0' };
  if (sdp.length > MAX_SDP_LENGTH) return { error: `SDP longer than ${MAX_SDP_LENGTH} characters` };
  return { sdp };
}

/**
 * The candidate of an iceCandidate message. A null, missing-text or empty candidate is the end-of-candidates mark.
 * @param {unknown} data the message's `data`
 * @returns {{candidate: CandidateInit} | {end: true} | {error: string}}
 */
export function parseCandidate(data) {
  if (!isPlainObject(data)) return { error: 'data must be an object {candidate}' };
  const value = data.candidate;
  if (value === null || value === undefined) return { end: true };
  if (!isPlainObject(value)) return { error: 'data.candidate must be an object {candidate, sdpMid, sdpMLineIndex}' };
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (candidate === null || candidate === undefined || candidate === '') return { end: true };
  if (typeof candidate !== 'string' || !candidate.startsWith(CANDIDATE_PREFIX)) return { error: 'data.candidate.candidate must be a "candidate:…" string' };
  if (sdpMid !== undefined && sdpMid !== null && typeof sdpMid !== 'string') return { error: 'data.candidate.sdpMid must be a string' };
  const validIndex = Number.isInteger(sdpMLineIndex) && /** @type {number} */ (sdpMLineIndex) >= 0;
  if (sdpMLineIndex !== undefined && sdpMLineIndex !== null && !validIndex) return { error: 'data.candidate.sdpMLineIndex must be an integer ≥ 0' };
  if (typeof sdpMid !== 'string' && !validIndex) return { error: 'data.candidate needs sdpMid or sdpMLineIndex' };
  if (usernameFragment !== undefined && usernameFragment !== null && typeof usernameFragment !== 'string') return { error: 'data.candidate.usernameFragment must be a string' };
  /** @type {CandidateInit} */
  const init = { candidate, sdpMid: typeof sdpMid === 'string' ? sdpMid : null, sdpMLineIndex: validIndex ? /** @type {number} */ (sdpMLineIndex) : null };
  if (typeof usernameFragment === 'string') init.usernameFragment = usernameFragment;
  return { candidate: init };
}

/**
 * @param {string} candidate `candidate:<foundation> <component> <transport> <priority> <address> <port> typ …`
 * @returns {string[]} its space-separated fields
 */
function fields(candidate) {
  return candidate.split(' ');
}

/**
 * @param {string} candidate
 * @returns {boolean} whether its address is an IPv6 literal
 */
function isIpv6Candidate(candidate) {
  return (fields(candidate)[4] ?? '').includes(':');
}

/**
 * @param {string} candidate
 * @returns {string|null} `address:port` of a candidate (or `candidate:` SDP attribute value), null if malformed
 */
export function candidateEndpoint(candidate) {
  const parts = fields(candidate);
  return parts.length >= 6 ? `${parts[4]}:${parts[5]}` : null;
}

/**
 * @param {string} sdp
 * @returns {string[]} the `candidate:…` values of its candidate lines
 */
export function sdpCandidates(sdp) {
  return sdp
    .split(/\r?\n/)
    .filter((line) => line.startsWith(SDP_CANDIDATE_PREFIX))
    .map((line) => line.slice(2));
}

/**
 * What the simulator tells the client about one of its own candidates.
 * @param {string} candidate a local candidate (`candidate:…`)
 * @param {IcePolicy} policy
 * @returns {string|null} the candidate to send, or null to keep it to itself
 */
export function outgoingCandidate(candidate, policy) {
  if (isIpv6Candidate(candidate)) return null;
  if (policy === 'good') return candidate;
  const parts = fields(candidate);
  if (parts.length < 6) return null;
  parts[5] = String(UNUSABLE_PORT);
  return parts.join(' ');
}

/**
 * Whether the simulator uses one of the client's candidates.
 * @param {string} candidate
 * @param {IcePolicy} policy
 * @returns {boolean}
 */
export function usesRemoteCandidate(candidate, policy) {
  return policy === 'good' && !isIpv6Candidate(candidate);
}

/**
 * Applies {@link outgoingCandidate} to the candidate lines of a local description.
 * @param {string} sdp
 * @param {IcePolicy} policy
 * @returns {string}
 */
export function outgoingSdp(sdp, policy) {
  return mapCandidateLines(sdp, (candidate) => outgoingCandidate(candidate, policy));
}

/**
 * Drops the candidate lines of a remote description that {@link usesRemoteCandidate} refuses.
 * @param {string} sdp
 * @param {IcePolicy} policy
 * @returns {string}
 */
export function incomingSdp(sdp, policy) {
  return mapCandidateLines(sdp, (candidate) => (usesRemoteCandidate(candidate, policy) ? candidate : null));
}

/**
 * @param {string} sdp
 * @param {(candidate: string) => string|null} map receives and returns `candidate:…`; null drops the line
 * @returns {string}
 */
function mapCandidateLines(sdp, map) {
  const lines = sdp.split(/\r?\n/);
  /** @type {string[]} */
  const out = [];
  for (const line of lines) {
    if (!line.startsWith(SDP_CANDIDATE_PREFIX)) {
      out.push(line);
      continue;
    }
    const mapped = map(line.slice(2));
    if (mapped !== null) out.push(`a=${mapped}`);
  }
  return out.join('\r\n');
}
