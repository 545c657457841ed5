/** Small helpers for copying values that come from outside (JSON from flows and frames). */

/**
 * Sets an own property, "__proto__" included (an assignment to "__proto__" would set the copy's
 * prototype instead: JSON.parse makes such keys own properties).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
