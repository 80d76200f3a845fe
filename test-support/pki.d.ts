export interface Pki {
  readonly dir: string
  readonly caFile: string
  readonly key: Buffer
  readonly cert: Buffer
}
export function makePki(dir: string, host: string): Pki
