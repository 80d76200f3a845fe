import {
  getProxyUrl
} from "./chunk-UY2EH3VY.js";
import "./chunk-7DQDWJI5.js";

// src/errors.ts
var ActionError = class extends Error {
  name = "ActionError";
};
function describeEndpoint(endpoint) {
  return `the ${endpoint.name} (${endpoint.url})`;
}
var ProviderResponseError = class extends ActionError {
  constructor(endpoint, status, message) {
    super(message);
    this.endpoint = endpoint;
    this.status = status;
  }
  endpoint;
  status;
  name = "ProviderResponseError";
};
var NetworkError = class extends ActionError {
  constructor(endpoint, failure, maybeDelivered, message) {
    super(message);
    this.endpoint = endpoint;
    this.failure = failure;
    this.maybeDelivered = maybeDelivered;
  }
  endpoint;
  failure;
  maybeDelivered;
  name = "NetworkError";
};
var CancelledError = class extends ActionError {
  name = "CancelledError";
  constructor() {
    super("The step was cancelled before the request was approved.");
  }
};

// src/clock.ts
var systemClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms)
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  }),
  random: () => Math.random()
};

// src/oauth/http.ts
import * as http from "node:http";
var MAX_RESPONSE_BYTES = 1024 * 1024;
var HEADERS_TOO_LARGE = "the response headers are larger than 16 KiB";
var TransportFailure = class extends Error {
  constructor(kind, maybeDelivered, detail) {
    super(detail);
    this.kind = kind;
    this.maybeDelivered = maybeDelivered;
    this.detail = detail;
  }
  kind;
  maybeDelivered;
  detail;
  name = "TransportFailure";
};
var NOT_DELIVERED_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH"
]);
function createHttpTransport(userAgent) {
  const routeFor = routes(userAgent);
  return async (request2) => {
    const url = new URL(request2.url);
    const { send: send2, agent } = await routeFor(url);
    try {
      return await sendOnce(userAgent, request2, url, send2, agent);
    } catch (error) {
      if (!(error instanceof StaleConnection)) throw error;
      return await sendOnce(userAgent, request2, url, send2, agent);
    }
  };
}
var StaleConnection = class extends TransportFailure {
};
function sendOnce(userAgent, request2, url, send2, agent) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error, response) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request2.signal?.removeEventListener("abort", onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response);
    };
    const onAbort = () => finish(new TransportFailure("aborted", true, "cancelled"));
    const headers = { "User-Agent": userAgent, ...request2.headers };
    if (request2.body !== void 0)
      headers["Content-Length"] = String(Buffer.byteLength(request2.body));
    let answered = false;
    const req = send2(url, { method: request2.method, headers, agent }, (res) => {
      answered = true;
      const chunks = [];
      let size = 0;
      res.on("data", (chunk) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          finish(
            new TransportFailure(
              "too-large",
              true,
              `the response is larger than ${MAX_RESPONSE_BYTES} bytes`
            )
          );
          res.destroy();
        } else chunks.push(chunk);
      });
      res.on(
        "end",
        () => finish(void 0, {
          status: res.statusCode ?? 0,
          headers: lowerCaseHeaders(res.headers),
          body: Buffer.concat(chunks).toString("utf8")
        })
      );
      res.on("error", (error) => finish(failureOf(error, true)));
      res.on(
        "aborted",
        () => finish(new TransportFailure("reset", true, "the connection closed mid-response"))
      );
    });
    const timer = setTimeout(
      () => finish(
        new TransportFailure("timeout", true, `no complete answer within ${request2.timeoutMs} ms`)
      ),
      request2.timeoutMs
    );
    req.on("error", (error) => {
      const failure = failureOf(error, false);
      const stale = req.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
      finish(stale ? new StaleConnection(failure.kind, true, failure.detail) : failure);
    });
    if (request2.signal?.aborted) return onAbort();
    request2.signal?.addEventListener("abort", onAbort, { once: true });
    req.end(request2.body);
  });
}
var DIRECT_AGENT = { keepAlive: true, timeout: 500 };
function routes(userAgent) {
  const direct = new http.Agent(DIRECT_AGENT);
  let secure;
  let proxied;
  return async (url) => {
    const tls = url.protocol === "https:" ? await (secure ??= loadHttps()) : void 0;
    const send2 = tls?.send ?? http.request;
    if (!getProxyUrl(url)?.hostname) return { send: send2, agent: tls?.direct ?? direct };
    proxied ??= import("./lib-HRGQGBAZ.js").then(
      ({ HttpClient }) => new HttpClient(userAgent, [], { keepAlive: false })
    );
    return { send: send2, agent: (await proxied).getAgent(url.href) };
  };
}
async function loadHttps() {
  const https = await import("node:https");
  return { send: https.request, direct: new https.Agent(DIRECT_AGENT) };
}
function failureOf(error, responseStarted) {
  const code = error.code ?? "";
  const tunnel = /^tunneling socket could not be established, (.{1,200})/.exec(error.message);
  if (!responseStarted && tunnel) {
    return new TransportFailure(
      "connection",
      false,
      `the proxy refused or could not open the tunnel (${tunnel[1]}); check https_proxy and no_proxy`
    );
  }
  if (!responseStarted && NOT_DELIVERED_CODES.has(code)) {
    return new TransportFailure("connection", false, code ? `${code}` : error.message);
  }
  if (code === "HPE_HEADER_OVERFLOW")
    return new TransportFailure("too-large", true, HEADERS_TOO_LARGE);
  if (code.startsWith("HPE_"))
    return new TransportFailure("connection", true, `the answer is not valid HTTP (${code})`);
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED") {
    return new TransportFailure("reset", true, "the connection was reset");
  }
  return new TransportFailure("connection", true, code || error.message);
}
function lowerCaseHeaders(headers) {
  const result = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return result;
}

