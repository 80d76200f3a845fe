import { describe, expect, it } from '@jest/globals'
import { FakeClock, json, type Route } from '../test-support/fakes.js'
import { ENV, EXAMPLE, exampleDeviceCode, exampleDiscovery, flow } from '../test-support/replay.js'
import { STATE_ACCESS_TOKEN, STATE_PLAN } from '../src/revocation/state.js'

/**
 * One approval for a whole pipeline (issue 22) through run(): the approving job seals its tokens
 * into the handoff output; a later job of the same run opens it with no request to anyone and
 * sets the same outputs; every refusal outputs nothing.
 */
const { issuer: ISSUER, discovery: DISCOVERY, device: DEVICE, token: TOKEN } = EXAMPLE
const USERINFO = EXAMPLE.userinfo
const REVOCATION = 'https://id.example.com/revoke'
const KEY = Buffer.from(new Uint8Array(32).map((_, i) => i * 5 + 2)).toString('base64')
const OTHER_KEY = Buffer.from(new Uint8Array(32).map((_, i) => i * 9 + 4)).toString('base64')
const RUN = { ...ENV, GITHUB_REPOSITORY_ID: '123456789', GITHUB_JOB: 'approve' }
const PROVIDER = { issuer: ISSUER, 'client-id': 'release-bot', 'handoff-key': KEY }
const APPROVER = { mode: 'device', scope: 'openid offline_access' }

const ACCESS = 'access-token-alice-0123456789'
const REFRESH = 'refresh-token-alice-0123456789'
const OUTPUTS = [
  'access-token',
  'refresh-token',
  'token-type',
  'expires-at',
  'scope',
  'approver',
  'approver-subject',
  'approvers'
]

interface Provider {
  /** The token endpoint's answer to the device grant, one per approval in turn. */
  readonly granted?: ReadonlyArray<Record<string, unknown>>
  /** Its answer to a refresh grant. */
  readonly refresh?: Route
}

/** The identity provider both jobs talk to: discovery, device code, token, userinfo, revocation. */
function routes({ granted, refresh }: Provider = {}): Record<string, Route> {
  let approval = 0
  const answers = granted ?? [
    { access_token: ACCESS, refresh_token: REFRESH, token_type: 'Bearer', expires_in: 3600 }
  ]
  return {
    [DISCOVERY]: exampleDiscovery({ userinfo_endpoint: USERINFO, revocation_endpoint: REVOCATION }),
    [DEVICE]: exampleDeviceCode(),
    [TOKEN]: (request) => {
      const form = new URLSearchParams(request.body ?? '')
      if (form.get('grant_type') === 'refresh_token')
        return refresh ? refresh(request) : json(400, { error: 'invalid_grant' })
      return json(200, answers[approval++ % answers.length])
    },
    [USERINFO]: (request) => {
      const who = JSON.stringify(request.headers).includes('carol') ? 'carol' : 'alice'
      return json(200, { sub: `sub-${who}`, preferred_username: who })
    },
    [REVOCATION]: () => ({ status: 200, headers: {}, body: '' })
  }
}

/** The approving job: a person approves, and the tokens are sealed into the handoff output. */
async function approvingJob(inputs: Record<string, string> = {}, provider: Provider = {}) {
  const clock = new FakeClock()
  const job = flow({ ...PROVIDER, ...APPROVER, ...inputs }, routes(provider), RUN, clock)
  await expect(job.run()).resolves.toBe('approved')
  const handoff = job.runner.outputs['handoff'] as string
  expect(handoff).toMatch(/^dfa-handoff-v1\.123456789\.4242\./)
  return { ...job, handoff }
}

/** A later job of the same run, given the handoff output; its clock `laterMs` after approval. */
function laterJob(
  handoff: string,
  options: {
    inputs?: Record<string, string>
    env?: Record<string, string>
    laterMs?: number
    provider?: Provider
  } = {}
) {
  const clock = new FakeClock()
  clock.advance(options.laterMs ?? 5 * 60_000)
  return flow(
    { ...PROVIDER, handoff, ...options.inputs },
    routes(options.provider),
    { ...RUN, GITHUB_JOB: 'publish', ...options.env },
    clock
  )
}

