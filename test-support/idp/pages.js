// @ts-check
/**
 * The embedded IdP's own pages: user code entry, confirmation, success and errors, and the layout
 * they share (no JavaScript; forms a test can submit).
 */

/** @param {unknown} value */
export function htmlEscape(value) {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * @param {string} pageId  stable marker used by approve() and tests
 * @param {string} title
 * @param {string} content
 * @param {string} [state]
 */
export function layout(pageId, title, content, state = '') {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="idp-page" content="${htmlEscape(pageId)}">${state ? `\n  <meta name="idp-state" content="${htmlEscape(state)}">` : ''}
  <title>${htmlEscape(title)} - Test IdP</title>
  <style>
    body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:26rem;padding:0 1rem;color:#222}
    h1{font-size:1.5rem;font-weight:500}
    .box{background:#f6f6f6;border-radius:6px;padding:1rem 1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.2)}
    button{display:block;width:100%;margin:.5rem 0;padding:.6rem;font-size:1rem;cursor:pointer}
    button.primary{background:#2457c5;color:#fff;border:0;border-radius:4px}
    button.secondary{background:#fff;border:1px solid #bbb;border-radius:4px}
    input[type=text]{width:100%;box-sizing:border-box;font-size:1.2rem;padding:.5rem;text-transform:uppercase;text-align:center}
    code{font-size:1.4rem}
    .error{color:#b00020}
    small{color:#666}
  </style>
</head>
<body>
  <div class="box">
    <h1>${htmlEscape(title)}</h1>
    ${content}
  </div>
</body>
</html>`
}

/** @param {any} ctx @param {string} form @param {any} _out @param {any} err */
export async function userCodeInputSource(ctx, form, _out, err) {
  let message = '<p>Enter the code displayed on your device.</p>'
  let state = 'ask'
  if (err && (err.userCode || err.name === 'NoCodeError')) {
    state =
      err.name === 'ExpiredError' ? 'expired' : err.name === 'AlreadyUsedError' ? 'used' : 'invalid'
    message = `<p class="error">${state === 'expired' ? 'That code has expired.' : state === 'used' ? 'That code has already been used.' : 'The code you entered is incorrect. Try again.'}</p>`
  } else if (err && err.name === 'AbortedError') {
    state = 'aborted'
    message =
      '<p class="error">The sign-in request was denied or interrupted. You can close this page.</p>'
  } else if (err) {
    state = 'error'
    message = `<p class="error">There was an error processing your request: ${htmlEscape(err.message ?? err)}</p>`
  }
  ctx.type = 'html'
  ctx.body = layout(
    'device-input',
    'Connect a device',
    `${message}
    ${form}
    <button class="primary" type="submit" form="op.deviceInputForm">Continue</button>`,
    state
  )
}

/** @param {any} ctx @param {string} form @param {any} client @param {any} _deviceInfo @param {string} userCode */
export async function userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
  const display = htmlEscape(client.clientName || client.clientId)
  ctx.type = 'html'
  ctx.body = layout(
    'device-confirm',
    'Confirm device',
    `<p><strong>${display}</strong> wants to connect. Check that your device shows this code:</p>
    <p style="text-align:center"><code>${htmlEscape(userCode)}</code></p>
    ${form}
    <button class="primary" type="submit" form="op.deviceConfirmForm">Continue</button>
    <button class="secondary" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>
    <p><small>If you did not start this, or the code does not match, choose Abort.</small></p>`
  )
}

/** @param {any} ctx */
export async function successSource(ctx) {
  const client = ctx.oidc.client
  ctx.type = 'html'
  ctx.body = layout(
    'device-success',
    'Device connected',
    `<p>You approved <strong>${htmlEscape(client?.clientName || client?.clientId || 'the device')}</strong>. You can close this page and return to your device.</p>`
  )
}

/** @param {any} ctx @param {Record<string, string>} out */
export async function renderError(ctx, out) {
  ctx.type = 'html'
  ctx.body = errorPage(
    'Something went wrong',
    Object.entries(out)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')
  )
}

/** @param {string} title @param {string} detail */
export function errorPage(title, detail) {
  return layout('error', title, `<pre style="white-space:pre-wrap">${htmlEscape(detail)}</pre>`)
}

// ---------------------------------------------------------------------------
// A tiny browser for approve(): fetch with redirect: 'manual', a cookie jar that
// honours Path and Max-Age/Expires, and a form parser good enough for these pages.
