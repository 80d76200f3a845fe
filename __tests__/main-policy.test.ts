import { beforeAll, describe, expect, it } from '@jest/globals'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { run } from '../src/main.js'
import type { HttpRequest } from '../src/oauth/http.js'
import {
  FakeClock,
  json,
  RecordingRunner,
  scriptedHttp,
  type Route
} from '../test-support/fakes.js'
import { EXAMPLE } from '../test-support/replay.js'

/**
 * The approval policy as the whole action applies it: read before any request, judged after
 * identity, refusals that fail the step and revoke, two approvals in turn, GitHub membership, the
 * refresh path, and claims that only the userinfo endpoint has.
 */
const {
  issuer: ISSUER,
  discovery: DISCOVERY,
  device: DEVICE,
  token: TOKEN,
  jwks: JWKS,
  userinfo: USERINFO
} = EXAMPLE
const REVOKE = `${ISSUER}/revoke`
const CLIENT_ID = 'release-bot'
const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/release',
  GITHUB_RUN_ID: '4242',
  GITHUB_ACTOR: 'octocat',
  GITHUB_TRIGGERING_ACTOR: 'octocat'
}

let key: { privateKey: CryptoKey; jwk: JWK }
beforeAll(async () => {
  const pair = await generateKeyPair('RS256')
  key = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1' } }
})