describe('run: the approving job (handoff-key, mode: device)', () => {
  it('writes the handoff output: not masked, no secret in it, the post step left nothing to revoke', async () => {
    const { runner, handoff } = await approvingJob()
    expect(runner.secrets).not.toContain(handoff)
    for (const secret of runner.secrets) expect(handoff).not.toContain(secret)
    // The plan was saved when the tokens arrived, then cleared once they were handed off.
    expect(runner.state[STATE_PLAN]).toBe('')
    expect(runner.state[STATE_ACCESS_TOKEN]).toBe('')
    expect(runner.text('info')).toContain('Handed off: the tokens are sealed in the handoff output')
    expect(runner.summary).toContain('Handed off')
    // Not what the post step would have done: it does nothing to tokens handed off.
    expect(runner.text('info')).not.toContain('not revoked when the job ends')
    // Its own outputs as without a handoff.
    expect(runner.outputs['access-token']).toBe(ACCESS)
  })

  it('leaves the revocation plan in place when the step fails before handing off', async () => {
    // A masked value that every sealed value contains (here the header itself, as a client
    // secret): the handoff cannot be written, nothing was handed off, and the post step must
    // still revoke the access token.
    const job = flow(
      { ...PROVIDER, ...APPROVER, 'client-secret': 'dfa-handoff-v1' },
      routes({ granted: [{ access_token: ACCESS, token_type: 'Bearer', expires_in: 3600 }] }),
      RUN,
      new FakeClock()
    )
    await job.failsSaying('contained a value masked in this job')
    expect(job.runner.outputs['handoff']).toBeUndefined()
    expect(job.runner.state[STATE_PLAN]).toContain(REVOCATION)
    expect(job.runner.state[STATE_ACCESS_TOKEN]).toBe(ACCESS)
  })
})

