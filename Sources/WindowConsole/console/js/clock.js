// The server's clock as seen from here. Countdowns (offer expiry, wrap-up) are computed from
// dates the server sends; a workstation whose clock is off would otherwise show them wrong.

let offset = 0;

/** Milliseconds since the epoch by the server's clock (as near as we know it). */
export function now() {
  return Date.now() + offset;
}

/**
 * Learns the offset from a response's Date header (whole seconds), taken between the time the
 * request left and the time the answer arrived. Small differences are ignored: they are noise.
 */
export function observe(dateHeader, sentAt, receivedAt) {
  const server = Date.parse(dateHeader ?? "");
  if (!Number.isFinite(server)) return;
  const local = (sentAt + receivedAt) / 2;
  const measured = server + 500 - local; // the header is truncated to the second
  offset = Math.abs(measured) > 2000 ? measured : 0;
}

/** Learns the offset from a server timestamp that was "now" when the message was made. */
export function observeIso(iso) {
  const server = Date.parse(iso ?? "");
  if (!Number.isFinite(server)) return;
  const measured = server - Date.now();
  offset = Math.abs(measured) > 2000 ? measured : 0;
}
