import { ActionError } from '../errors.js'
import type * as LaterStagesModule from './later-stages.js'

/** The stages after the code (src/flow/later-stages.ts), as import() gives them. */
export type LaterStages = typeof LaterStagesModule

/** The import the bundler splits at: the string must stay a literal. */
export const importLaterStages = (): Promise<LaterStages> => import('./later-stages.js')

/**
 * One run's way to the stages after the code. `prefetch` starts the import and returns, for the
 * moments when nothing needs them yet but something soon will (a refresh, right after the
 * inputs); `load` waits for them. Either way there is one import, and its failure is never
 * lost: every `load` throws it, as a LaterStagesLoadError, through the run's failure path.
 */
export interface LaterStagesLoader {
  prefetch(): void
  load(): Promise<LaterStages>
}

export function laterStagesLoader(
  importStages: () => Promise<LaterStages> = importLaterStages
): LaterStagesLoader {
  let loading: Promise<LaterStages> | undefined
  const load = (): Promise<LaterStages> =>
    (loading ??= importStages().catch((error: unknown) => {
      throw new LaterStagesLoadError(error)
    }))
  return {
    load,
    prefetch: () => {
      // Only this branch is caught, so that a run that ends before it needs the stages (a failed
      // discovery, a cancel) leaves no unhandled rejection; `loading` still rejects for `load`.
      load().catch(() => undefined)
    }
  }
}

/** The chunk with the stages after the code could not be loaded: dist/ is incomplete. */
export class LaterStagesLoadError extends ActionError {
  override name = 'LaterStagesLoadError'
  constructor(cause: unknown) {
    super(
      `The action could not load the part of itself that runs after the code (a chunk beside dist/index.js): ${cause instanceof Error ? cause.message : String(cause)}. Its dist/ folder is incomplete; use a released version of the action (a tag or a full commit SHA), and report this if that is what the workflow uses.`,
      { cause }
    )
  }
}
