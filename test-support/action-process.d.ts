import type { ChildProcess } from 'node:child_process'

export const ROOT: string
export const DIST_ENTRY: string
export const DIST_POST: string
export const RUN_ENV: Record<string, string>
export const USER_CODE_LINE: RegExp

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  raw: { output: string; summary: string; state: string; env: string }
  elapsedMs: number
}

export interface ActionRun {
  child: ChildProcess
  stdout(): string
  stderr(): string
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  done: Promise<ActionResult>
  files: { output: string; summary: string; state: string; env: string; path: string }
}

export function startAction(options: {
  inputs: Record<string, string>
  env?: Record<string, string>
  onStdout?: (chunk: string) => void
  timeoutMs?: number
  /** The script to run; default DIST_ENTRY. */
  entry?: string
}): ActionRun

/** The main step's state as the runner hands it to the post step: STATE_<name> variables. */
export function stateEnv(state: Record<string, string>): Record<string, string>

export function parseFileCommands(text: string): Record<string, string>

export function findLeaks(
  streams: Record<string, string>,
  secrets: string[]
): Array<{ where: string; line: number; secret: string }>