// src/text/safe-text.ts
var DEFAULT_MAX_LENGTH = 200;
var MESSAGE_MAX_LENGTH = 4e3;
var ELLIPSIS = "\u2026";
var REDACTED = "***";
var ANSI = /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
var LINE_BREAKS = {
  "\n": "\\n",
  "\r": "\\r"
};
var LINE_BREAK = /[\n\r\u000b\u000c\u0085\u2028\u2029]/u;
var INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;
var OTHER_SPACE = /[\t\p{Zs}]/u;
function safeText(text, options = {}) {
  const maxLength = Math.max(1, options.maxLength ?? DEFAULT_MAX_LENGTH);
  let raw = typeof text === "string" ? text : text === void 0 ? "" : String(text);
  if (options.redact) raw = redact(raw, options.redact);
  if (isSafeAlready(raw, maxLength)) return raw;
  return madeSafe(raw, maxLength);
}
var SAFE_ALREADY = /^(?![ :[])[ -~\u2013\u2014\u2026\u2190-\u21ff\u2500-\u257f]*$/;
function isSafeAlready(raw, maxLength) {
  return raw.length <= maxLength && SAFE_ALREADY.test(raw) && !raw.includes("#[") && !raw.endsWith(" ");
}
function madeSafe(text, maxLength) {
  let raw = text;
  const scanned = maxLength * 4 + 64;
  const cut = raw.length > scanned;
  if (cut) raw = raw.slice(0, scanned);
  raw = raw.replace(ANSI, "");
  let out = "";
  let lastUnit = "";
  let length = 0;
  let seenVisible = false;
  for (const char of raw) {
    let unit = shown(char);
    if (unit === " " && !seenVisible) continue;
    if (unit === "[" && (lastUnit.endsWith("#") || !seenVisible)) unit = "\\[";
    else if (unit === ":" && !seenVisible) unit = "\\:";
    if (unit !== " ") seenVisible = true;
    const unitLength = unit === char ? 1 : unit.length;
    if (length + unitLength > maxLength) return withEllipsis(out, lastUnit, length, maxLength);
    out += unit;
    lastUnit = unit;
    length += unitLength;
  }
  if (cut) return withEllipsis(out, lastUnit, length, maxLength);
  return out.trimEnd();
}
function withEllipsis(out, lastUnit, length, maxLength) {
  const kept = length + 1 > maxLength ? out.slice(0, out.length - lastUnit.length) : out;
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
function shown(char) {
  const code = char.charCodeAt(0);
  if (code >= 32 && code < 127) return char;
  if (LINE_BREAK.test(char)) return LINE_BREAKS[char] ?? escapeOf(char);
  if (OTHER_SPACE.test(char)) return " ";
  if (INVISIBLE.test(char)) return escapeOf(char);
  return char;
}
function escapeOf(char) {
  const code = char.codePointAt(0);
  return code > 65535 ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
function redact(text, secrets) {
  const sorted = [...new Set([...secrets].flatMap(encodings))].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of sorted) result = result.split(secret).join(REDACTED);
  return result;
}
function encodings(secret) {
  let encoded;
  try {
    encoded = encodeURIComponent(secret);
  } catch {
    return [secret];
  }
  const lower = encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  return [secret, encoded, lower, encoded.replace(/%20/g, "+"), lower.replace(/%20/g, "+")];
}
function safe(literals, ...values) {
  let result = literals[0] ?? "";
  values.forEach((value, index) => {
    result += String(value) + (literals[index + 1] ?? "");
  });
  return result;
}

// src/oauth/response.ts
function readResponse(response, nowMs, secrets = []) {
  const base = {
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers["retry-after"], nowMs)
  };
  const text = response.body.replace(/^\uFEFF/, "").trim();
  const contentType = (response.headers["content-type"] ?? "").toLowerCase();
  if (text === "") return { ...base, kind: "empty", unreadable: "the body is empty" };
  if (text.startsWith("{") || text.startsWith("[") || contentType.includes("json")) {
    return { ...base, ...readJson(text) };
  }
  if (contentType.includes("application/x-www-form-urlencoded") || /^[\w.-]+=[^\s<>]*$/.test(text)) {
    return { ...base, kind: "form", fields: Object.fromEntries(new URLSearchParams(text)) };
  }
  if (/^<(!doctype|html|head|body|\?xml)/i.test(text) || contentType.includes("html")) {
    return {
      ...base,
      kind: "html",
      unreadable: `the body is an HTML page${htmlTitle(text, secrets)}, not JSON`
    };
  }
  return {
    ...base,
    kind: "other",
    unreadable: `the body is not JSON (${describeSize(text)} of ${contentType || "untyped"} text)`
  };
}
function readJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      kind: "other",
      unreadable: `the body is not valid JSON (${describeSize(text)}; it may be truncated)`
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "json", unreadable: "the body is JSON but not an object" };
  }
  return { kind: "json", fields: value };
}
function oauthErrorOf(read) {
  const fields = read.fields;
  if (!fields) return void 0;
  const error = fields["error"];
  if (typeof error !== "string" || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,200}$/.test(error))
    return void 0;
  const description = stringField(fields, "error_description");
  const uri = stringField(fields, "error_uri");
  return {
    error,
    ...description !== void 0 && { errorDescription: description },
    ...uri !== void 0 && { errorUri: uri }
  };
}
function stringField(fields, name) {
  const value = fields[name];
  return typeof value === "string" && value !== "" ? value : void 0;
}
function parseRetryAfter(value, nowMs) {
  if (value === void 0) return void 0;
  const trimmed = value.trim();
  let ms;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1e3;
  else {
    if (!/^[A-Za-z]{3,9},? .*\d{2}:\d{2}:\d{2}/.test(trimmed)) return void 0;
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return void 0;
    ms = date - nowMs;
  }
  return Math.min(Math.max(ms, 0), 36e5);
}
function htmlTitle(text, secrets) {
  const match = /<title[^<>]{0,200}>([^<]{1,120})<\/title>/i.exec(text);
  return match?.[1] ? ` titled "${safeText(match[1], { maxLength: 120, redact: secrets })}"` : "";
}
function describeSize(text) {
  return `${Buffer.byteLength(text)} bytes`;
}
function isTransientStatus(status) {
  return status === 408 || status === 429 || status >= 500;
}

