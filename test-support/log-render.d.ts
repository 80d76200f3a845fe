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
}
export const GITHUB_LOG_STYLE: LogStyle
export function launchChromium(): Promise<Browser>
export function renderLogLines(
  browser: Browser,
  lines: string[],
  style?: Partial<LogStyle>
): Promise<Buffer>
/** RGBA, row by row. */
export interface Pixels {
  data: Uint8ClampedArray
  width: number
  height: number
}
export function decodeQrPng(png: Buffer | Pixels, options?: { inverted?: boolean }): string | null
/** A Gaussian blur of standard deviation sigmaPx pixels over a PNG, as a camera sees a screen. */
export function blurPixels(png: Buffer, sigmaPx: number): Pixels
export function decodeQrPngWithZxing(
  png: Buffer | Pixels,
  options?: { inverted?: boolean }
): string | null