describe('run: a later job opens the handoff', () => {
  it('sets the same outputs with no request to anyone, and records where they came from', async () => {
    const first = await approvingJob()
    const later = laterJob(first.handoff)
    await expect(later.run()).resolves.toBe('handoff-opened')
    expect(later.http.requests).toEqual([])
    for (const name of OUTPUTS)
      expect([name, later.runner.outputs[name]]).toEqual([name, first.runner.outputs[name]])
    // Less time is left; and the refresh token is the one handed over, nothing new to store.
    // Approved 5 s after the start (one poll), opened 5 min after the start.
    expect(Number(later.runner.outputs['expires-in'])).toBe(3600 - 5 * 60 + 5)
    expect(first.runner.outputs['refresh-token-rotated']).toBe('true')
    expect(later.runner.outputs['refresh-token-rotated']).toBe('false')
    // Masked before anything else was done with them.
    expect(later.runner.secrets).toEqual(expect.arrayContaining([ACCESS, REFRESH, KEY]))
    expect(later.runner.text('info')).toContain(
      'Opened the handoff of job approve (attempt 1): approved by alice.'
    )
    expect(later.runner.summary).toContain('📨 Opened the handoff of an earlier job')
    expect(later.runner.summary).toContain('<code>approve</code>, attempt 1')
    // Revokes nothing by default: other jobs may still use the tokens.
    expect(later.runner.state).toEqual({})
  })

  it('opens it in a re-run of the same run (another attempt)', async () => {
    const first = await approvingJob()
    const rerun = laterJob(first.handoff, { env: { GITHUB_RUN_ATTEMPT: '2' } })
    await expect(rerun.run()).resolves.toBe('handoff-opened')
    expect(rerun.runner.outputs['access-token']).toBe(ACCESS)
  })

  it('names everyone who approved (approvals: 2); the tokens are the first one’s', async () => {
    const carol = {
      access_token: 'access-token-carol-0123456789',
      token_type: 'Bearer',
      expires_in: 3600
    }
    const first = await approvingJob(
      { approvals: '2' },
      {
        granted: [
          { access_token: ACCESS, refresh_token: REFRESH, token_type: 'Bearer', expires_in: 3600 },
          carol
        ]
      }
    )
    const later = laterJob(first.handoff)
    await expect(later.run()).resolves.toBe('handoff-opened')
    expect(later.runner.outputs['approvers']).toBe('["alice","carol"]')
    expect(later.runner.outputs['approver']).toBe('alice')
    expect(later.runner.outputs['access-token']).toBe(ACCESS)
    expect(later.runner.text('info')).toContain('approved by alice and carol')
  })

  it('seals the tokens again for the jobs that need this one', async () => {
    const first = await approvingJob()
    const later = laterJob(first.handoff)
    await later.run()
    const again = later.runner.outputs['handoff'] as string
    expect(again).toMatch(/^dfa-handoff-v1\.123456789\.4242\./)
    expect(again).not.toBe(first.handoff)
    const third = laterJob(again, { env: { GITHUB_JOB: 'tag' } })
    await expect(third.run()).resolves.toBe('handoff-opened')
    expect(third.runner.outputs['access-token']).toBe(ACCESS)
  })

  it('with store-refresh-token, writes no secret unless a refresh rotated the refresh token', async () => {
    const first = await approvingJob()
    const later = laterJob(first.handoff, {
      inputs: {
        'store-refresh-token': 'OAUTH_REFRESH_TOKEN',
        'secrets-token': 'ghp_0123456789abcdef'
      }
    })
    await expect(later.run()).resolves.toBe('handoff-opened')
    expect(later.http.requests).toEqual([])
    expect(later.runner.outputs['refresh-token-stored']).toBe('false')
    expect(later.runner.text('info')).toContain(
      'The handed-off refresh token was not rotated here, so the repository secret OAUTH_REFRESH_TOKEN of octo/release was not written.'
    )
  })

  it('with revoke: all, reaches the provider only to plan what its post step revokes', async () => {
    const first = await approvingJob()
    const last = laterJob(first.handoff, { inputs: { revoke: 'all' } })
    await expect(last.run()).resolves.toBe('handoff-opened')
    expect(last.http.requests.map((request) => request.url)).toEqual([DISCOVERY])
    expect(last.runner.state[STATE_PLAN]).toContain(REVOCATION)
    expect(last.runner.state[STATE_ACCESS_TOKEN]).toBe(ACCESS)
  })
})

