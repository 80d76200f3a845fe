/**
 * Runs of the real run() from src/main.ts against in-memory providers: the provider tests replay
 * what a provider's documentation says it answers, the run() tests what a standard says. One
 * builder for the scaffolding they share (the runner's environment, the provider's endpoints and
 * discovery document, its signing key, the device and token routes) and the checks they repeat.
 */
import { expect } from '@jest/globals'
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose'
import { run } from '../src/main.js'
import type { HttpRequest, HttpResponse } from '../src/oauth/http.js'
import type { Ending } from '../src/flow/events.js'
import { FakeClock, json, RecordingRunner, scriptedHttp, type Route } from './fakes.js'

/** The runner's environment: a run of octo/release, started by octocat. */
export const ENV: Record<string, string> = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/release',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'octocat'
}

/** The provider of the run() tests: an OpenID provider at https://id.example.com. */
export const EXAMPLE = {
  issuer: 'https://id.example.com',
  discovery: 'https://id.example.com/.well-known/openid-configuration',
  device: 'https://id.example.com/device/code',
  token: 'https://id.example.com/token',
  jwks: 'https://id.example.com/jwks',
  userinfo: 'https://id.example.com/userinfo'
}

/** Its discovery document: the device and token endpoints, and whatever `more` publishes. */
export function exampleDiscovery(more: Record<string, unknown> = {}): Route {
  return () =>
    json(200, {
      issuer: EXAMPLE.issuer,
      device_authorization_endpoint: EXAMPLE.device,
      token_endpoint: EXAMPLE.token,
      ...more
    })
}

/** Its device authorization response (RFC 8628 §3.2), with what `more` adds or changes. */
export function exampleDeviceCode(more: Record<string, unknown> = {}): Route {
  return () =>
    json(200, {
      device_code: 'dc-secret-123-0123456789abcdef',
      user_code: 'WDJB-MJHT',
      verification_uri: `${EXAMPLE.issuer}/device`,
      expires_in: 600,
      interval: 5,
      ...more
    })
}

/** One request the action made, with the fake clock's time when it made it. */
export interface Exchange {
  readonly url: string
  readonly method: string
  readonly atMs: number
  readonly form: URLSearchParams
  readonly headers: Readonly<Record<string, string>>
}

/** A run of the action against the given routes, recording every request with its time. */
export function flow(
  inputs: Record<string, string>,
  routes: Record<string, Route>,
  env: Record<string, string> = ENV,
  clock = new FakeClock()
) {
  const runner = new RecordingRunner(inputs, env)
  const startMs = clock.now()
  const exchanges: Exchange[] = []
  const recorded: Record<string, Route> = {}
  for (const [url, route] of Object.entries(routes)) {
    recorded[url] = (request) => {
      exchanges.push({
        url: request.url,
        method: request.method,
        atMs: clock.now(),
        form: new URLSearchParams(request.body ?? ''),
        headers: request.headers
      })
      return route(request)
    }
  }
  const http = scriptedHttp(recorded)
  const controller = new AbortController()
  /** The requests made to one URL, in order. */
  const to = (url: string): Exchange[] => exchanges.filter((exchange) => exchange.url === url)
  /** Milliseconds between consecutive requests to one URL. */
  const gaps = (url: string): number[] => {
    const requests = to(url)
    return requests.slice(1).map((exchange, i) => exchange.atMs - (requests[i] as Exchange).atMs)
  }
  const go = () => run({ runner, http, clock, signal: controller.signal })
  return {
    runner,
    clock,
    http,
    controller,
    startMs,
    exchanges,
    to,
    gaps,
    run: go,
    /** The run ends "failed", and its failure message says each of `says`. */
    async failsSaying(...says: string[]): Promise<void> {
      await expect(go()).resolves.toBe('failed')
      for (const text of says) expect(runner.failed).toContain(text)
    },
    /**
     * The run ends "refreshed", and its first request to `token` is the refresh grant `form`
     * (RFC 6749 §6).
     */
    async refreshesWith(token: string, form: Record<string, string>): Promise<void> {
      await expect(go()).resolves.toBe('refreshed')
      expect(Object.fromEntries(to(token)[0]!.form)).toEqual(form)
    },
    /**
     * The refresh token the step outputs for the workflow to store, and refresh-token-rotated:
     * whether it differs from the refresh-token input.
     */
    expectStored(refreshToken: string, rotated: 'true' | 'false'): void {
      expect(runner.outputs['refresh-token']).toBe(refreshToken)
      expect(runner.outputs['refresh-token-rotated']).toBe(rotated)
    },
    /**
     * After a slow_down (the answer to the second poll of `token`), this poll and every later one
     * wait at least 10 s where the interval was 5 s: RFC 8628 §3.5 adds 5 s for good, and GitHub's
     * answer names the new interval.
     */
    expectSlowDown(token: string): void {
      const [, afterSlowDown, later] = gaps(token)
      expect(afterSlowDown).toBeGreaterThanOrEqual(10_000)
      expect(later).toBeGreaterThanOrEqual(10_000)
    }
  }
}

export type Flow = ReturnType<typeof flow>

/** Signs an id_token with the provider's key, dated by the run's fake clock. */
export type SignIdToken = (claims: JWTPayload) => Promise<string>

