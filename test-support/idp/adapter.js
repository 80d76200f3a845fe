// @ts-check
/**
 * The in-memory storage adapter the embedded IdP gives oidc-provider, with the clients
 * registered up front.
 */

/**
 * A small in-memory adapter (one store per IdP). oidc-provider's own memory adapter
 * works too but prints a "development-only" warning; this one keeps the output tidy.
 * Expired entries are kept for a while past their expiry so that oidc-provider can
 * still find them with ignoreExpiration and answer expired_token rather than
 * "not found".
 */
/** @param {Record<string, any>[]} clientMetadata */
export function createAdapterFactory(clientMetadata) {
  /** @type {Map<string, string>} */
  const clients = new Map(clientMetadata.map((c) => [c.client_id, JSON.stringify(c)]))
  /** @type {Map<string, { payload: any, expiresAt: number }>} */
  const store = new Map()
  /** @type {Map<string, string>} */
  const sessionByUid = new Map()
  /** @type {Map<string, string>} */
  const deviceByUserCode = new Map()
  /** @type {Map<string, Set<string>>} */
  const byGrant = new Map()
  const RETAIN_MS = 5 * 60 * 1000

  /** @param {string} key */
  function get(key) {
    const entry = store.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= Date.now()) {
      store.delete(key)
      return undefined
    }
    return entry.payload
  }

  class Adapter {
    /** @param {string} model */
    constructor(model) {
      this.model = model
    }
    /** @param {string} id */
    key(id) {
      return `${this.model}:${id}`
    }
    /** @param {string} id @param {any} payload @param {number} [expiresIn] */
    async upsert(id, payload, expiresIn) {
      if (this.model === 'Client') return
      const key = this.key(id)
      const expiresAt =
        typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 + RETAIN_MS : Infinity
      store.set(key, { payload, expiresAt })
      if (this.model === 'Session' && payload.uid) sessionByUid.set(payload.uid, id)
      if (payload.userCode) deviceByUserCode.set(payload.userCode, id)
      if (payload.grantId) {
        let members = byGrant.get(payload.grantId)
        if (!members) byGrant.set(payload.grantId, (members = new Set()))
        members.add(key)
      }
    }
    /** @param {string} id */
    async find(id) {
      if (this.model === 'Client') {
        const json = clients.get(id)
        return json === undefined ? undefined : JSON.parse(json)
      }
      return get(this.key(id))
    }
    /** @param {string} uid */
    async findByUid(uid) {
      const id = sessionByUid.get(uid)
      return id === undefined ? undefined : this.find(id)
    }
    /** @param {string} userCode */
    async findByUserCode(userCode) {
      const id = deviceByUserCode.get(userCode)
      return id === undefined ? undefined : this.find(id)
    }
    /** @param {string} id */
    async consume(id) {
      const payload = get(this.key(id))
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    }
    /** @param {string} id */
    async destroy(id) {
      store.delete(this.key(id))
    }
    /** @param {string} grantId */
    async revokeByGrantId(grantId) {
      for (const key of byGrant.get(grantId) ?? []) store.delete(key)
      byGrant.delete(grantId)
    }
  }
  return Adapter
}
