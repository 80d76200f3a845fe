// Types for test-support/github-fake.js (GitHub's secrets and app token APIs on 127.0.0.1).

export interface StartGitHubFakeOptions {
  /** owner/repo; default octo/release. */
  repository?: string
  /** Default 4242. */
  repositoryId?: number
  /** Environments that exist; default ['production']. */
  environments?: string[]
  /** Bearer tokens and their Secrets permission ('read' gets 403, as GITHUB_TOKEN does). */
  tokens?: Record<string, 'write' | 'read'>
  /** App client ids and their client secrets, for the app token API. */
  apps?: Record<string, string>
}

export interface StoredSecret {
  /** The plaintext, opened with the store's private key. */
  value: string
  visibility?: string
  selectedRepositoryIds?: number[]
  updatedAt: number
}

export interface GitHubFake {
  /** http://127.0.0.1:PORT, what GITHUB_API_URL would hold. */
  apiUrl: string
  repository: string
  repositoryId: number
  /** By `repo:owner/name/NAME`, `env:ENVIRONMENT/NAME` or `org:OWNER/NAME`. */
  secret(id: string): StoredSecret | undefined
  issueAppToken(clientId: string): string
  isAppTokenValid(clientId: string, token: string): boolean
  /** Tokens revoked with DELETE /applications/{client_id}/token, in order. */
  revoked: string[]
  requests: Array<{ method: string; path: string; status: number }>
  close(): Promise<void>
}

export function startGitHubFake(options?: StartGitHubFakeOptions): Promise<GitHubFake>