// src/oauth/wording.ts
function unusableResponse(endpoint, read, expected) {
  const what = read.unreadable ?? "the body is a JSON object without the expected fields";
  const hint = read.kind === "html" ? " A web page usually means a wrong URL, or a proxy, firewall or login page answering instead of the identity provider." : isTransientStatus(read.status) ? " The provider seems to be failing; try again later." : "";
  return new ProviderResponseError(
    endpoint,
    read.status,
    `${capitalize(describeEndpoint(endpoint))} answered HTTP ${read.status}, but ${what}; expected ${expected}.${hint}`
  );
}
function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// src/oauth/exchange.ts
var FORM_HEADERS = {
  "Content-Type": "application/x-www-form-urlencoded",
  // Deviation (GitHub): without this it answers form-encoded.
  Accept: "application/json"
};
async function postForm(ctx, endpoint, params, headers = {}, timeoutMs = ctx.requestTimeoutMs) {
  const read = await send(
    ctx,
    endpoint,
    { method: "POST", headers: { ...FORM_HEADERS, ...headers }, body: params.toString() },
    timeoutMs
  );
  if (REDIRECT_STATUSES.includes(read.status)) throw postRedirected(endpoint, read);
  return read;
}
var REDIRECT_STATUSES = [301, 302, 303, 307, 308];
function postRedirected(endpoint, read) {
  const target = read.location && URL.canParse(read.location, endpoint.url) ? `to ${safeText(new URL(read.location, endpoint.url).href, { maxLength: 300 })}` : read.location ? "to a Location that is not a URL" : "without a Location header";
  return new ProviderResponseError(
    endpoint,
    read.status,
    `${capitalize(describeEndpoint(endpoint))} redirected (HTTP ${read.status}) ${target}, and the action does not follow redirects for POSTs: set the endpoint to the final URL.`
  );
}
async function sendJson(ctx, endpoint, method, headers, body) {
  return send(ctx, endpoint, {
    method,
    headers: {
      Accept: "application/json",
      ...body !== void 0 && { "Content-Type": "application/json" },
      ...headers
    },
    ...body !== void 0 && { body: JSON.stringify(body) }
  });
}
async function send(ctx, endpoint, request2, timeoutMs = ctx.requestTimeoutMs) {
  if (ctx.signal?.aborted) throw new CancelledError();
  try {
    const response = await ctx.http({
      ...request2,
      url: endpoint.url,
      timeoutMs,
      ...ctx.signal && { signal: ctx.signal }
    });
    const secrets = [...secretsSent(request2), ...ctx.secrets?.() ?? []];
    const read = redactQuotable(readResponse(response, ctx.clock.now(), secrets), secrets);
    const location = response.headers["location"];
    return location ? { ...read, location: redact(location, secrets) } : read;
  } catch (error) {
    if (ctx.signal?.aborted) throw new CancelledError();
    if (error instanceof TransportFailure) throw networkError(endpoint, error, timeoutMs);
    throw error;
  }
}
var QUOTED_FIELDS = ["error", "error_description", "error_uri", "message", "issuer"];
var SECRET_PARAMS = [
  "client_secret",
  "client_assertion",
  "device_code",
  "refresh_token",
  "code",
  "code_verifier",
  "assertion"
];
function secretsSent(request2) {
  const secrets = [];
  if (request2.body !== void 0) {
    const params = new URLSearchParams(request2.body);
    for (const name of SECRET_PARAMS) secrets.push(...params.getAll(name));
  }
  for (const [name, value] of Object.entries(request2.headers)) {
    if (name.toLowerCase() !== "authorization") continue;
    const [scheme, credentials = ""] = value.split(" ", 2);
    secrets.push(credentials);
    if (scheme?.toLowerCase() === "basic") {
      const decoded = Buffer.from(credentials, "base64").toString("utf8");
      const secret = decoded.slice(decoded.indexOf(":") + 1);
      secrets.push(secret, decodeFormComponent(secret));
    }
  }
  return secrets.filter((secret) => secret.length > 0);
}
function decodeFormComponent(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}
function redactQuotable(read, secrets) {
  if (secrets.length === 0) return read;
  const fields = read.fields;
  let redactedFields = fields;
  if (fields) {
    for (const name of QUOTED_FIELDS) {
      const value = fields[name];
      if (typeof value !== "string") continue;
      const cut = redact(value, secrets);
      if (cut !== value) redactedFields = { ...redactedFields, [name]: cut };
    }
  }
  return redactedFields === fields ? read : { ...read, ...redactedFields && { fields: redactedFields } };
}
function networkError(endpoint, failure, timeoutMs) {
  const where2 = describeEndpoint(endpoint);
  switch (failure.kind) {
    case "too-large":
      return new ProviderResponseError(
        endpoint,
        void 0,
        failure.detail === HEADERS_TOO_LARGE ? `${capitalize(where2)} sent response headers larger than Node.js accepts (16 KiB; HPE_HEADER_OVERFLOW); an identity provider's headers are far smaller. Check that the URL points at the identity provider, and not at a proxy or a page that sets huge cookies.` : `${capitalize(where2)} sent a response larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; an OAuth response is a few kilobytes. Check that the URL points at the identity provider.`
      );
    case "timeout":
      return new NetworkError(
        endpoint,
        "timeout",
        true,
        `${capitalize(where2)} did not answer within ${Math.round(timeoutMs / 1e3)} s.`
      );
    case "reset":
      return new NetworkError(
        endpoint,
        "reset",
        true,
        `The connection to ${where2} was reset before a complete answer arrived.`
      );
    default: {
      const detail = safeText(failure.detail, { maxLength: 300 });
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(detail) ? " The TLS certificate is not trusted: for a private certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file." : " Check the URL, and that the runner can reach it (proxies are read from https_proxy, http_proxy and no_proxy).";
      return new NetworkError(
        endpoint,
        "connection",
        failure.maybeDelivered,
        `Could not reach ${where2}: ${detail}.${tls}`
      );
    }
  }
}

