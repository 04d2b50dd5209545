export { seededRandom } from '@syncready/directory/testing';

/** `length` random bytes from `random`. */
export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}
