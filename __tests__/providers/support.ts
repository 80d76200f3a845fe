/**
 * Helpers for the provider tests: each drives the real run() from src/main.ts against an
 * in-memory provider that answers the way its public documentation says it does.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose'
import { run } from '../../src/main.js'
import type { HttpRequest, HttpResponse } from '../../src/oauth/http.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../../test-support/fakes.js'

/** The runner's environment: a run of octo/release, started by octocat. */
export const ENV: Record<string, string> = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/release',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'octocat'
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
  env: Record<string, string> = ENV
) {
  const runner = new RecordingRunner(inputs, env)
  const clock = new FakeClock()
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
  return {
    runner,
    clock,
    http,
    startMs,
    exchanges,
    /** The requests made to one URL, in order. */
    to: (url: string): Exchange[] => exchanges.filter((exchange) => exchange.url === url),
    run: () => run({ runner, http, clock, signal: controller.signal })
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

/** An application/x-www-form-urlencoded answer (GitHub's default). */
export function formAnswer(status: number, fields: Record<string, string>): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString()
  }
}

/** Milliseconds between consecutive requests. */
export function gaps(exchanges: readonly Exchange[]): number[] {
  return exchanges.slice(1).map((exchange, i) => exchange.atMs - (exchanges[i] as Exchange).atMs)
}

/** A provider's signing key: its JWKS, and id_tokens dated by the fake clock. */
export async function providerKey(kid = 'test-key-1') {
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