// src/oauth/backoff.ts
var DEFAULT_BACKOFF = { baseMs: 1e3, maxMs: 6e4 };
function backoffDelayMs(attempt, policy, random) {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + ceiling / 2 * random);
}

// src/oauth/retry.ts
var MAX_RETRY_WAIT_MS = 6e4;
async function withRetries(ctx, endpoint, attempt, options) {
  for (let n = 1; ; n++) {
    let reason;
    let retryAfterMs;
    let lastRead;
    let lastError;
    try {
      const read = await attempt();
      lastRead = read;
      if (!isTransientStatus(read.status) || oauthErrorOf(read) || n >= options.attempts)
        return read;
      reason = `HTTP ${read.status}`;
      retryAfterMs = read.retryAfterMs;
    } catch (error) {
      const retryable = error instanceof NetworkError && (options.retryMaybeDelivered || !error.maybeDelivered) && n < options.attempts;
      if (!retryable) throw error;
      lastError = error;
      reason = error.message;
    }
    const wantedMs = retryAfterMs ?? backoffDelayMs(n, DEFAULT_BACKOFF, ctx.clock.random());
    if (lastRead && options.maxDelayMs !== void 0 && wantedMs > options.maxDelayMs)
      return lastRead;
    const leftMs = (ctx.retriesEndAtMs ?? Infinity) - ctx.clock.now();
    if (leftMs <= 0) {
      if (lastRead) return lastRead;
      throw lastError;
    }
    const delayMs = Math.min(wantedMs, MAX_RETRY_WAIT_MS, leftMs);
    const said = retryAfterMs !== void 0 && delayMs < retryAfterMs ? ` (the provider asked for ${Math.round(retryAfterMs / 1e3)} s with Retry-After; waiting at most ${Math.round(delayMs / 1e3)} s)` : "";
    const onRetry = options.onRetry ?? ctx.onRetry;
    onRetry?.(`${capitalize(describeEndpoint(endpoint))}: ${reason}${said}`, delayMs);
    await ctx.clock.sleep(delayMs, ctx.signal);
  }
}

// src/oauth/load-jose.ts
var loadJose = () => import("./webapi-IIGCKN5Q.js");

