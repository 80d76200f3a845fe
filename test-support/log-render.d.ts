// Types for test-support/log-render.js (job log lines drawn in Chromium, QR codes read back).
import type { Browser } from 'playwright-core'

export const CHROMIUM_PATH: string
export interface LogStyle {
  fontFamily: string
  fontSizePx: number
  lineHeightPx: number
  color: string
  background: string
  deviceScaleFactor: number
  blurPx: number
}
export const GITHUB_LOG_STYLE: LogStyle
export function launchChromium(): Promise<Browser>
export function renderLogLines(
  browser: Browser,
  lines: string[],
  style?: Partial<LogStyle>
): Promise<Buffer>
export function decodeQrPng(png: Buffer, options?: { inverted?: boolean }): string | null
export function decodeQrPngWithZxing(png: Buffer, options?: { inverted?: boolean }): string | null
