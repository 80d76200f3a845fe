// Types for test-support/hostile-idp.js (a provider on 127.0.0.1 whose every field is hostile).

export interface HostileAnswers {
  device?: Record<string, unknown>
  token?: (poll: number) => { status: number; body: string; headers?: Record<string, string> }
  userinfo?: Record<string, unknown>
}

export interface HostileIdp {
  readonly issuer: string
  readonly requests: string[]
  close(): Promise<void>
}

export function startHostileIdp(answers: HostileAnswers): Promise<HostileIdp>
