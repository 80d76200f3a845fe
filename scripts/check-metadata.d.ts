export const ROOT: string
export const RUNTIME: string
export function actionProblems(text: string): string[]
export function workflowProblems(name: string, text: string): string[]
export function dependabotProblems(text: string): string[]
export function firstSentence(text: string): string
export function renderTables(
  actionText: string,
  options?: { brief?: boolean }
): Promise<{ inputs: string; outputs: string }>
export const TABLE_FILES: ReadonlyArray<{ readonly path: string; readonly brief: boolean }>
export function withTables(
  readme: string,
  tables: { inputs: string; outputs: string }
): { readme: string; missing: string[] }
export function readmeProblems(
  readme: string,
  actionText: string,
  file?: { path?: string; brief?: boolean }
): Promise<string[]>
export function checkRepository(root?: string): Promise<string[]>
