// @ts-check
/**
 * Draws job log lines as GitHub's log viewer shows them, in a real headless Chromium (a monospace
 * font at GitHub's size and line height, light text on the dark log background), and reads QR
 * codes back from the picture with jsQR. Used to check that the QR code the action draws with
 * half blocks scans, and to render the pictures under docs/.
 */
import { chromium } from 'playwright-core'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'

export const CHROMIUM_PATH = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

/**
 * GitHub's log: the monospace stack of its CSS, 12 px text on 20 px lines, light on dark.
 * On this machine the stack resolves to DejaVu Sans Mono (the Linux fallback).
 */
export const GITHUB_LOG_STYLE = {
  fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  fontSizePx: 12,
  lineHeightPx: 20,
  color: '#f0f6fc',
  background: '#010409'
}

/** @param {string} text */
function html(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * @typedef {typeof GITHUB_LOG_STYLE} LogStyle
 * @param {import('playwright-core').Browser} browser
 * @param {string[]} lines
 * @param {Partial<LogStyle>} [style]
 * @returns {Promise<Buffer>} a PNG
 */
export async function renderLogLines(browser, lines, style = {}) {
  const s = { ...GITHUB_LOG_STYLE, ...style }
  const page = await browser.newPage({ viewport: { width: 900, height: 200 }, deviceScaleFactor: 1 })
  try {
    const body = lines.map((line) => `<div class="line">${html(line) || '&nbsp;'}</div>`).join('')
    await page.setContent(
      `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
        body{margin:0;background:${s.background}}
        #log{display:inline-block;padding:16px 24px;background:${s.background};color:${s.color};
          font-family:${s.fontFamily};font-size:${s.fontSizePx}px;line-height:${s.lineHeightPx}px;white-space:pre}
      </style></head><body><div id="log">${body}</div></body></html>`
    )
    return await page.locator('#log').screenshot({ timeout: 10_000 })
  } finally {
    await page.close()
  }
}

/**
 * The text of the QR code in a PNG, or null when none is found.
 * @param {Buffer} png
 * @param {{ inverted?: boolean, shrink?: number }} [options] inverted: read light modules as the
 *   dark ones (a code drawn light on dark); otherwise the dark modules must be the dark pixels.
 *   shrink: average each shrink × shrink square of pixels into one first, as a phone camera a
 *   little way off the screen sees it (fewer pixels a module, the gaps between lines blurred).
 */
export function decodeQrPng(png, { inverted = false, shrink = 1 } = {}) {
  const image = shrinkImage(PNG.sync.read(png), shrink)
  const data = new Uint8ClampedArray(image.data)
  // jsQR's own onlyInvert mode is broken in 1.4.0 (it scans an image it never made): invert here.
  if (inverted) for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) data[i + c] = 255 - (data[i + c] ?? 0)
  return jsQR(data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null
}

/** @returns {Promise<import('playwright-core').Browser>} */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 20_000 })
}

/**
 * Box-filters an RGBA image down by an integer factor.
 * @param {{ width: number, height: number, data: Buffer | Uint8Array }} image
 * @param {number} factor
 */
function shrinkImage(image, factor) {
  if (factor <= 1) return image
  const width = Math.floor(image.width / factor)
  const height = Math.floor(image.height / factor)
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++)
            sum += image.data[((y * factor + dy) * image.width + x * factor + dx) * 4 + c] ?? 0
        data[(y * width + x) * 4 + c] = Math.round(sum / (factor * factor))
      }
  return { width, height, data }
}
