import type { IncomingMessage } from 'node:http'
export interface ConnectProxy {
  readonly port: number
  close(): Promise<void>
}
export function startConnectProxy(
  routes: Record<string, number>,
  onConnect?: (request: IncomingMessage) => void
): Promise<ConnectProxy>