// src/oauth/client-auth.ts
var CLIENT_AUTH_METHODS = [
  "none",
  "client_secret_basic",
  "client_secret_post",
  "private_key_jwt"
];
var ClientKeyError = class extends ActionError {
  name = "ClientKeyError";
};
async function authenticate(client, params, audience, nowMs) {
  const body = new URLSearchParams(params);
  const headers = {};
  switch (client.method) {
    case "none":
      body.set("client_id", client.clientId);
      break;
    case "client_secret_basic":
      headers["Authorization"] = `Basic ${Buffer.from(
        `${formEncode(client.clientId)}:${formEncode(requireSecret(client))}`
      ).toString("base64")}`;
      break;
    case "client_secret_post":
      body.set("client_id", client.clientId);
      body.set("client_secret", requireSecret(client));
      break;
    case "private_key_jwt":
      body.set("client_id", client.clientId);
      body.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      body.set(
        "client_assertion",
        await clientAssertion(client, assertionAudienceOf(client, audience), nowMs)
      );
      break;
  }
  return { params: body, headers };
}
function assertionAudienceOf(client, calledUrl) {
  if (client.audienceFallback?.addressToCalledUrl) return calledUrl;
  return client.assertionAudience ?? calledUrl;
}
function requireSecret(client) {
  if (client.clientSecret === void 0) throw new Error(`${client.method} needs a client secret`);
  return client.clientSecret;
}
function formEncode(value) {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
async function clientAssertion(client, audience, nowMs) {
  const issuedAt = Math.floor(nowMs / 1e3);
  try {
    const { SignJWT } = await loadJose();
    const { key, alg, kid } = await loadSigningKey(client);
    return await new SignJWT({}).setProtectedHeader({ alg, typ: "JWT", ...kid && { kid } }).setIssuer(client.clientId).setSubject(client.clientId).setAudience(audience).setJti(crypto.randomUUID()).setIssuedAt(issuedAt).setExpirationTime(issuedAt + 60).sign(key);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ClientKeyError(`cannot sign the client assertion (RFC 7523): ${why}.`);
  }
}
async function loadSigningKey(client) {
  const { importJWK, importPKCS8 } = await loadJose();
  const text = (client.privateKey ?? "").trim();
  if (text.startsWith("{")) {
    let jwk;
    try {
      jwk = JSON.parse(text);
    } catch {
      throw new Error("the private key looks like a JWK but is not valid JSON");
    }
    const alg2 = client.assertionAlg ?? jwk.alg ?? algorithmForJwk(jwk);
    const key = await importJWK(jwk, alg2);
    return { key, alg: alg2, ...jwk.kid && { kid: jwk.kid } };
  }
  const alg = client.assertionAlg ?? algorithmForPem(text);
  return { key: await importPKCS8(text, alg), alg };
}
function algorithmForJwk(jwk) {
  if (jwk.kty === "RSA") return "RS256";
  if (jwk.kty === "EC")
    return jwk.crv === "P-384" ? "ES384" : jwk.crv === "P-521" ? "ES512" : "ES256";
  if (jwk.kty === "OKP") return "EdDSA";
  throw new Error(`a JWK of type ${String(jwk.kty)} cannot sign a client assertion`);
}
function algorithmForPem(pem) {
  const der = Buffer.from(
    pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""),
    "base64"
  ).toString("hex");
  if (der.includes("2a864886f70d010101")) return "RS256";
  if (der.includes("2a8648ce3d0201")) {
    if (der.includes("2b81040022")) return "ES384";
    if (der.includes("2b81040023")) return "ES512";
    return "ES256";
  }
  if (der.includes("2b6570")) return "EdDSA";
  throw new Error("the private key is not an RSA, EC or Ed25519 key in PKCS#8 PEM form");
}

// src/oauth/deviations.ts
function shouldRetryAssertionAudience(client, calledUrl, error) {
  return client.method === "private_key_jwt" && client.audienceFallback !== void 0 && !client.audienceFallback.addressToCalledUrl && client.assertionAudience !== void 0 && client.assertionAudience !== calledUrl && (error.error === "invalid_client" || error.error === "unauthorized_client");
}

// src/oauth/authenticated-post.ts
async function sendAuthenticated(ctx, endpoint, client, params, options) {
  const send2 = () => withRetries(
    ctx,
    endpoint,
    async () => {
      const auth = await authenticate(client, params, endpoint.url, ctx.clock.now());
      return postForm(ctx, endpoint, auth.params, auth.headers);
    },
    {
      attempts: 3,
      retryMaybeDelivered: options.retryMaybeDelivered,
      ...options.maxDelayMs !== void 0 && { maxDelayMs: options.maxDelayMs }
    }
  );
  let read = await send2();
  const refused = oauthErrorOf(read);
  if (refused && client.audienceFallback && shouldRetryAssertionAudience(client, endpoint.url, refused)) {
    client.audienceFallback.addressToCalledUrl = true;
    read = await send2();
    if (oauthErrorOf(read)) client.audienceFallback.addressToCalledUrl = false;
  }
  return read;
}

