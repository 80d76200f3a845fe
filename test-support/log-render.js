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
  /** Device pixels per CSS pixel: 1 on most desktop screens, 2 on a laptop's "retina" one. */
  deviceScaleFactor: 1
}

/** @param {string} text */
function html(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * One page per browser and device pixel ratio, reused: a new page costs half a second, a new
 * content a few milliseconds.
 * @type {WeakMap<import('playwright-core').Browser, Map<number, Promise<import('playwright-core').Page>>>}
 */
const pages = new WeakMap()

/**
 * @param {import('playwright-core').Browser} browser
 * @param {number} deviceScaleFactor
 */
function pageFor(browser, deviceScaleFactor) {
  let byRatio = pages.get(browser)
  if (!byRatio) pages.set(browser, (byRatio = new Map()))
  let page = byRatio.get(deviceScaleFactor)
  if (!page) {
    page = browser.newPage({ viewport: { width: 1600, height: 200 }, deviceScaleFactor })
    byRatio.set(deviceScaleFactor, page)
  }
  return page
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
  const page = await pageFor(browser, s.deviceScaleFactor)
  const body = lines.map((line) => `<div class="line">${html(line) || '&nbsp;'}</div>`).join('')
  await page.setContent(
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
      body{margin:0;background:${s.background}}
      #log{display:inline-block;padding:16px 24px;background:${s.background};color:${s.color};
        font-family:${s.fontFamily};font-size:${s.fontSizePx}px;line-height:${s.lineHeightPx}px;white-space:pre}
    </style></head><body><div id="log">${body}</div></body></html>`
  )
  const box = await page.locator('#log').boundingBox({ timeout: 10_000 })
  if (!box) throw new Error('renderLogLines: the log was not laid out')
  return await page.screenshot({ clip: box, fullPage: true, timeout: 10_000 })
}

/**
 * @typedef {{ data: Uint8ClampedArray, width: number, height: number }} Pixels RGBA, row by row
 */

/**
 * The pixels of a PNG (or pixels already), with the light modules read as the dark ones when
 * `inverted` (a code drawn light on dark).
 * @param {Buffer | Pixels} picture
 * @param {boolean} inverted
 * @returns {Pixels}
 */
function pixelsOf(picture, inverted) {
  const image = Buffer.isBuffer(picture) ? PNG.sync.read(picture) : picture
  const data = new Uint8ClampedArray(image.data)
  if (inverted)
    for (let i = 0; i < data.length; i += 4)
      for (let c = 0; c < 3; c++) data[i + c] = 255 - (data[i + c] ?? 0)
  return { data, width: image.width, height: image.height }
}

/**
 * The text of the QR code in a PNG (or its pixels) as jsQR reads it, or null when none is found.
 * @param {Buffer | Pixels} png
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
 * @param {Buffer | Pixels} png
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

/**
 * The picture as a camera sees the screen, never quite sharp: a Gaussian blur with a standard
 * deviation of `sigmaPx` pixels (what CSS's blur() means by its radius), applied to the pixels.
 * The log is light grey on near black, so the result is grey too (the decoders read luminance).
 * Pixels, not a PNG: encoding one takes seconds under jest.
 * @param {Buffer} png
 * @param {number} sigmaPx
 * @returns {Pixels}
 */
export function blurPixels(png, sigmaPx) {
  const { data, width, height } = pixelsOf(png, false)
  const radius = Math.ceil(3 * sigmaPx)
  const kernel = new Float32Array(2 * radius + 1)
  for (let i = 0; i < kernel.length; i++)
    kernel[i] = Math.exp(-((i - radius) ** 2) / (2 * sigmaPx * sigmaPx))
  const total = kernel.reduce((sum, weight) => sum + weight, 0)
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] ?? 0) / total
  const grey = new Float32Array(width * height)
  for (let i = 0; i < grey.length; i++)
    grey[i] =
      0.299 * (data[i * 4] ?? 0) + 0.587 * (data[i * 4 + 1] ?? 0) + 0.114 * (data[i * 4 + 2] ?? 0)
  const across = convolve(grey, width, height, kernel, 1)
  const blurred = convolve(across, width, height, kernel, width)
  const out = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < blurred.length; i++) {
    out.fill(Math.round(blurred[i] ?? 0), i * 4, i * 4 + 3)
    out[i * 4 + 3] = 255
  }
  return { data: out, width, height }
}

/**
 * One pass of a kernel along x (step 1) or y (step width), the edges clamped: plain loops over
 * typed arrays, which stay fast under jest's module sandbox.
 * @param {Float32Array} from
 * @param {number} width
 * @param {number} height
 * @param {Float32Array} kernel
 * @param {number} step
 */
function convolve(from, width, height, kernel, step) {
  const radius = (kernel.length - 1) / 2
  const to = new Float32Array(from.length)
  const count = step === 1 ? width : height
  const lines = step === 1 ? height : width
  const offsets = new Int32Array(count * kernel.length)
  for (let i = 0; i < count; i++)
    for (let k = 0; k < kernel.length; k++)
      offsets[i * kernel.length + k] = Math.min(count - 1, Math.max(0, i + k - radius)) * step
  for (let l = 0; l < lines; l++) {
    const first = step === 1 ? l * width : l
    for (let i = 0; i < count; i++) {
      let sum = 0
      const base = i * kernel.length
      for (let k = 0; k < kernel.length; k++)
        sum +=
          /** @type {number} */ (kernel[k]) *
          /** @type {number} */ (from[first + /** @type {number} */ (offsets[base + k])])
      to[first + i * step] = sum
    }
  }
  return to
}

/** @returns {Promise<import('playwright-core').Browser>} */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 20_000 })
}
