import { describe, expect, it } from '@jest/globals'
import {
  readRevocationState,
  saveRevocationState,
  STATE_ACCESS_TOKEN,
  STATE_PLAN,
  type RevocationState
} from '../../src/revocation/state.js'

const state: RevocationState = {
  plan: {
    api: 'rfc7009',
    url: 'https://id.example.com/revoke',
    clientId: 'app',
    clientAuthMethod: 'none',
    tokenEndpoint: 'https://id.example.com/token'
  },
  accessToken: 'at-1',
  refreshToken: 'rt-1'
}

describe('the step state between the main and the post step', () => {
  it('reads back what was saved, each token under its own name', () => {
    const saved: Record<string, string> = {}
    saveRevocationState((name, value) => (saved[name] = value), state)
    expect(Object.keys(saved)).toEqual([
      'revocation-plan',
      'revoke-access-token',
      'revoke-refresh-token'
    ])
    // One line each: the runner's state file and STATE_ variables carry them as they are.
    for (const value of Object.values(saved)) expect(value).not.toMatch(/\n/)
    expect(readRevocationState((name) => saved[name] ?? '')).toEqual(state)
  })

  it('finds nothing when the main step saved nothing', () => {
    expect(readRevocationState(() => '')).toBeUndefined()
  })

  it("ignores a plan that is not the action's own, or has no token with it", () => {
    const read =
      (plan: string, token = 'at') =>
      (name: string) =>
        name === STATE_PLAN ? plan : name === STATE_ACCESS_TOKEN ? token : ''
    expect(readRevocationState(read('{not json'))).toBeUndefined()
    expect(readRevocationState(read(JSON.stringify({ ...state.plan, api: 'ftp' })))).toBeUndefined()
    expect(
      readRevocationState(read(JSON.stringify({ ...state.plan, url: 'file:///x' })))
    ).toBeUndefined()
    expect(
      readRevocationState(read(JSON.stringify({ ...state.plan, clientAuthMethod: 'magic' })))
    ).toBeUndefined()
    expect(readRevocationState(read(JSON.stringify(state.plan), ''))).toBeUndefined()
  })
})
