import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  findLeaks,
  startAction,
  USER_CODE_LINE,
  type ActionResult
} from '../../test-support/action-process.js'
import { startIdp, type Idp } from '../../test-support/idp.js'

/**
 * The approval gate as a runner runs it: dist/index.js as a process against the embedded IdP,
 * whose users carry groups and amr (alice and carol: release-managers with MFA; bob: a developer
 * with a password only). Every byte the action wrote is scanned for every value it masked.
 */
let idp: Idp
beforeAll(async () => {
  idp = await startIdp({ interval: 1 })
})
afterAll(async () => idp.close())

function gateInputs(policy: Record<string, string>): Record<string, string> {
  return {
    issuer: idp.issuer,
    'client-id': idp.clients.public.clientId,
    scope: 'openid profile email offline_access',
    ...policy
  }
}

/** The values the action masked: tokens and device codes, whether output or not. */
function masked(result: ActionResult): string[] {
  return [...result.stdout.matchAll(/^::add-mask::(.+)$/gm)].map((match) => match[1] as string)
}

/** No masked value anywhere but its mask line, and only token outputs may hold one. */
function expectNoLeaks(result: ActionResult): void {
  const secrets = masked(result)
  expect(secrets.length).toBeGreaterThan(0)
  const outputTokens = ['access-token', 'refresh-token', 'id-token'].flatMap(
    (name) => result.outputs[name] ?? []
  )
  expect(
    findLeaks(
      {
        stdout: result.stdout,
        stderr: result.stderr,
        summary: result.raw.summary,
        state: result.raw.state,
        env: result.raw.env
      },
      secrets
    )
  ).toEqual([])
  const notOutput = secrets.filter((secret) => !outputTokens.includes(secret))
  expect(findLeaks({ output: result.raw.output }, notOutput)).toEqual([])
}

async function userinfoStatus(token: string): Promise<number> {
  const response = await fetch(`${idp.issuer}/me`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000)
  })
  await response.arrayBuffer()
  return response.status
}

/** Masked values that are not outputs yet still work as tokens: there must be none. */
async function liveUnoutputTokens(result: ActionResult): Promise<string[]> {
  const outputs = new Set(Object.values(result.outputs))
  const candidates = masked(result).filter((secret) => !outputs.has(secret))
  const statuses = await Promise.all(candidates.map(userinfoStatus))
  return candidates.filter((_, index) => statuses[index] === 200)
}

/** The prompt of a fresh code after a refusal, and its user code. */
const FRESH_CODE = /│ A fresh code: [^\n]*\n[\s\S]*?2\. Enter {2}(\S+)/