// src/oauth/github-api.ts
var GITHUB_API_HEADERS = {
  Accept: "application/vnd.github+json",
  "X-GitHub-Api-Version": "2022-11-28"
};

// src/oauth/revoke.ts
var DEFAULT_MAX_RETRY_DELAY_MS = 5e3;
async function revokeToken(ctx, endpoint, client, token, tokenTypeHint, options = {}) {
  return settle(async () => {
    const read = await sendAuthenticated(
      ctx,
      endpoint,
      client,
      new URLSearchParams({ token, token_type_hint: tokenTypeHint }),
      {
        retryMaybeDelivered: true,
        maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS
      }
    );
    if (read.status === 200) return { kind: "revoked" };
    const error = oauthErrorOf(read);
    if (read.status >= 500 || error?.error === "temporarily_unavailable")
      return unavailable(endpoint, read, error);
    if (error) {
      const message = providerSaid(endpoint, read.status, error);
      return error.error === "unsupported_token_type" ? { kind: "unsupported-token-type", message } : { kind: "refused", message, status: read.status, error };
    }
    return { kind: "failed", message: unusableResponse(endpoint, read, "HTTP 200").message };
  });
}
async function revokeGitHubToken(ctx, apiUrl, clientId, clientSecret, accessToken, options = {}) {
  const endpoint = {
    name: "GitHub token revocation API",
    url: `${apiUrl.replace(/\/+$/, "")}/applications/${encodeURIComponent(clientId)}/token`
  };
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
  return settle(async () => {
    const read = await withRetries(
      ctx,
      endpoint,
      () => sendJson(
        ctx,
        endpoint,
        "DELETE",
        { ...GITHUB_API_HEADERS, Authorization: `Basic ${basic}` },
        { access_token: accessToken }
      ),
      {
        attempts: 3,
        retryMaybeDelivered: true,
        maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS
      }
    );
    if (read.status === 204 || read.status === 200) return { kind: "revoked" };
    if (read.status >= 500) return unavailable(endpoint, read, void 0);
    const said = gitHubMessage(read);
    const where2 = capitalize(describeEndpoint(endpoint));
    if (read.status === 401 || read.status === 403 || read.status === 404) {
      return {
        kind: "refused",
        status: read.status,
        // GitHub answers 404 for credentials it does not accept, as for an app it does not know.
        message: `${where2} answered HTTP ${read.status}${said}: GitHub did not accept the app's client credentials (its Client ID and a current client secret), or does not know the app.`
      };
    }
    if (read.status === 422) {
      return {
        kind: "refused",
        status: read.status,
        message: `${where2} answered HTTP 422${said}: GitHub did not accept the token for revocation; it may already be revoked or expired.`
      };
    }
    return { kind: "failed", message: unusableResponse(endpoint, read, "HTTP 204").message };
  });
}
function providerSaid(endpoint, status, error) {
  const said = error.errorDescription ? `: ${safeText(error.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, "")}` : "";
  return `${capitalize(describeEndpoint(endpoint))} answered "${safeText(error.error)}" (HTTP ${status})${said}.`;
}
function gitHubMessage(read) {
  const message = read.fields?.["message"];
  return typeof message === "string" && message !== "" ? ` ("${safeText(message, { maxLength: 300 })}")` : "";
}
function unavailable(endpoint, read, error) {
  const later = read.retryAfterMs !== void 0 ? ` and asked to try again in ${Math.ceil(read.retryAfterMs / 1e3)} s` : "";
  const said = error ? ` "${safeText(error.error)}"` : "";
  return {
    kind: "unavailable",
    status: read.status,
    ...read.retryAfterMs !== void 0 && { retryAfterMs: read.retryAfterMs },
    message: `${capitalize(describeEndpoint(endpoint))} answered${said} HTTP ${read.status}${later}; the token was not revoked and stays valid until it expires.`
  };
}
async function settle(attempt) {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof CancelledError)
      return { kind: "failed", message: "The revocation was cancelled." };
    if (error instanceof ClientKeyError)
      return { kind: "failed", message: error.message, clientKey: true };
    if (error instanceof ActionError) return { kind: "failed", message: error.message };
    const why = error instanceof Error ? error.message : String(error);
    return {
      kind: "failed",
      message: `Unexpected error during revocation: ${safeText(why, { maxLength: 300 })}. Please report this.`
    };
  }
}

// src/runner/format.ts
function isoSeconds(ms) {
  return new Date(Math.floor(ms / 1e3) * 1e3).toISOString().replace(".000Z", "Z");
}

