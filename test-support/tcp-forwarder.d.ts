// Types for test-support/tcp-forwarder.js (a pausable TCP forwarder for fault injection).

export interface TcpForwarder {
  /** The port on 127.0.0.1, kept across pause() and resume(). */
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  readonly paused: boolean
  /** Closes the listener and drops open connections: new connections are refused. */
  pause(): Promise<void>
  /** Listens again on the same port. */
  resume(): Promise<void>
  /** Idempotent. */
  close(): Promise<void>
}

export function startTcpForwarder(options: {
  targetPort: number
  targetHost?: string
}): Promise<TcpForwarder>
