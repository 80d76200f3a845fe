// @ts-check
/* global document -- page.evaluate runs in the browser */
/**
 * The job summary as GitHub shows it, in a real headless Chromium: the Markdown file rendered
 * the way GitHub does it (CommonMark with the GFM extensions, raw HTML passed through; micromark
 * follows the same specifications as GitHub's cmark-gfm), then cut down to what GitHub's
 * sanitizer keeps (tags and attributes outside its allow-list vanish), and laid out in a page
 * styled like the summary's. A test reads the text as a person sees it, in order.
 */
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/**
 * The part of GitHub's HTML allow-list (html-pipeline's sanitization filter) a summary can
 * reach: any other tag is removed with its attributes (its text stays), and any other attribute
 * is dropped.
 * @type {Record<string, string[]>}
 */
const ALLOWED = {
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  p: [],
  br: [],
  hr: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  del: [],
  s: [],
  ins: [],
  sub: [],
  sup: [],
  code: [],
  pre: [],
  kbd: [],
  blockquote: [],
  ul: [],
  ol: [],
  li: [],
  dl: [],
  dt: [],
  dd: [],
  details: [],
  summary: [],
  div: [],
  span: [],
  table: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['align'],
  td: ['align'],
  a: ['href'],
  img: ['src', 'alt']
}

/** Markdown (with HTML) to HTML, as GitHub's renderer does it, before sanitizing. */
export function markdownToHtml(/** @type {string} */ markdown) {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
}

const STYLE = `body{margin:0;background:#fff;color:#1f2328;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
#summary{width:880px;padding:16px 32px}
h2{font-size:1.5em;border-bottom:1px solid #d1d9e0;padding-bottom:.3em;margin:24px 0 16px}
h3{font-size:1.25em;margin:24px 0 16px}
table{border-collapse:collapse;display:block;overflow:auto;margin:0 0 16px}
th,td{border:1px solid #d1d9e0;padding:6px 13px}
code{font:85% ui-monospace,SFMono-Regular,"DejaVu Sans Mono",monospace;background:#eff1f3;padding:.2em .4em;border-radius:6px}`

/**
 * Opens the summary in a page and sanitizes it in place, as GitHub would; returns the page.
 * @param {import('playwright-core').Browser} browser
 * @param {string} markdown the GITHUB_STEP_SUMMARY file
 */
export async function openSummary(browser, markdown) {
  const page = await browser.newPage({ viewport: { width: 960, height: 600 } })
  await page.setContent(
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body><div id="summary"></div></body></html>`
  )
  await page.evaluate(
    ({ html, allowed }) => {
      const root = /** @type {HTMLElement} */ (document.getElementById('summary'))
      const template = document.createElement('template')
      template.innerHTML = html
      for (const element of [...template.content.querySelectorAll('*')]) {
        const keep = allowed[element.localName]
        if (!keep) {
          element.replaceWith(...element.childNodes)
          continue
        }
        for (const attribute of [...element.attributes])
          if (!keep.includes(attribute.name)) element.removeAttribute(attribute.name)
        const href = element.getAttribute('href')
        if (href !== null && !/^(https?:|mailto:|#)/i.test(href)) element.removeAttribute('href')
      }
      root.append(template.content)
    },
    { html: markdownToHtml(markdown), allowed: ALLOWED }
  )
  return page
}
