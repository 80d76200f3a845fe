// The poll loop's margins, apart from the loop (poll.ts) because src/flow/deadlines.ts checks the
// timeout input against the first poll before the code is shown, and the loop loads only after.

/**
 * Added to every wait, which is counted from the end of the previous response (RFC 8628 §3.5 asks
 * for `interval` seconds between requests; the previous request's round trip is already on top of
 * that). It only has to cover a provider whose clock runs a little slower than ours.
 */
export const POLL_MARGIN_MS = 25
/**
 * The margin after the provider answered slow_down to a poll that had waited the full interval:
 * it counts time differently from us (a virtual machine's clock running fast, or a provider that
 * measures strictly, GitHub), so leave it a whole second of room for the rest of the wait.
 */
export const WIDENED_POLL_MARGIN_MS = 1000