describe('run: a handed-off access token that has expired', () => {
  it('is refreshed when a refresh token is inside, the approver kept and a rotation reported', async () => {
    const first = await approvingJob()
    const rotated = 'refresh-token-rotated-0123456789'
    const later = laterJob(first.handoff, {
      laterMs: 2 * 3600_000,
      provider: {
        refresh: (request) => {
          expect(new URLSearchParams(request.body ?? '').get('refresh_token')).toBe(REFRESH)
          return json(200, {
            access_token: 'access-token-renewed-0123456789',
            // Not verified here (no identity is asked again): never output.
            id_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.unverified-signature',
            refresh_token: rotated,
            token_type: 'Bearer',
            expires_in: 3600
          })
        }
      }
    })
    await expect(later.run()).resolves.toBe('handoff-opened')
    expect(later.http.requests.map((request) => request.url)).toEqual([DISCOVERY, TOKEN])
    expect(later.runner.outputs['access-token']).toBe('access-token-renewed-0123456789')
    expect(later.runner.outputs['approver']).toBe('alice')
    later.expectStored(rotated, 'true')
    expect(later.runner.outputs['id-token']).toBeUndefined()
    expect(later.runner.secrets).toEqual(expect.arrayContaining([rotated]))
    expect(later.runner.text('info')).toContain('Exchanged the refresh token')
    expect(later.runner.summary).toContain('this job refreshed it')
  })

  it('fails with the re-run advice when the refresh token is refused, and outputs nothing', async () => {
    const first = await approvingJob()
    const later = laterJob(first.handoff, { laterMs: 2 * 3600_000 })
    await later.failsSaying('its refresh token was refused', 'Re-run the approving job')
    expect(later.runner.outputs).toEqual({})
    // Masked the moment the handoff opened, though nothing was output.
    expect(later.runner.secrets).toEqual(expect.arrayContaining([ACCESS, REFRESH]))
  })

  it('fails before any request when there is no refresh token, saying to re-run the approving job', async () => {
    const first = await approvingJob(
      {},
      { granted: [{ access_token: ACCESS, token_type: 'Bearer', expires_in: 600 }] }
    )
    const later = laterJob(first.handoff, { laterMs: 3600_000 })
    await later.failsSaying(
      'The handed-off access token expired at 2026-11-24T10:10:05Z',
      'no refresh token to renew it',
      'Re-run the approving job'
    )
    expect(later.http.requests).toEqual([])
    expect(later.runner.outputs).toEqual({})
  })

  it('sends the refresh token only to the token endpoint that issued it', async () => {
    const first = await approvingJob()
    const elsewhere = 'https://other.example.com'
    const later = flowElsewhere(first.handoff, elsewhere)
    await later.failsSaying(
      `lead to the token endpoint ${elsewhere}/token, but the handed-off tokens were issued by ${TOKEN}`
    )
    expect(later.http.requests.map((request) => request.url)).toEqual([
      `${elsewhere}/.well-known/openid-configuration`
    ])
    expect(later.runner.outputs).toEqual({})
  })
})

/** A later job whose provider inputs name another issuer than the approving job's. */
function flowElsewhere(handoff: string, issuer: string) {
  const clock = new FakeClock()
  clock.advance(2 * 3600_000)
  return flow(
    { ...PROVIDER, issuer, handoff },
    {
      [`${issuer}/.well-known/openid-configuration`]: () =>
        json(200, {
          issuer,
          device_authorization_endpoint: `${issuer}/device/code`,
          token_endpoint: `${issuer}/token`
        })
    },
    { ...RUN, GITHUB_JOB: 'publish' },
    clock
  )
}

describe('run: a handoff that cannot be used is refused, nothing output and no request made', () => {
  it.each([
    ['another run', { env: { GITHUB_RUN_ID: '4243' } }, 'sealed in workflow run 4242'],
    [
      'another repository',
      { env: { GITHUB_REPOSITORY_ID: '987654321' } },
      'sealed in another repository'
    ],
    [
      'another key',
      { inputs: { 'handoff-key': OTHER_KEY } },
      'handoff-key is not the key that sealed it'
    ],
    [
      'another client',
      { inputs: { 'client-id': 'other-bot' } },
      "issued to client release-bot, but this job's client-id is other-bot"
    ]
  ])('%s', async (_, options, says) => {
    const first = await approvingJob()
    const later = laterJob(first.handoff, options)
    await later.failsSaying(says)
    expect(later.runner.outputs).toEqual({})
    expect(later.http.requests).toEqual([])
    expect(later.runner.summary).toContain('❌ Failed')
  })

  it('a truncated or altered value', async () => {
    const { handoff } = await approvingJob()
    for (const value of [
      handoff.slice(0, -10),
      handoff.slice(0, -1) + (handoff.endsWith('A') ? 'B' : 'A')
    ]) {
      const later = laterJob(value)
      await later.failsSaying('The handoff')
      expect(later.runner.outputs).toEqual({})
    }
  })

  it('a newer format version, asking to upgrade the action in this job', async () => {
    const { handoff } = await approvingJob()
    const later = laterJob(handoff.replace('dfa-handoff-v1.', 'dfa-handoff-v2.'))
    await later.failsSaying('Upgrade the action in this job')
    expect(later.runner.outputs).toEqual({})
  })
})
