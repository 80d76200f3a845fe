/**
 * The longest lifetime read as one: a hundred years. Above it, an expires_in is a "never"
 * sentinel (Long.MAX_VALUE) or garbage, for a device code (device.ts) and a token (token.ts) alike.
 */
export const MAX_LIFETIME_SECONDS = 100 * 365 * 24 * 3600
