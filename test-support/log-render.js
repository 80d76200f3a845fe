// @ts-check
/**
 * Draws job log lines as GitHub's log viewer shows them, in a real headless Chromium (a monospace
 * font at GitHub's size and line height, light text on the dark log background), and reads QR
 * codes back from the picture with two independent decoders: jsQR and ZXing (@zxing/library, the
 * TypeScript port of the library many phone scanners are built on). Used to check where the QR
 * code the action draws scans (scripts/measure-qr.js prints the whole matrix), and to render the
 * pictures under docs/.
 */
import { chromium } from 'playwright-core'
import jsQR from 'jsqr'
import zxing from '@zxing/library'
import { PNG } from 'pngjs'

export const CHROMIUM_PATH = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking'
]

/**
 * GitHub's web log as we understand it (not a published figure): its monospace stack, 12 px text
 * on 20 px lines, light on dark. On this machine the stack resolves to DejaVu Sans Mono.
 */
export const GITHUB_LOG_STYLE = {
  fontFamily:
    'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  fontSizePx: 12,
  lineHeightPx: 20,
  color: '#f0f6fc',
  background: '#010409',
  /** CSS pixels per device pixel: 1 on most desktop screens, 2 on a laptop's "retina" one. */
  deviceScaleFactor: 1,
  /** A Gaussian blur of this many CSS pixels over the drawing (a camera is never sharp); 0: none. */
  blurPx: 0
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
 * @returns {Promise<Buffer>} a PNG, in device pixels
 */
export async function renderLogLines(browser, lines, style = {}) {
  const s = { ...GITHUB_LOG_STYLE, ...style }
  const page = await browser.newPage({
    viewport: { width: 1600, height: 200 },
    deviceScaleFactor: s.deviceScaleFactor
  })
  try {
    const body = lines.map((line) => `<div class="line">${html(line) || '&nbsp;'}</div>`).join('')
    const blur = s.blurPx > 0 ? `filter:blur(${s.blurPx}px);` : ''
    await page.setContent(
      `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
        body{margin:0;background:${s.background}}
        #log{display:inline-block;padding:16px 24px;background:${s.background};color:${s.color};${blur}
          font-family:${s.fontFamily};font-size:${s.fontSizePx}px;line-height:${s.lineHeightPx}px;white-space:pre}
      </style></head><body><div id="log">${body}</div></body></html>`
    )
    return await page.locator('#log').screenshot({ timeout: 10_000 })
  } finally {
    await page.close()
  }
}

/**
 * The pixels of a PNG, with the light modules read as the dark ones when `inverted` (a code
 * drawn light on dark).
 * @param {Buffer} png
 * @param {boolean} inverted
 */
function pixelsOf(png, inverted) {
  const image = PNG.sync.read(png)
  const data = new Uint8ClampedArray(image.data)
  if (inverted)
    for (let i = 0; i < data.length; i += 4)
      for (let c = 0; c < 3; c++) data[i + c] = 255 - (data[i + c] ?? 0)
  return { data, width: image.width, height: image.height }
}

/**
 * The text of the QR code in a PNG as jsQR reads it, or null when none is found.
 * @param {Buffer} png
 * @param {{ inverted?: boolean }} [options] inverted: read light modules as the dark ones (a
 *   code drawn light on dark); otherwise the dark modules must be the dark pixels.
 */
export function decodeQrPng(png, { inverted = false } = {}) {
  const { data, width, height } = pixelsOf(png, inverted)
  // jsQR's own onlyInvert mode is broken in 1.4.0 (it scans an image it never made): inverted above.
  return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null
}

/**
 * The same with ZXing's QR reader over its HybridBinarizer (local thresholds, as on a phone),
 * without TRY_HARDER.
 * @param {Buffer} png
 * @param {{ inverted?: boolean }} [options]
 */
export function decodeQrPngWithZxing(png, { inverted = false } = {}) {
  const { data, width, height } = pixelsOf(png, inverted)
  const luminance = new Uint8ClampedArray(width * height)
  for (let i = 0; i < width * height; i++)
    luminance[i] =
      ((data[i * 4] ?? 0) * 299 + (data[i * 4 + 1] ?? 0) * 587 + (data[i * 4 + 2] ?? 0) * 114) /
      1000
  const { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxing
  try {
    const bitmap = new BinaryBitmap(
      new HybridBinarizer(new RGBLuminanceSource(luminance, width, height))
    )
    return new QRCodeReader().decode(bitmap).getText()
  } catch {
    // NotFoundException, ChecksumException, FormatException: nothing readable.
    return null
  }
}

/** @returns {Promise<import('playwright-core').Browser>} */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 20_000 })
}
