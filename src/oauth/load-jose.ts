/**
 * jose (JWS and JWK) is needed only for private_key_jwt and once an id_token arrives, after the
 * approval. Loaded with import(), the bundler puts it in a chunk of its own (dist/webapi-*.js), and the
 * code reaches the screen without node parsing it first.
 */
export const loadJose = () => import('jose')
export type Jose = Awaited<ReturnType<typeof loadJose>>