describe('dist/index.js: the approval gate', () => {
  it('lets an allowed approver through and outputs their tokens', async () => {
    const run = startAction({
      inputs: gateInputs({
        'allowed-approvers': '*@example.test',
        'required-claims': 'groups=release-managers\namr=mfa'
      })
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    // The policy is in the live prompt, before anyone signs in.
    await run.waitFor(/Policy {3}Who may approve: verified email \*@example\.test/)
    await idp.approve(userCode as string, { user: 'carol' })
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.outputs['approver']).toBe('carol')
    expect(result.outputs['approvers']).toBe('["carol"]')
    expect(result.outputs['access-token']).toMatch(/^\S{20,}$/)
    expect(result.summary).toContain('✅ Approved')
    expect(result.summary).toContain('Must have: groups = release-managers and amr = mfa')
    expectNoLeaks(result)
  })

  it('refuses a wrong approver, revokes their token, and lets the next one through in the same run', async () => {
    const run = startAction({
      inputs: gateInputs({ 'required-claims': 'groups=release-managers\namr=mfa' })
    })
    const [, first] = await run.waitFor(USER_CODE_LINE)
    await idp.approve(first as string, { user: 'bob' })
    const [, fresh] = await run.waitFor(FRESH_CODE)
    expect(fresh).not.toBe(first)
    // Told before the fresh code: who was refused, by which rule, and that their token is gone.
    const before = run.stdout()
    expect(before).toContain(
      "The approval was refused: bob@example.test's groups (developers) does not include release-managers (required-claims: groups=release-managers)."
    )
    expect(before).toContain("✗ bob@example.test's amr (pwd) does not include mfa")
    expect(before).toContain("Revoked the refused approval's (bob@example.test) access token")
    await idp.approve(fresh as string, { user: 'carol' })
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^::notice title=Approval needed%3A enter code .*::A fresh code: the approval policy refused the approval by bob@example\.test \(required-claims\), and the wait goes on\. Open /m
    )
    expect(result.outputs['approver']).toBe('carol')
    expect(result.outputs['approvers']).toBe('["carol"]')
    expect(await userinfoStatus(result.outputs['access-token'] as string)).toBe(200)
    expect(result.summary).toContain('✅ Approved')
    expect(result.summary).toContain(
      'A fresh code: the approval policy refused the approval by bob@example.test &#40;required-claims&#41;, and the wait goes on.'
    )
    expect(await liveUnoutputTokens(result)).toEqual([])
    expectNoLeaks(result)
  })

  it('fails once the wait is over when only refused people approved: exit 1, no token output, the rule in plain words', async () => {
    const run = startAction({
      inputs: gateInputs({ 'required-claims': 'groups=release-managers\namr=mfa', timeout: '8s' })
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    await idp.approve(userCode as string, { user: 'bob' })
    const result = await run.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::The approval policy refused bob@example\.test \(required-claims\), and nobody it accepts approved before the wait for this approval ended at .* \(the timeout input\)\. The last refusal: bob@example\.test's groups \(developers\) does not include release-managers/m
    )
    expect(result.outputs).toEqual({})
    expect(result.summary).toContain('⏱️ Timed out')
    expect(result.summary).toContain('<code>bob@example.test</code>')
    expect(result.summary).toContain('<code>required-claims</code>')
    expect(await liveUnoutputTokens(result)).toEqual([])
    expectNoLeaks(result)
  })

  it('refuses the person who started the run, and waits for someone else', async () => {
    const run = startAction({
      inputs: gateInputs({ 'self-approval-claim': 'email', 'run-actor': 'alice@example.test' }),
      env: { GITHUB_TRIGGERING_ACTOR: 'alice' }
    })
    const [, userCode] = await run.waitFor(USER_CODE_LINE)
    await run.waitFor(
      /Self-approval: not allowed: the approver's email must not be alice@example\.test/
    )
    await idp.approve(userCode as string, { user: 'alice' })
    const [, fresh] = await run.waitFor(FRESH_CODE)
    expect(run.stdout()).toContain('alice@example.test started this run')
    await idp.approve(fresh as string, { user: 'carol' })
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.outputs['approver']).toBe('carol')
    expect(await liveUnoutputTokens(result)).toEqual([])
    expectNoLeaks(result)
  })

  it('refuses a bad policy input before asking anyone', async () => {
    const result = await startAction({
      inputs: gateInputs({ approvals: '0' })
    }).done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Input 'approvals': "0" is not a whole number from 1 to 10/m
    )
    expect(result.stdout).not.toContain('Enter')
  })
})

describe('dist/index.js: two approvers', () => {
  const SECOND_CODE = /Approval 2 of 2: a different person \(not \w+\)\.[\s\S]*?2\. Enter {2}(\S+)/

  it('asks two release managers in turn, outputs the first one’s tokens, revokes the second’s', async () => {
    const run = startAction({
      inputs: gateInputs({ approvals: '2', 'required-claims': 'groups=release-managers' })
    })
    const [, first] = await run.waitFor(USER_CODE_LINE)
    expect(run.stdout()).toContain('│ Approval 1 of 2.') // printed before the code line
    await idp.approve(first as string, { user: 'alice' })
    const [, second] = await run.waitFor(SECOND_CODE)
    expect(second).not.toBe(first)
    await idp.approve(second as string, { user: 'carol' })
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.outputs['approver']).toBe('alice')
    expect(result.outputs['approvers']).toBe('["alice","carol"]')
    expect(result.stdout).toContain(
      "Revoked approval 2's (carol) access token; it is never output."
    )
    expect(result.summary).toContain('<code>alice</code>, <code>carol</code>')
    expect(await userinfoStatus(result.outputs['access-token'] as string)).toBe(200)
    expect(await liveUnoutputTokens(result)).toEqual([])
    expectNoLeaks(result)
  })

  it('refuses the same person as the second approver without costing the first approval', async () => {
    const run = startAction({ inputs: gateInputs({ approvals: '2' }) })
    const [, first] = await run.waitFor(USER_CODE_LINE)
    await idp.approve(first as string, { user: 'alice' })
    const [, second] = await run.waitFor(SECOND_CODE)
    await idp.approve(second as string, { user: 'alice' })
    const [, fresh] = await run.waitFor(FRESH_CODE)
    expect(run.stdout()).toContain(
      'The approval was refused: alice@example.test already gave approval 1 of 2; approval 2 of 2 must come from a different person (approvals: 2).'
    )
    await idp.approve(fresh as string, { user: 'carol' })
    const result = await run.done
    expect(result.code).toBe(0)
    expect(result.outputs['approver']).toBe('alice')
    expect(result.outputs['approvers']).toBe('["alice","carol"]')
    expect(await userinfoStatus(result.outputs['access-token'] as string)).toBe(200)
    expect(await liveUnoutputTokens(result)).toEqual([])
    expectNoLeaks(result)
  })
})
