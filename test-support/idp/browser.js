// @ts-check
/**
 * A minimal browser for approving over plain HTTP: a cookie jar, redirects, and the forms of
 * each page, as a person's browser would submit them.
 */

const APPROVE_STEP_TIMEOUT_MS = 5000
const MAX_REDIRECTS = 10

/** @param {string} s */
export function htmlDecode(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (_, e) => {
    const name = e.toLowerCase()
    if (name === 'amp') return '&'
    if (name === 'lt') return '<'
    if (name === 'gt') return '>'
    if (name === 'quot') return '"'
    if (name === 'apos') return "'"
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    return String.fromCodePoint(parseInt(name.slice(1), 10))
  })
}

/** @param {string} attrs */
export function parseAttributes(attrs) {
  /** @type {Record<string, string>} */
  const out = {}
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g
  let m
  while ((m = re.exec(attrs))) {
    const name = (m[1] ?? '').toLowerCase()
    out[name] = htmlDecode(m[2] ?? m[3] ?? m[4] ?? '')
  }
  return out
}

/**
 * @typedef {{ name: string, value: string, text: string }} PageButton
 * @typedef {{ id: string, action: string, method: string, fields: Record<string, string>, buttons: PageButton[] }} PageForm
 */

/** @param {string} html @param {string} pageUrl @returns {PageForm[]} */
export function parseForms(html, pageUrl) {
  /** @type {PageForm[]} */
  const forms = []
  const formRe = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi
  let m
  while ((m = formRe.exec(html))) {
    const attrs = parseAttributes(m[1] ?? '')
    const inner = m[2] ?? ''
    /** @type {Record<string, string>} */
    const fields = {}
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = parseAttributes(input[1] ?? '')
      const type = (a.type ?? 'text').toLowerCase()
      if (!a.name || ['submit', 'button', 'image', 'reset'].includes(type)) continue
      if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue
      fields[a.name] = a.value ?? ''
    }
    /** @type {PageButton[]} */
    const buttons = []
    for (const b of inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const a = parseAttributes(b[1] ?? '')
      if (a.form) continue
      buttons.push({
        name: a.name ?? '',
        value: a.value ?? '',
        text: htmlDecode((b[2] ?? '').replace(/<[^>]*>/g, '')).trim()
      })
    }
    forms.push({
      id: attrs.id ?? '',
      action: new URL(attrs.action || pageUrl, pageUrl).href,
      method: (attrs.method ?? 'get').toUpperCase(),
      fields,
      buttons
    })
  }
  // Buttons outside a form that point at it with form="id".
  for (const b of html.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
    const a = parseAttributes(b[1] ?? '')
    if (!a.form) continue
    const target = forms.find((f) => f.id === a.form)
    target?.buttons.push({
      name: a.name ?? '',
      value: a.value ?? '',
      text: htmlDecode((b[2] ?? '').replace(/<[^>]*>/g, '')).trim()
    })
  }
  return forms
}

export function createBrowser() {
  /** @type {Map<string, { name: string, value: string, path: string, expires: number }>} */
  const jar = new Map()

  /** @param {string} header @param {URL} url */
  function storeCookie(header, url) {
    const [pair = '', ...attrs] = header.split(';')
    const eq = pair.indexOf('=')
    if (eq <= 0) return
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    const defaultPath =
      url.pathname.lastIndexOf('/') > 0 ? url.pathname.slice(0, url.pathname.lastIndexOf('/')) : '/'
    let path = defaultPath
    let expires = Infinity
    for (const attr of attrs) {
      const i = attr.indexOf('=')
      const key = (i === -1 ? attr : attr.slice(0, i)).trim().toLowerCase()
      const val = i === -1 ? '' : attr.slice(i + 1).trim()
      if (key === 'path' && val.startsWith('/')) path = val
      else if (key === 'max-age' && /^-?\d+$/.test(val)) expires = Date.now() + Number(val) * 1000
      else if (key === 'expires' && expires === Infinity) {
        const t = Date.parse(val)
        if (!Number.isNaN(t)) expires = t
      }
    }
    const key = `${name};${path}`
    if (expires <= Date.now()) jar.delete(key)
    else jar.set(key, { name, value, path, expires })
  }

  /** @param {URL} url */
  function cookieHeader(url) {
    const now = Date.now()
    const matching = []
    for (const [key, c] of jar) {
      if (c.expires <= now) {
        jar.delete(key)
        continue
      }
      const p = url.pathname
      if (
        p === c.path ||
        (p.startsWith(c.path) && (c.path.endsWith('/') || p[c.path.length] === '/'))
      )
        matching.push(c)
    }
    matching.sort((a, b) => b.path.length - a.path.length)
    return matching.map((c) => `${c.name}=${c.value}`).join('; ')
  }

  /**
   * One request, then its redirects (bounded), like a browser navigation.
   * @param {string} method @param {string} target @param {URLSearchParams} [body]
   */
  async function navigate(method, target, body) {
    let url = new URL(target)
    let currentMethod = method
    let currentBody = body
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      /** @type {Record<string, string>} */
      const headers = { accept: 'text/html', 'user-agent': 'test-idp-approve/1.0' }
      const cookies = cookieHeader(url)
      if (cookies) headers.cookie = cookies
      if (currentBody) headers['content-type'] = 'application/x-www-form-urlencoded'
      let response
      try {
        response = await fetch(url, {
          method: currentMethod,
          headers,
          body: currentBody ? currentBody.toString() : undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(APPROVE_STEP_TIMEOUT_MS)
        })
      } catch (err) {
        throw new Error(
          `approve: ${currentMethod} ${url.href} failed: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err }
        )
      }
      for (const setCookie of response.headers.getSetCookie()) storeCookie(setCookie, url)
      const location = response.headers.get('location')
      if ([301, 302, 303, 307, 308].includes(response.status) && location) {
        await response.arrayBuffer().catch(() => undefined)
        url = new URL(location, url)
        if (response.status !== 307 && response.status !== 308) {
          currentMethod = 'GET'
          currentBody = undefined
        }
        continue
      }
      const html = await response.text()
      const id = /<meta name="idp-page" content="([^"]*)"/.exec(html)?.[1] ?? '(unknown page)'
      const state = /<meta name="idp-state" content="([^"]*)"/.exec(html)?.[1] ?? ''
      const text = htmlDecode(
        html
          .replace(/<(script|style|title)\b[\s\S]*?<\/\1>/gi, ' ')
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
      )
        .trim()
        .slice(0, 300)
      return {
        url: url.href,
        status: response.status,
        html,
        id,
        state,
        text,
        forms: parseForms(html, url.href)
      }
    }
    throw new Error(`approve: more than ${MAX_REDIRECTS} redirects starting at ${target}`)
  }

  return {
    /** @param {string} url */
    get: (url) => navigate('GET', url),
    /** @param {PageForm} form @param {Record<string, string>} extra */
    submit(form, extra) {
      const data = new URLSearchParams({ ...form.fields, ...extra })
      if (form.method === 'POST') return navigate('POST', form.action, data)
      const target = new URL(form.action)
      for (const [k, v] of data) target.searchParams.set(k, v)
      return navigate('GET', target.href)
    }
  }
}