// src/flow/revocation-state.ts
var STATE_PLAN = "revocation-plan";
var STATE_ACCESS_TOKEN = "revoke-access-token";
var STATE_REFRESH_TOKEN = "revoke-refresh-token";
function readRevocationState(read) {
  const text = read(STATE_PLAN);
  if (!text) return void 0;
  let plan;
  try {
    plan = JSON.parse(text);
  } catch {
    return void 0;
  }
  if (!isPlan(plan)) return void 0;
  const accessToken = read(STATE_ACCESS_TOKEN);
  const refreshToken = read(STATE_REFRESH_TOKEN);
  if (!accessToken && !refreshToken) return void 0;
  return {
    plan,
    ...accessToken && { accessToken },
    ...refreshToken && { refreshToken }
  };
}
function isPlan(value) {
  if (value === null || typeof value !== "object") return false;
  const plan = value;
  return (plan["api"] === "rfc7009" || plan["api"] === "github") && typeof plan["url"] === "string" && /^https?:\/\//.test(plan["url"]) && typeof plan["clientId"] === "string" && typeof plan["tokenEndpoint"] === "string" && CLIENT_AUTH_METHODS.includes(plan["clientAuthMethod"]) && (plan["accessTokenExpiresAtMs"] === void 0 || typeof plan["accessTokenExpiresAtMs"] === "number");
}

// src/post/run.ts
var LONG = { maxLength: MESSAGE_MAX_LENGTH };
async function runPost(deps) {
  const { runner: runner2, clock } = deps;
  const state = readRevocationState((name) => runner2.getState(name));
  if (!state) {
    runner2.debug(safe`Nothing to revoke: the main step left no token for the post step.`);
    return [];
  }
  for (const token of [state.accessToken, state.refreshToken]) if (token) runner2.setSecret(token);
  const client = clientOf(runner2, state.plan);
  const ctx = {
    http: deps.http,
    clock,
    signal: deps.signal,
    requestTimeoutMs: deps.requestTimeoutMs ?? 1e4
  };
  const outcome = [];
  const todo = [
    ["refresh_token", state.refreshToken],
    ["access_token", state.accessToken]
  ];
  for (const [hint, token] of todo) {
    if (!token) continue;
    const what = hint === "access_token" ? "access token" : "refresh token";
    const expiresAtMs = state.plan.accessTokenExpiresAtMs;
    if (hint === "access_token" && expiresAtMs !== void 0 && expiresAtMs <= clock.now()) {
      runner2.info(
        safeText(`The ${what} expired at ${isoSeconds(expiresAtMs)}; nothing to revoke.`, LONG)
      );
      outcome.push({ token: hint, result: { kind: "expired" } });
      continue;
    }
    const result = await revoke(ctx, state.plan, client, token, hint);
    outcome.push({ token: hint, result });
    if (result.kind === "revoked")
      runner2.info(safeText(`Revoked the ${what} (${where(state.plan)}).`, LONG));
    else
      runner2.warning(
        safeText(
          `The ${what} was not revoked. ${result.message}${adviceFor(result, state.plan)}`,
          LONG
        )
      );
  }
  await summarize(runner2, outcome, clock.now());
  return outcome;
}
function revoke(ctx, plan, client, token, hint) {
  if (typeof client === "string") return Promise.resolve({ kind: "failed", message: client });
  if (plan.api === "github")
    return revokeGitHubToken(ctx, plan.url, plan.clientId, client.clientSecret ?? "", token);
  return revokeToken(ctx, { name: "revocation endpoint", url: plan.url }, client, token, hint);
}
function clientOf(runner2, plan) {
  const secret = runner2.getInput("client-secret");
  const key = runner2.getInput("client-private-key");
  if (secret) runner2.setSecret(secret);
  for (const line of key.split(/\r?\n/)) if (line.trim().length >= 8) runner2.setSecret(line.trim());
  const needsSecret = plan.api === "github" || plan.clientAuthMethod === "client_secret_basic" || plan.clientAuthMethod === "client_secret_post";
  if (needsSecret && !secret)
    return "The post step has no client-secret to authenticate the revocation with; it reads the same inputs as the main step.";
  if (plan.clientAuthMethod === "private_key_jwt" && !key)
    return "The post step has no client-private-key to authenticate the revocation with; it reads the same inputs as the main step.";
  return {
    clientId: plan.clientId,
    method: plan.api === "github" ? "client_secret_basic" : plan.clientAuthMethod,
    ...secret && { clientSecret: secret },
    ...key && { privateKey: key, assertionAudience: plan.tokenEndpoint }
  };
}
function where(plan) {
  return plan.api === "github" ? `GitHub API at ${plan.url}` : `revocation endpoint ${plan.url}`;
}
function adviceFor(result, plan) {
  switch (result.kind) {
    case "unsupported-token-type":
      return " The provider does not revoke this type of token (RFC 7009 \xA72.2.1); it stays valid until it expires. Set revoke: access-token or none to skip it.";
    case "refused":
      if (plan.api === "github")
        return " The post step revokes with client-id and client-secret; check that client-secret is a current secret of this app, or set revoke: none.";
      if (result.error?.error === "invalid_client")
        return " The post step authenticates as the main step did: check client-id, client-secret (or client-private-key) and client-auth-method.";
      if (result.error?.error === "unauthorized_client")
        return " The client may not revoke tokens: allow revocation for it at the provider, or set revoke: none.";
      return " It stays valid until it expires.";
    case "failed":
      return result.clientKey ? " Check client-private-key: the post step signs with the key from its own inputs." : " It stays valid until it expires.";
    default:
      return "";
  }
}
async function summarize(runner2, outcome, nowMs) {
  if (outcome.length === 0 || /^(false|False|FALSE)$/.test(runner2.getInput("summary"))) return;
  const parts = outcome.map(({ token, result }) => {
    const what = token === "access_token" ? "Access token" : "Refresh token";
    return result.kind === "revoked" ? `${what} revoked` : result.kind === "expired" ? `${what} already expired` : `${what} not revoked (see the log)`;
  });
  try {
    await runner2.appendSummary(
      `<p>At the end of the job (${isoSeconds(nowMs)}): ${parts.join("; ")}.</p>
`
    );
  } catch (error) {
    runner2.warning(
      safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
    );
  }
}