/** A provider as its documentation describes it: where it answers and what it answers. */
export interface ProviderScript {
  /** The discovery document's URL; none for a preset that knows its endpoints (GitHub). */
  readonly discovery?: string
  /** The issuer the discovery document names (a multi-tenant template is not the input's). */
  readonly issuer?: string
  readonly device: string
  readonly token: string
  /** Where the signing key is published; a provider without one sends no id_token. */
  readonly jwks?: string
  /** The signing key's id (its `kid`). */
  readonly keyId?: string
  readonly userinfo?: string
  /** The discovery document's token_endpoint_auth_methods_supported. */
  readonly authMethods?: readonly string[]
  /** The device authorization response (RFC 8628 §3.2) as the provider words it. */
  readonly deviceCode: Readonly<Record<string, unknown>>
  /** The step's inputs in the usual workflow; a test adds to them or overrides them. */
  readonly inputs: Readonly<Record<string, string>>
  /** Further endpoints the action may ask: userinfo, GitHub's user API. */
  readonly routes?: Readonly<Record<string, Route>>
  /** The token endpoint's answer once the person approves. */
  readonly granted: (signIdToken: SignIdToken) => HttpResponse | Promise<HttpResponse>
}

/** A provider's discovery document at its URL, from the script (OIDC Discovery §3, RFC 8414 §2). */
function discoveryRoute(script: ProviderScript): Record<string, Route> {
  if (!script.discovery) return {}
  const document = {
    issuer: script.issuer,
    device_authorization_endpoint: script.device,
    token_endpoint: script.token,
    ...(script.jwks && { jwks_uri: script.jwks }),
    ...(script.userinfo && { userinfo_endpoint: script.userinfo }),
    ...(script.authMethods && { token_endpoint_auth_methods_supported: script.authMethods })
  }
  return { [script.discovery]: () => json(200, document) }
}

/**
 * Replays a provider through the action. `run` gives the whole flow, the token endpoint answering
 * as the test scripts it from the "granted" answer; `answering` gives the discovery document and
 * only the routes the test names (an error at the device endpoint, say).
 */
export function provider<Script extends ProviderScript>(script: Script) {
  const discovered = discoveryRoute(script)
  const replay = async (
    token: (granted: Route) => Route,
    inputs: Record<string, string> = {}
  ): Promise<Flow> => {
    const clock = new FakeClock()
    const key = script.jwks ? await providerKey(script.keyId) : undefined
    const signIdToken: SignIdToken = (claims) => {
      if (!key) throw new Error(`the script publishes no jwks for ${script.device}`)
      return key.idToken(claims, clock.now())
    }
    const granted: Route = () => script.granted(signIdToken)
    return flow(
      { ...script.inputs, ...inputs },
      {
        ...discovered,
        [script.device]: () => json(200, script.deviceCode),
        [script.token]: token(granted),
        ...(key && script.jwks && { [script.jwks]: key.jwks }),
        ...script.routes
      },
      ENV,
      clock
    )
  }
  return {
    ...script,
    run: replay,
    /** The whole flow, the token endpoint answering `answers` in turn (the last one repeats). */
    polled: (...answers: HttpResponse[]): Promise<Flow> => replay(() => inTurn(...answers)),
    /** The whole flow, the token endpoint answering `answers` in turn, ends as `ending`. */
    async endsAs(ending: Ending, ...answers: HttpResponse[]): Promise<Flow> {
      const t = await replay(() => inTurn(...answers))
      await expect(t.run()).resolves.toBe(ending)
      return t
    },
    answering: (routes: Record<string, Route>, inputs: Record<string, string> = script.inputs) =>
      flow(inputs, { ...discovered, ...routes })
  }
}

/** A header of a recorded request, whatever the case of its name. */
export function header(exchange: Exchange | HttpRequest, name: string): string | undefined {
  const found = Object.entries(exchange.headers).find(
    ([key]) => key.toLowerCase() === name.toLowerCase()
  )
  return found?.[1]
}

/** Answers each call with the next answer; the last one repeats. */
export function inTurn(...answers: Array<HttpResponse | Route>): Route {
  let calls = 0
  return (request) => {
    const answer = answers[Math.min(calls++, answers.length - 1)] as HttpResponse | Route
    return typeof answer === 'function' ? answer(request) : answer
  }
}

/** An OAuth error response (RFC 6749 §5.2) as JSON, with whatever else the provider adds. */
export function errorAnswer(
  status: number,
  error: string,
  description?: string,
  more: Record<string, unknown> = {}
): HttpResponse {
  return json(status, {
    error,
    ...(description !== undefined && { error_description: description }),
    ...more
  })
}

/** An application/x-www-form-urlencoded answer (GitHub's default). */
export function formAnswer(status: number, fields: Record<string, string>): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString()
  }
}

/** A provider's signing key: its JWKS, and id_tokens dated by the fake clock. */
async function providerKey(kid = 'test-key-1') {
  const { publicKey, privateKey } = await generateKeyPair('ES256')
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
  return {
    jwks: (): HttpResponse => json(200, { keys: [jwk] }),
    idToken: (claims: JWTPayload, nowMs: number): Promise<string> => {
      const now = Math.floor(nowMs / 1000)
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(privateKey)
    }
  }
}

export { json }