function idToken(clock: FakeClock, claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(clock.now() / 1000)
  return new SignJWT({ iss: ISSUER, aud: CLIENT_ID, iat: now, exp: now + 300, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(key.privateKey)
}

interface Person {
  readonly sub: string
  readonly claims?: Record<string, unknown>
  /** Declines instead of approving. */
  readonly deny?: boolean
}

/**
 * An OpenID Connect provider whose device codes are approved by these people in turn: code n is
 * pending once, then approved (or denied) by person n, with an ID token carrying their claims.
 */
function provider(clock: FakeClock, people: Person[], extra: Record<string, Route> = {}) {
  let codes = 0
  const polls = new Map<string, number>()
  const routes: Record<string, Route> = {
    [DISCOVERY]: () =>
      json(200, {
        issuer: ISSUER,
        device_authorization_endpoint: DEVICE,
        token_endpoint: TOKEN,
        jwks_uri: JWKS,
        userinfo_endpoint: USERINFO,
        revocation_endpoint: REVOKE
      }),
    [JWKS]: () => json(200, { keys: [key.jwk] }),
    [DEVICE]: () => {
      codes++
      return json(200, {
        // RFC 8628 §5.2: a device code long enough to be unguessable (short ones are refused).
        device_code: `dc-secret-0123456789-${codes}`,
        user_code: `CODE-000${codes}`,
        verification_uri: `${ISSUER}/device`,
        expires_in: 600,
        interval: 5
      })
    },
    [TOKEN]: async (request: HttpRequest) => {
      const form = new URLSearchParams(request.body)
      const code = form.get('device_code') ?? ''
      const n = Number(code.replace('dc-secret-0123456789-', ''))
      const seen = (polls.get(code) ?? 0) + 1
      polls.set(code, seen)
      const person = people[n - 1]
      // Nobody left to approve this code: it stays pending until the wait ends.
      if (seen === 1 || !person) return json(400, { error: 'authorization_pending' })
      if (person.deny) return json(400, { error: 'access_denied' })
      return json(200, {
        access_token: `at-secret-${person.sub}-${n}`,
        refresh_token: `rt-secret-${person.sub}-${n}`,
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: await idToken(clock, { sub: person.sub, ...person.claims })
      })
    },
    [REVOKE]: () => json(200, {}),
    ...extra
  }
  return scriptedHttp(routes)
}

async function actionRun(
  inputs: Record<string, string>,
  people: Person[],
  options: { extra?: Record<string, Route>; env?: Record<string, string> } = {}
) {
  const clock = new FakeClock()
  const runner = new RecordingRunner(
    { 'client-id': CLIENT_ID, issuer: ISSUER, scope: 'openid profile email', ...inputs },
    options.env ?? ENV
  )
  const http = provider(clock, people, options.extra)
  const ending = await run({ runner, http, clock, signal: new AbortController().signal })
  const revoked = http.requests
    .filter((request) => request.url === REVOKE)
    .map((request) => new URLSearchParams(request.body).get('token'))
  return { ending, runner, http, revoked }
}

const alice: Person = {
  sub: 'alice-sub',
  claims: { preferred_username: 'alice', email: 'alice@example.com', email_verified: true }
}
const bob: Person = {
  sub: 'bob-sub',
  claims: { preferred_username: 'bob', email: 'bob@example.com', email_verified: true }
}

describe('run: policy inputs', () => {
  it.each([
    [{ approvals: '0' }, "Input 'approvals'"],
    [{ 'allowed-approvers': '@octo/release' }, "Input 'allowed-approvers'"],
    [{ 'required-claims': 'groups' }, "Input 'required-claims'"],
    [{ 'allowed-approvers': ' \n*\n' }, "Input 'allowed-approvers'"]
  ])('refuses %j before any request', async (inputs, named) => {
    const { ending, runner, http } = await actionRun(inputs, [alice])
    expect(ending).toBe('failed')
    expect(runner.failed).toContain(named)
    expect(http.requests).toHaveLength(0)
    expect(runner.summary).toContain('❌ Failed')
  })
})

describe('run: one approval', () => {
  it('states the policy in the prompt, then outputs the tokens of an allowed approver', async () => {
    const { ending, runner, revoked } = await actionRun(
      {
        'allowed-approvers': '*@example.com',
        'self-approval-claim': 'email',
        'run-actor': 'octo@example.com'
      },
      [alice]
    )
    expect(ending).toBe('approved')
    expect(runner.outputs['access-token']).toBe('at-secret-alice-sub-1')
    expect(runner.outputs['approvers']).toBe('["alice"]')
    const log = runner.text('info')
    expect(log).toContain('│   Policy   Who may approve: verified email *@example.com')
    expect(log).toContain(
      "│            Self-approval: not allowed: the approver's email must not be octo@example.com"
    )
    expect(log.indexOf('Policy   Who may approve')).toBeLessThan(log.indexOf('✓ alice@example.com'))
    expect(revoked).toEqual([])
  })

  it('refuses a wrong approver without ending the gate: revokes, says who and why, shows a fresh code', async () => {
    const { ending, runner, revoked } = await actionRun({ 'allowed-approvers': 'sub:alice-sub' }, [
      bob,
      alice
    ])
    expect(ending).toBe('approved')
    expect(runner.outputs['access-token']).toBe('at-secret-alice-sub-2')
    expect(runner.outputs['approver']).toBe('alice')
    // Bob's tokens, refresh token first (RFC 7009 §2.1), and nothing of alice's.
    expect(revoked).toEqual(['rt-secret-bob-sub-1', 'at-secret-bob-sub-1'])
    const log = runner.text('info')
    expect(log).toContain(
      '✗ bob@example.com is not in allowed-approvers (compared: subject bob-sub).'
    )
    expect(log).toContain(
      'The approval was refused: bob@example.com is not in allowed-approvers (compared: subject bob-sub).'
    )
    expect(log).toContain("Revoked the refused approval's (bob@example.com) access token")
    expect(log).toContain(
      'Waiting for someone the approval policy accepts until 10:10:00 UTC: a fresh code follows.'
    )
    expect(log).toContain(
      '│ A fresh code: the approval policy refused the approval by bob@example.com (allowed-approvers), and the wait goes on.'
    )
    expect(log.indexOf('Revoked the refused')).toBeLessThan(log.indexOf('2. Enter  CODE-0002'))
    const notices = runner.logs.filter((entry) => entry.level === 'notice')
    expect(notices.map((notice) => notice.title)).toEqual([
      'Approval needed: enter code CODE-0001',
      'Approval needed: enter code CODE-0002',
      'Approved by alice'
    ])
    expect(notices[1]?.message).toMatch(
      /^A fresh code: the approval policy refused the approval by bob@example\.com \(allowed-approvers\), and the wait goes on\. Open/
    )
    expect(runner.summary).toContain(
      '<h3>Request 2 (A fresh code: the approval policy refused the approval by bob@example.com &#40;allowed-approvers&#41;, and the wait goes on.)</h3>'
    )
    // The refused code is recorded as used, the fresh one as the approved one.
    expect(runner.summary).toContain('CODE-0001</code> &#40;used at')
    expect(runner.summary).toMatch(/CODE-0002<\/code> &#40;used at [^&]+: approved by alice/)
    expect(runner.summary).toContain('✅ Approved')
    // The refused tokens were masked the moment they arrived, and never printed.
    expect(runner.secrets).toContain('at-secret-bob-sub-1')
    expect(runner.text()).not.toContain('at-secret-bob-sub-1')
  })

  it('keeps the whole wait within the first code’s deadline, and then fails naming who was refused', async () => {
    const { ending, runner, revoked, http } = await actionRun(
      { 'allowed-approvers': 'sub:alice-sub', timeout: '5m' },
      [bob]
    )
    expect(ending).toBe('timed-out')
    expect(runner.outputs).toEqual({})
    expect(revoked).toEqual(['rt-secret-bob-sub-1', 'at-secret-bob-sub-1'])
    expect(runner.failed).toBe(
      'The approval policy refused bob@example.com (allowed-approvers), and nobody it accepts approved before the wait for this approval ended at 10:05:00 UTC (the timeout input). The last refusal: bob@example.com is not in allowed-approvers (compared: subject bob-sub). Run the job again and have someone the policy accepts approve.'
    )
    // The fresh code's wait ended at the first code's deadline, not five minutes after it.
    const log = runner.text('info')
    expect(log).toContain('Waiting for someone the approval policy accepts until 10:05:00 UTC')
    expect(log).toMatch(/2\. Enter {2}CODE-0002[\s\S]*Expires {2}10:05:00 UTC/)
    expect(http.requests.filter((request) => request.url === DEVICE)).toHaveLength(2)
    expect(runner.summary).toContain('⏱️ Timed out')
    expect(runner.summary).toContain(
      '<th align="left">Who tried</th><td><code>bob@example.com</code>'
    )
    expect(runner.summary).toContain(
      '<th align="left">Refused by</th><td><code>allowed-approvers</code>'
    )
  })

  it('stops asking after five refusals in a row for one approval', async () => {
    const mallories = Array.from({ length: 6 }, (_, i) => ({ ...bob, sub: `mallory-${i}` }))
    const { ending, runner, http } = await actionRun({ 'allowed-approvers': 'sub:alice-sub' }, [
      ...mallories,
      alice
    ])
    expect(ending).toBe('refused')
    expect(http.requests.filter((request) => request.url === DEVICE)).toHaveLength(5)
    expect(runner.failed).toContain(
      'That is 5 refusals in a row for this approval, so the action stops asking: check who gets the link.'
    )
    expect(runner.outputs).toEqual({})
  })

  it('fails at once when the policy cannot judge the approval: waiting would not help', async () => {
    const { ending, runner, http, revoked } = await actionRun(
      { 'required-claims': 'department=release' },
      [alice, bob]
    )
    expect(ending).toBe('refused')
    expect(runner.failed).toContain(
      'The approval by alice@example.com was refused because the approval policy cannot be judged: alice@example.com has no department claim'
    )
    expect(http.requests.filter((request) => request.url === DEVICE)).toHaveLength(1)
    expect(revoked).toEqual(['rt-secret-alice-sub-1', 'at-secret-alice-sub-1'])
    expect(runner.summary).toContain('⛔ Refused by the approval policy')
  })

  it('says what the post step will not revoke only once the approval is accepted', async () => {
    const { runner } = await actionRun({ 'allowed-approvers': 'sub:alice-sub' }, [bob, alice])
    const log = runner.text('info')
    const note = 'The tokens are not revoked when the job ends'
    expect(log.split(note)).toHaveLength(2)
    expect(log.indexOf(note)).toBeGreaterThan(
      log.indexOf('✓ alice@example.com is in allowed-approvers')
    )
  })

  it('leaves the post step the accepted approval’s tokens, not the refused one’s', async () => {
    const { runner } = await actionRun({ 'allowed-approvers': 'sub:alice-sub', revoke: 'all' }, [
      bob,
      alice
    ])
    expect(runner.state['revoke-access-token']).toBe('at-secret-alice-sub-2')
    expect(runner.state['revoke-refresh-token']).toBe('rt-secret-alice-sub-2')
  })

  it('leaves the post step nothing once a refused approval’s tokens were revoked and nobody else came', async () => {
    const { runner } = await actionRun(
      { 'allowed-approvers': 'sub:alice-sub', revoke: 'all', timeout: '5m' },
      [bob]
    )
    expect(runner.state['revoke-access-token']).toBe('')
    expect(runner.state['revoke-refresh-token']).toBe('')
  })

  it('asks userinfo for a username the ID token lacks', async () => {
    const quiet: Person = { sub: 'grace-sub', claims: {} }
    const { ending, runner, http } = await actionRun(
      { 'allowed-approvers': 'username:grace' },
      [quiet],
      {
        extra: {
          [USERINFO]: () => json(200, { sub: 'grace-sub', preferred_username: 'grace' })
        }
      }
    )
    expect(ending).toBe('approved')
    expect(http.requests.filter((request) => request.url === USERINFO)).toHaveLength(1)
    expect(runner.text('info')).toContain('✓ grace is in allowed-approvers (username grace).')
    expect(runner.outputs['approver']).toBe('grace')
  })

  it('does not ask userinfo when the ID token has every claim the policy reads', async () => {
    const { ending, http } = await actionRun({ 'allowed-approvers': '*@example.com' }, [alice])
    expect(ending).toBe('approved')
    expect(http.requests.filter((request) => request.url === USERINFO)).toHaveLength(0)
  })

  it('says to add openid when userinfo answers insufficient_scope, naming the claim', async () => {
    const quiet: Person = { sub: 'grace-sub', claims: {} }
    const { ending, runner } = await actionRun({ 'required-claims': 'groups=release' }, [quiet], {
      extra: {
        [USERINFO]: () =>
          json(
            403,
            { error: 'insufficient_scope', error_description: 'access token missing openid scope' },
            { 'www-authenticate': 'Bearer error="insufficient_scope", scope="openid"' }
          )
      }
    })
    expect(ending).toBe('refused')
    expect(runner.failed).toContain('grace-sub has no groups claim in the ID token')
    expect(runner.failed).toContain(
      'The ID token has no groups, and the userinfo endpoint did not add it'
    )
    expect(runner.failed).toContain('Add openid to the scope input')
    expect(runner.failed).not.toContain('without the expected fields')
  })

  it('refuses a policy that needs an identity when scope lacks openid, before any request', async () => {
    const { ending, runner, http } = await actionRun(
      { 'allowed-approvers': '*@example.com', scope: 'profile email' },
      [alice]
    )
    expect(ending).toBe('failed')
    expect(runner.failed).toContain("Input 'scope'")
    expect(runner.failed).toContain('Add openid to scope')
    expect(http.requests).toHaveLength(0)
  })

  it('takes a claim the ID token lacks from the userinfo endpoint, for the same subject', async () => {
    const { ending, runner } = await actionRun({ 'required-claims': 'groups=release' }, [alice], {
      extra: { [USERINFO]: () => json(200, { sub: 'alice-sub', groups: ['release'] }) }
    })
    expect(ending).toBe('approved')
    expect(runner.text('info')).toContain("✓ alice@example.com's groups includes release")
  })

  it('does not take claims from a userinfo answer about someone else', async () => {
    const { ending, runner } = await actionRun({ 'required-claims': 'groups=release' }, [alice], {
      extra: { [USERINFO]: () => json(200, { sub: 'mallory', groups: ['release'] }) }
    })
    expect(ending).toBe('refused')
    expect(runner.text('warning')).toContain('describes a different user than the ID token')
    expect(runner.failed).toContain('cannot be judged')
  })

  it('says so when the provider cannot revoke, and still outputs nothing', async () => {
    const clock = new FakeClock()
    const runner = new RecordingRunner(
      {
        'client-id': CLIENT_ID,
        issuer: ISSUER,
        scope: 'openid',
        'allowed-approvers': 'username:alice'
      },
      ENV
    )
    const http = provider(clock, [bob], {
      [DISCOVERY]: () =>
        json(200, {
          issuer: ISSUER,
          device_authorization_endpoint: DEVICE,
          token_endpoint: TOKEN,
          jwks_uri: JWKS
        })
    })
    // Bob is refused and nobody else comes: the wait ends when the first code expires.
    expect(await run({ runner, http, clock, signal: new AbortController().signal })).toBe('expired')
    expect(runner.failed).toContain(
      'nobody it accepts approved before the wait for this approval ended at 10:10:00 UTC (when the first code expired)'
    )
    expect(runner.text('info')).toContain('The provider has no revocation endpoint')
    expect(runner.outputs).toEqual({})
  })
})

describe('run: approvals: 2', () => {
  it('outputs the first approver’s tokens and revokes the second’s at once', async () => {
    const { ending, runner, revoked } = await actionRun({ approvals: '2' }, [alice, bob])
    expect(ending).toBe('approved')
    expect(runner.outputs['access-token']).toBe('at-secret-alice-sub-1')
    expect(runner.outputs['refresh-token']).toBe('rt-secret-alice-sub-1')
    expect(runner.outputs['approver']).toBe('alice')
    expect(runner.outputs['approvers']).toBe('["alice","bob"]')
    expect(revoked).toEqual(['rt-secret-bob-sub-2', 'at-secret-bob-sub-2'])
    expect(Object.values(runner.outputs).join()).not.toContain('bob-sub-2')
    const notices = runner.logs.filter((entry) => entry.level === 'notice')
    expect(notices.map((notice) => notice.title)).toEqual([
      'Approval 1 of 2: enter code CODE-0001',
      'Approval 2 of 2: enter code CODE-0002',
      'Approved by alice and bob'
    ])
    expect(notices[1]?.message).toMatch(/^Approval 2 of 2: a different person \(not alice\)\. Open/)
  })

  it('refuses the same person as the second approval without costing the first approval', async () => {
    const { ending, runner, revoked } = await actionRun({ approvals: '2' }, [alice, alice, bob])
    expect(ending).toBe('approved')
    expect(runner.outputs['access-token']).toBe('at-secret-alice-sub-1')
    expect(runner.outputs['approvers']).toBe('["alice","bob"]')
    expect(revoked).toEqual([
      'rt-secret-alice-sub-2',
      'at-secret-alice-sub-2',
      'rt-secret-bob-sub-3',
      'at-secret-bob-sub-3'
    ])
    const log = runner.text('info')
    expect(log).toContain(
      'The approval was refused: alice@example.com already gave approval 1 of 2; approval 2 of 2 must come from a different person (approvals: 2).'
    )
    expect(log).toMatch(
      /│ Approval 2 of 2: a different person \(not alice\)\.\n│ A fresh code: the approval policy refused the approval by alice@example\.com \(approvals\)/
    )
  })

  it('revokes the first approval’s tokens when nobody else approves the second in time', async () => {
    const { ending, runner, revoked } = await actionRun({ approvals: '2', timeout: '5m' }, [
      alice,
      alice
    ])
    expect(ending).toBe('timed-out')
    expect(runner.outputs).toEqual({})
    expect(revoked).toEqual([
      'rt-secret-alice-sub-2',
      'at-secret-alice-sub-2',
      'rt-secret-alice-sub-1',
      'at-secret-alice-sub-1'
    ])
    expect(runner.failed).toContain('The approval policy refused alice@example.com (approvals)')
  })

  it('revokes the first approval’s tokens when the second person declines', async () => {
    const { ending, runner, revoked } = await actionRun({ approvals: '2' }, [
      alice,
      { ...bob, deny: true }
    ])
    expect(ending).toBe('denied')
    expect(runner.outputs).toEqual({})
    expect(revoked).toEqual(['rt-secret-alice-sub-1', 'at-secret-alice-sub-1'])
  })

  it('revokes the first approval’s tokens when the step is cancelled during the second', async () => {
    const clock = new FakeClock()
    const runner = new RecordingRunner(
      { 'client-id': CLIENT_ID, issuer: ISSUER, scope: 'openid', approvals: '2' },
      ENV
    )
    const controller = new AbortController()
    const http = provider(clock, [alice, bob], {
      [`${ISSUER}/device/code`]: (() => {
        let n = 0
        return () => {
          n++
          if (n === 2) controller.abort()
          return json(200, {
            device_code: `dc-secret-0123456789-${n}`,
            user_code: `CODE-000${n}`,
            verification_uri: `${ISSUER}/device`,
            expires_in: 600,
            interval: 5
          })
        }
      })()
    })
    expect(await run({ runner, http, clock, signal: controller.signal })).toBe('cancelled')
    const revoked = http.requests
      .filter((request) => request.url === REVOKE)
      .map((request) => new URLSearchParams(request.body).get('token'))
    expect(revoked).toEqual(['rt-secret-alice-sub-1', 'at-secret-alice-sub-1'])
    expect(runner.outputs).toEqual({})
  })

  it('takes approvals with a refresh token under mode: device, which never refreshes', async () => {
    const { ending, runner } = await actionRun(
      { approvals: '2', 'refresh-token': 'rt-stored', mode: 'device' },
      [alice, bob]
    )
    expect(ending).toBe('approved')
    expect(runner.outputs['approvers']).toBe('["alice","bob"]')
  })

  it('refuses approvals with a stored refresh token, before any request', async () => {
    const { ending, runner, http } = await actionRun(
      { approvals: '2', 'refresh-token': 'rt-stored' },
      [alice]
    )
    expect(ending).toBe('failed')
    expect(runner.failed).toContain("Input 'approvals'")
    expect(http.requests).toHaveLength(0)
  })
})

describe('run: the refresh path', () => {
  function refreshRun(inputs: Record<string, string>, owner: Person) {
    return actionRun({ 'refresh-token': 'rt-stored-secret', ...inputs }, [owner], {
      extra: {
        [TOKEN]: async () =>
          json(200, {
            access_token: `at-secret-refreshed`,
            token_type: 'Bearer',
            id_token: await idToken(new FakeClock(), { sub: owner.sub, ...owner.claims })
          })
      }
    })
  }

  it('applies allowed-approvers to the token’s owner', async () => {
    const { ending, runner, revoked } = await refreshRun(
      { 'allowed-approvers': 'username:alice' },
      bob
    )
    expect(ending).toBe('refused')
    expect(runner.outputs).toEqual({})
    expect(revoked).toEqual(['at-secret-refreshed'])
  })

  it('does not ask whether the owner started the run: nobody approved during it', async () => {
    const { ending, runner } = await refreshRun(
      { 'self-approval-claim': 'email', 'run-actor': 'alice@example.com' },
      alice
    )
    expect(ending).toBe('refreshed')
    expect(runner.outputs['access-token']).toBe('at-secret-refreshed')
  })
})

describe('run: provider: github', () => {
  const GH_DEVICE = 'https://github.com/login/device/code'
  const GH_TOKEN = 'https://github.com/login/oauth/access_token'
  const GH_USER = 'https://api.github.com/user'
  const GH_TEAM = 'https://api.github.com/orgs/octo/teams/release/memberships/mona'
  const GH_REVOKE = 'https://api.github.com/applications/Ov23liClient/token'

  /** GitHub, where code n is approved by logins[n - 1] (then nobody: pending until the wait ends). */
  function gitHubRun(
    inputs: Record<string, string>,
    logins: string | string[],
    extra: Record<string, Route> = {}
  ) {
    const people = typeof logins === 'string' ? [logins] : logins
    let codes = 0
    const polls = new Map<string, number>()
    const runner = new RecordingRunner(
      { provider: 'github', 'client-id': 'Ov23liClient', ...inputs },
      ENV
    )
    const http = scriptedHttp({
      [GH_DEVICE]: () => {
        codes++
        return json(200, {
          device_code: `gh-device-secret-${codes}`,
          user_code: `KQPR-TXW${codes}`,
          verification_uri: 'https://github.com/login/device',
          expires_in: 900,
          interval: 5
        })
      },
      [GH_TOKEN]: (request: HttpRequest) => {
        const code = new URLSearchParams(request.body).get('device_code') ?? ''
        const n = Number(code.replace('gh-device-secret-', ''))
        const seen = (polls.get(code) ?? 0) + 1
        polls.set(code, seen)
        return seen === 1 || people[n - 1] === undefined
          ? json(200, { error: 'authorization_pending' })
          : json(200, {
              access_token: n === 1 ? 'gho_secret_token' : `gho_secret_token_${n}`,
              token_type: 'bearer',
              scope: 'read:org'
            })
      },
      [GH_USER]: (request: HttpRequest) => {
        const token = (request.headers['Authorization'] ?? '').replace('Bearer ', '')
        const n = token === 'gho_secret_token' ? 1 : Number(token.replace('gho_secret_token_', ''))
        return json(200, { login: people[n - 1], id: 583230 + n })
      },
      ...extra
    })
    const clock = new FakeClock()
    return run({ runner, http, clock, signal: new AbortController().signal }).then((ending) => ({
      ending,
      runner,
      http
    }))
  }

  it('refuses by default the login that started the run, and waits for someone else', async () => {
    const { ending, runner } = await gitHubRun({}, ['OctoCat', 'mona'])
    expect(ending).toBe('approved')
    expect(runner.outputs['approver']).toBe('mona')
    expect(runner.text('info')).toContain(
      'The approval was refused: OctoCat started this run (GITHUB_TRIGGERING_ACTOR) and may not approve it (allow-self-approval is false).'
    )
    expect(runner.text('info')).toContain(
      'Self-approval: not allowed: not octocat, who started the run'
    )
    // No client secret: GitHub cannot revoke, and the log says for how long the token lives.
    expect(runner.text('info')).toContain(
      "GitHub revokes a token only with the app's client secret"
    )
  })

  it('fails, naming the refusal, when only the run’s author approves before the timeout', async () => {
    const { ending, runner } = await gitHubRun({ timeout: '5m' }, 'OctoCat')
    expect(ending).toBe('timed-out')
    expect(runner.failed).toContain(
      'The approval policy refused OctoCat (allow-self-approval), and nobody it accepts approved'
    )
    expect(runner.outputs).toEqual({})
  })

  it('allows an active team member, asked with the approver’s own token', async () => {
    const { ending, runner, http } = await gitHubRun(
      { 'allowed-approvers': '@octo/release' },
      'mona',
      {
        [GH_TEAM]: () =>
          json(200, { state: 'active', role: 'member' }, { 'x-oauth-scopes': 'read:org' })
      }
    )
    expect(ending).toBe('approved')
    expect(runner.text('info')).toContain('✓ mona is an active member of @octo/release')
    const asked = http.requests.find((request) => request.url === GH_TEAM)
    expect(asked?.headers['Authorization']).toBe('Bearer gho_secret_token')
  })

  it('refuses a non-member and revokes the token with the client secret', async () => {
    const { ending, runner, http } = await gitHubRun(
      {
        'allowed-approvers': '@octo/release',
        'client-secret': 'gh-client-secret',
        timeout: '5m'
      },
      'mona',
      {
        [GH_TEAM]: () => json(404, { message: 'Not Found' }, { 'x-oauth-scopes': 'read:org' }),
        [GH_REVOKE]: () => ({ status: 204, headers: {}, body: '' })
      }
    )
    expect(ending).toBe('timed-out')
    expect(runner.failed).toContain('mona is not a member of @octo/release as far as GitHub shows')
    const revoke = http.requests.find((request) => request.url === GH_REVOKE)
    expect(revoke?.method).toBe('DELETE')
    expect(JSON.parse(revoke?.body ?? '{}')).toEqual({ access_token: 'gho_secret_token' })
    expect(runner.text('info')).toContain("Revoked the refused approval's (mona) token")
  })
})
