/**
 * Tracking IDs for reports: short, dictation- and OCR-proof, with a check character.
 *
 * @example
 * ```ts
 * import { findTrackingIdIn, generateTrackingId } from '../tracking-id/index.ts';
 * const id = generateTrackingId();            // 'LPR-7KQ-9M4-XTW'
 * findTrackingIdIn(`cek ${id.toLowerCase()}`); // id
 * ```
 */
export {
  findTrackingIdIn,
  generateTrackingId,
  isValidTrackingId,
  normalizeTrackingId,
  TRACKING_ID_ALPHABET,
  TRACKING_ID_PAYLOAD_LENGTH,
  TRACKING_ID_PREFIX,
  trackingIdCandidates,
} from './tracking-id.ts';
