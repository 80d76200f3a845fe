/**
 * What runs after the code is on screen, or at once for a refresh: the poll, identity, policy,
 * the post step's state, revocations, the outputs and the stored refresh token. run() and its
 * stages reach it only through load-later-stages.ts, with import(), so the bundler puts it and
 * all it imports (jose's and libsodium's loaders among them) in a chunk of its own, and node
 * parses none of it before the person has the code.
 */
export { pollForApproval } from './device-login.js'
export { discardTokens } from '../revocation/discard.js'
export { identify } from './identify.js'
export { checkPolicy } from './gate.js'
export { saveForPostStep } from '../revocation/post-state.js'
export { warnIfRefreshTokenExpires } from './refresh-token-expiry.js'
export { storeRefreshToken } from './store-refresh-token.js'
export { refreshTokens } from '../oauth/token.js'
export { maskTokens, publishTokens, refreshTokenToStore } from './outputs.js'