// src/runner/actions-runner.ts
import { accessSync, appendFileSync, constants, existsSync } from "node:fs";
import { EOL } from "node:os";
function actionsRunner(env = process.env, write = (text) => void process.stdout.write(text)) {
  const command = (name, message, properties = {}) => {
    const props = Object.entries(properties).filter(([, value]) => value !== "").map(([key, value]) => `${key}=${escapeProperty(value)}`).join(",");
    write(`::${name}${props ? ` ${props}` : ""}::${escapeData(message)}${EOL}`);
  };
  const keyValue = (file, legacy) => {
    return (name, value) => {
      const path = env[file];
      if (!path) {
        if (legacy === "set-output") write(EOL);
        return command(legacy, value, { name });
      }
      if (!existsSync(path)) throw new Error(`The runner's ${file} file ${path} does not exist.`);
      appendFileSync(path, `${keyValueBlock(name, value)}${EOL}`, { encoding: "utf8" });
    };
  };
  return {
    env,
    // The runner passes input `client-id` as INPUT_CLIENT-ID: spaces become _, hyphens stay.
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim(),
    setSecret: (value) => command("add-mask", value),
    info: (message) => write(`${message}${EOL}`),
    debug: (message) => command("debug", message),
    notice: (message, title) => command("notice", message, { title }),
    warning: (message) => command("warning", message),
    setOutput: keyValue("GITHUB_OUTPUT", "set-output"),
    saveState: keyValue("GITHUB_STATE", "save-state"),
    setFailed: (message) => {
      process.exitCode = 1;
      command("error", message);
    },
    appendSummary: async (markdown) => {
      const path = env["GITHUB_STEP_SUMMARY"];
      if (!path) return;
      try {
        accessSync(path, constants.R_OK | constants.W_OK);
      } catch {
        throw new Error(
          `The job summary file ${path} (GITHUB_STEP_SUMMARY) cannot be read and written.`
        );
      }
      appendFileSync(path, `${markdown}${EOL}`, { encoding: "utf8" });
    }
  };
}
function keyValueBlock(name, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`The value of ${name} contains its own delimiter; it was not written.`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// src/runner/http-trace.ts
function traceHttp(transport, debug, now) {
  return async (request2) => {
    const sent = request2.body === void 0 ? "" : ` sending [${fieldNames(request2.body).join(", ")}]`;
    const auth = Object.keys(request2.headers).some((h) => h.toLowerCase() === "authorization") ? " with Authorization" : "";
    const started = now();
    try {
      const response = await transport(request2);
      const read = readResponse(response, now());
      const fields = read.fields ? `[${safeText(Object.keys(read.fields).join(", "), { maxLength: 500 })}]` : `(${read.kind})`;
      debug(
        `${request2.method} ${urlForLog(request2.url)}${sent}${auth} \u2192 HTTP ${response.status} ${fields} in ${now() - started} ms`
      );
      return response;
    } catch (error) {
      debug(
        `${request2.method} ${urlForLog(request2.url)}${sent}${auth} \u2192 failed after ${now() - started} ms: ${error instanceof Error ? error.name : "error"}`
      );
      throw error;
    }
  };
}
function fieldNames(body) {
  if (body.trimStart().startsWith("{")) {
    try {
      return Object.keys(JSON.parse(body));
    } catch {
      return ["(unreadable JSON)"];
    }
  }
  return [...new URLSearchParams(body).keys()];
}
function urlForLog(url) {
  const parsed = new URL(url);
  return safeText(`${parsed.origin}${parsed.pathname}${parsed.search ? "?\u2026" : ""}`, {
    maxLength: 2048
  });
}

// src/post.ts
var controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => controller.abort());
}
var actions = actionsRunner();
var runner = {
  env: actions.env,
  getInput: actions.getInput,
  // What the main step saved with saveState, as the runner hands it back: STATE_<name>.
  getState: (name) => actions.env[`STATE_${name}`] ?? "",
  setSecret: actions.setSecret,
  info: actions.info,
  debug: actions.debug,
  warning: actions.warning,
  appendSummary: actions.appendSummary
};
var http2 = traceHttp(
  createHttpTransport("device-flow-action"),
  (message) => runner.debug(safeText(message, { maxLength: MESSAGE_MAX_LENGTH })),
  Date.now
);
try {
  await runPost({ runner, http: http2, clock: systemClock, signal: controller.signal });
} catch (error) {
  runner.warning(
    safe`The post step could not revoke the token: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
  );
}
setTimeout(() => process.exit(), 200).unref();
