import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  getProxyUrl
} from "./chunk-OOQIRNAP.js";
import "./chunk-NV5WPINZ.js";

// src/errors.ts
var ActionError = class extends Error {
  name = "ActionError";
};
var InputError = class extends ActionError {
  constructor(input, message) {
    super(`Input '${input}': ${message}`);
    this.input = input;
  }
  input;
  name = "InputError";
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
var OAuthError = class extends ActionError {
  constructor(endpoint, status, body, request2, message) {
    super(message);
    this.endpoint = endpoint;
    this.status = status;
    this.body = body;
    this.request = request2;
  }
  endpoint;
  status;
  body;
  request;
  name = "OAuthError";
  get error() {
    return this.body.error;
  }
};
var CancelledError = class extends ActionError {
  name = "CancelledError";
  constructor() {
    super("The step was cancelled before the request was approved.");
  }
};
var WaitEndedError = class extends ActionError {
  constructor(ending, message, oauthError2) {
    super(message);
    this.ending = ending;
    this.oauthError = oauthError2;
  }
  ending;
  oauthError;
  name = "WaitEndedError";
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

// src/flow/client.ts
function clientCredentials(config, metadata) {
  return {
    clientId: config.clientId,
    method: authMethodOf(config, metadata),
    ...config.clientSecret && { clientSecret: config.clientSecret },
    ...config.clientPrivateKey && {
      privateKey: config.clientPrivateKey,
      // RFC 7523 §3 and OIDC Core §9 address assertions to the token endpoint (Entra takes nothing else).
      assertionAudience: metadata.tokenEndpoint,
      audienceFallback: { addressToCalledUrl: false }
    }
  };
}
function authMethodOf(config, metadata) {
  if (config.clientAuthMethod !== "auto") return config.clientAuthMethod;
  if (config.clientPrivateKey) return "private_key_jwt";
  if (!config.clientSecret) return "none";
  if (config.provider.secretAuthMethod) return config.provider.secretAuthMethod;
  const supported = metadata.tokenEndpointAuthMethods ?? ["client_secret_basic"];
  return !supported.includes("client_secret_basic") && supported.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic";
}

// src/flow/events.ts
var FlowEvents = class {
  constructor(onListenerError) {
    this.onListenerError = onListenerError;
  }
  onListenerError;
  listeners = [];
  subscribe(...listeners) {
    this.listeners.push(...listeners);
  }
  async emit(event) {
    for (const listener of this.listeners) {
      try {
        await listener.on(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
  async close() {
    const closed = await Promise.allSettled(this.listeners.map((listener) => listener.close?.()));
    for (const result of closed)
      if (result.status === "rejected") this.onListenerError(result.reason);
  }
};

// src/flow/approvals.ts
async function approveInTurn(approvals, approveOnce, discard) {
  const all = [];
  try {
    for (let number = 1; number <= approvals; number++) {
      const earlier = all.map((approval2) => ({
        subject: approval2.subject ?? "",
        name: approval2.approver?.name ?? approval2.subject ?? "someone"
      }));
      const approval = await approveOnce({ number, of: approvals }, earlier);
      all.push(approval);
      if (number > 1) await discard(approval.tokens, `approval ${number}'s (${nameOf(approval)})`);
    }
  } catch (error) {
    const first = all[0];
    if (first && approvals > 1) await discard(first.tokens, `approval 1's (${nameOf(first)})`);
    throw error;
  }
  return { first: all[0], all };
}
function nameOf(approval) {
  return approval.approver?.name ?? approval.subject ?? "unknown approver";
}

// src/oauth/fail.ts
function failing(build) {
  return (problem) => {
    throw build(problem);
  };
}

// src/oauth/load-jose.ts
var loadJose = () => import("./webapi-CRWANINQ.js");

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
  const text2 = (client.privateKey ?? "").trim();
  if (text2.startsWith("{")) {
    let jwk;
    try {
      jwk = JSON.parse(text2);
    } catch {
      throw new Error("the private key looks like a JWK but is not valid JSON");
    }
    const alg2 = client.assertionAlg ?? jwk.alg ?? algorithmForJwk(jwk);
    const key = await importJWK(jwk, alg2);
    return { key, alg: alg2, ...jwk.kid && { kid: jwk.kid } };
  }
  const alg = client.assertionAlg ?? algorithmForPem(text2);
  return { key: await importPKCS8(text2, alg), alg };
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
function isBareRefreshRefusal(status) {
  return status === 400 || status === 401;
}
function verificationUriOf(fields) {
  return fields["verification_uri"] ?? fields["verification_url"];
}
function verificationUriCompleteOf(fields) {
  return fields["verification_uri_complete"] ?? fields["verification_url_complete"];
}
function secondsOf(value) {
  if (value === void 0 || value === null) return { kind: "absent" };
  if (typeof value === "number") {
    return Number.isFinite(value) ? { kind: "number", seconds: value } : { kind: "invalid", shown: String(value) };
  }
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return { kind: "number", seconds: Number(value) };
  }
  return {
    kind: "invalid",
    shown: typeof value === "string" ? JSON.stringify(value.slice(0, 20)) : typeof value
  };
}
function issuerMatches(expected, published) {
  if (expected === published) return true;
  const template = /^https:\/\/login\.microsoftonline\.com\/\{tenantid\}(\/v2\.0)?$/;
  const match = template.exec(published);
  if (!match) return false;
  return new RegExp(
    `^https://login\\.microsoftonline\\.com/[^/{}]+${match[1] ? "/v2\\.0" : ""}$`
  ).test(expected);
}
var ENTRA_MULTI_TENANT = /^https:\/\/login\.microsoftonline\.com\/(common|organizations|consumers|\{tenantid\})\/v2\.0$/;
var ENTRA_TENANT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/;
var ENTRA_CONSUMERS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
function idTokenIssuerFor(configured, claimed) {
  const alias = ENTRA_MULTI_TENANT.exec(configured)?.[1];
  const tenant = typeof claimed === "string" ? ENTRA_TENANT_ISSUER.exec(claimed)?.[1] : void 0;
  if (!alias || !tenant) return configured;
  const personal = tenant === ENTRA_CONSUMERS_TENANT;
  const allowed = alias === "consumers" ? personal : alias === "organizations" ? !personal : true;
  return allowed ? claimed : configured;
}
var SUSPICIOUS_INTERVAL_SECONDS = 60;

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
      const req = send2(url, { method: request2.method, headers, agent }, (res) => {
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
          new TransportFailure(
            "timeout",
            true,
            `no complete answer within ${request2.timeoutMs} ms`
          )
        ),
        request2.timeoutMs
      );
      req.on("error", (error) => finish(failureOf(error, false)));
      if (request2.signal?.aborted) return onAbort();
      request2.signal?.addEventListener("abort", onAbort, { once: true });
      req.end(request2.body);
    });
  };
}
function routes(userAgent) {
  const direct = new http.Agent({ keepAlive: false });
  let secure;
  let proxied;
  return async (url) => {
    const tls = url.protocol === "https:" ? await (secure ??= loadHttps()) : void 0;
    const send2 = tls?.send ?? http.request;
    if (!getProxyUrl(url)?.hostname) return { send: send2, agent: tls?.direct ?? direct };
    proxied ??= import("./lib-Y5VT4CXC.js").then(
      ({ HttpClient }) => new HttpClient(userAgent, [], { keepAlive: false })
    );
    return { send: send2, agent: (await proxied).getAgent(url.href) };
  };
}
async function loadHttps() {
  const https = await import("node:https");
  return { send: https.request, direct: new https.Agent({ keepAlive: false }) };
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
function safeText(text2, options = {}) {
  const maxLength = Math.max(1, options.maxLength ?? DEFAULT_MAX_LENGTH);
  let raw = typeof text2 === "string" ? text2 : text2 === void 0 ? "" : String(text2);
  if (options.redact) raw = redact(raw, options.redact);
  if (isSafeAlready(raw, maxLength)) return raw;
  return madeSafe(raw, maxLength);
}
var SAFE_ALREADY = /^(?![ :[])[ -~\u2013\u2014\u2026\u2190-\u21ff\u2500-\u257f]*$/;
function isSafeAlready(raw, maxLength) {
  return raw.length <= maxLength && SAFE_ALREADY.test(raw) && !raw.includes("#[") && !raw.endsWith(" ");
}
function madeSafe(text2, maxLength) {
  let raw = text2;
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
function redact(text2, secrets) {
  const sorted = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let result = text2;
  for (const secret of sorted) result = result.split(secret).join(REDACTED);
  return result;
}
function safe(literals, ...values) {
  let result = literals[0] ?? "";
  values.forEach((value, index) => {
    result += String(value) + (literals[index + 1] ?? "");
  });
  return result;
}
function joinSafe(parts, separator) {
  return parts.join(separator);
}

// src/oauth/response.ts
function readResponse(response, nowMs, secrets = []) {
  const base = {
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers["retry-after"], nowMs)
  };
  const text2 = response.body.replace(/^\uFEFF/, "").trim();
  const contentType = (response.headers["content-type"] ?? "").toLowerCase();
  if (text2 === "") return { ...base, kind: "empty", unreadable: "the body is empty" };
  if (text2.startsWith("{") || text2.startsWith("[") || contentType.includes("json")) {
    return { ...base, ...readJson(text2) };
  }
  if (contentType.includes("application/x-www-form-urlencoded") || /^[\w.-]+=[^\s<>]*$/.test(text2)) {
    return { ...base, kind: "form", fields: Object.fromEntries(new URLSearchParams(text2)) };
  }
  if (/^<(!doctype|html|head|body|\?xml)/i.test(text2) || contentType.includes("html")) {
    return {
      ...base,
      kind: "html",
      unreadable: `the body is an HTML page${htmlTitle(text2, secrets)}, not JSON`
    };
  }
  return {
    ...base,
    kind: "other",
    unreadable: `the body is not JSON (${describeSize(text2)} of ${contentType || "untyped"} text)`
  };
}
function readJson(text2) {
  let value;
  try {
    value = JSON.parse(text2);
  } catch {
    return {
      kind: "other",
      unreadable: `the body is not valid JSON (${describeSize(text2)}; it may be truncated)`
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
function htmlTitle(text2, secrets) {
  const match = /<title[^<>]{0,200}>([^<]{1,120})<\/title>/i.exec(text2);
  return match?.[1] ? ` titled "${safeText(match[1], { maxLength: 120, redact: secrets })}"` : "";
}
function describeSize(text2) {
  return `${Buffer.byteLength(text2)} bytes`;
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
function capitalize(text2) {
  return text2.charAt(0).toUpperCase() + text2.slice(1);
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
function decodeFormComponent(text2) {
  try {
    return decodeURIComponent(text2.replace(/\+/g, " "));
  } catch {
    return text2;
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
  const where = describeEndpoint(endpoint);
  switch (failure.kind) {
    case "too-large":
      return new ProviderResponseError(
        endpoint,
        void 0,
        failure.detail === HEADERS_TOO_LARGE ? `${capitalize(where)} sent response headers larger than Node.js accepts (16 KiB; HPE_HEADER_OVERFLOW); an identity provider's headers are far smaller. Check that the URL points at the identity provider, and not at a proxy or a page that sets huge cookies.` : `${capitalize(where)} sent a response larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; an OAuth response is a few kilobytes. Check that the URL points at the identity provider.`
      );
    case "timeout":
      return new NetworkError(
        endpoint,
        "timeout",
        true,
        `${capitalize(where)} did not answer within ${Math.round(timeoutMs / 1e3)} s.`
      );
    case "reset":
      return new NetworkError(
        endpoint,
        "reset",
        true,
        `The connection to ${where} was reset before a complete answer arrived.`
      );
    default: {
      const detail = safeText(failure.detail, { maxLength: 300 });
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(detail) ? " The TLS certificate is not trusted: for a private certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file." : " Check the URL, and that the runner can reach it (proxies are read from https_proxy, http_proxy and no_proxy).";
      return new NetworkError(
        endpoint,
        "connection",
        failure.maybeDelivered,
        `Could not reach ${where}: ${detail}.${tls}`
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

// src/oauth/explain.ts
function oauthError(endpoint, status, body, request2) {
  const said = body.errorDescription ? `: ${safeText(body.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, "")}` : "";
  const message = `${capitalize(describeEndpoint(endpoint))} answered "${safeText(body.error)}" (HTTP ${status})${said}.`;
  return new OAuthError(endpoint, status, body, request2, message);
}
function errorPageOf(body) {
  return body.errorUri && /^https:\/\//.test(body.errorUri) ? safeText(body.errorUri, { maxLength: 300 }) : void 0;
}

// src/oauth/authenticated-post.ts
async function postAuthenticated(ctx, endpoint, client, params, options) {
  const read = await sendAuthenticated(ctx, endpoint, client, params, {
    retryMaybeDelivered: options.retryMaybeDelivered
  });
  const error = oauthErrorOf(read);
  if (error) throw oauthError(endpoint, read.status, error, options.kind);
  if (read.status !== 200 || !read.fields) throw unusableResponse(endpoint, read, options.expected);
  return read.fields;
}
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

// src/oauth/named-urls.ts
var SCANNED_LENGTH = 4e3;
var DOT = "[.\u3002\uFF0E\uFF61]";
var NAMED = new RegExp(
  `[a-z][a-z0-9+.-]{0,30}://[^\\s"'<>]+|(?<![\\p{L}\\p{N}-])[\\p{L}\\p{N}-]{1,63}(?:${DOT}[\\p{L}\\p{N}-]{1,63}){0,10}${DOT}\\p{L}{2,63}(?::\\d{1,5})?(?:/[^\\s"'<>]*)?`,
  "giu"
);
function namedUrlsOf(text2) {
  const found = [];
  for (const match of text2.slice(0, SCANNED_LENGTH).matchAll(NAMED)) {
    const display = match[0].replace(/[.,;:!?)\]}'"\u3002]+$/u, "");
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(display) ? display : `https://${display.replace(new RegExp(DOT, "gu"), ".")}`;
    if (!URL.canParse(absolute)) {
      found.push({ display, url: new URL("https://invalid.invalid/") });
      continue;
    }
    found.push({ display, url: new URL(absolute) });
  }
  return found;
}
function sameSite(a, b) {
  return a.origin === b.origin;
}

// src/oauth/secret-shape.ts
var MIN_SECRET_LENGTH = 16;
function secretShapeProblem(value) {
  if (/\s/.test(value)) return "contains a space";
  if (value.length < MIN_SECRET_LENGTH)
    return `is ${value.length} characters long, too short to be unguessable (at least ${MIN_SECRET_LENGTH} expected)`;
  return void 0;
}

// src/oauth/token.ts
function usableAsBearer(tokens) {
  return tokens.tokenType?.toLowerCase() === "bearer";
}
var DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
var MAX_TOKEN_LENGTH = 64 * 1024;
var MAX_LIFETIME_SECONDS = 100 * 365 * 24 * 3600;
async function requestToken(ctx, endpoint, client, grant, timeoutMs) {
  let read;
  try {
    const auth = await authenticate(client, grant, endpoint.url, ctx.clock.now());
    const limitMs = Math.min(timeoutMs ?? ctx.requestTimeoutMs, ctx.requestTimeoutMs);
    read = await postForm(ctx, endpoint, auth.params, auth.headers, limitMs);
  } catch (error2) {
    if (error2 instanceof NetworkError) {
      return { kind: "transient", reason: error2.message };
    }
    throw error2;
  }
  const retry = read.retryAfterMs !== void 0 ? { retryAfterMs: read.retryAfterMs } : {};
  const error = oauthErrorOf(read);
  if (error) {
    const interval = secondsOf(read.fields?.["interval"]);
    const newInterval = interval.kind === "number" && interval.seconds >= 1 ? { intervalSeconds: interval.seconds } : {};
    return { kind: "oauth-error", status: read.status, body: error, ...retry, ...newInterval };
  }
  if (read.status === 200 && read.fields)
    return { kind: "tokens", tokens: parseTokenResponse(read.fields, endpoint) };
  if (isTransientStatus(read.status)) {
    return {
      kind: "transient",
      status: read.status,
      reason: unusableResponse(endpoint, read, "tokens").message,
      ...retry
    };
  }
  throw unusableResponse(endpoint, read, "a JSON object with access_token");
}
function parseTokenResponse(fields, endpoint) {
  const fail = failing(
    (problem) => new ProviderResponseError(
      endpoint,
      200,
      `${capitalize(describeEndpoint(endpoint))} answered without usable tokens: ${problem}.`
    )
  );
  const token = (name, required) => {
    const value = fields[name];
    if (value === void 0 || value === null || value === "" && !required) {
      return required ? fail(`${name} is missing`) : void 0;
    }
    if (value === "") return fail(`${name} is empty`);
    if (typeof value !== "string") return fail(`${name} is a ${typeof value}, not a string`);
    if (value.length > MAX_TOKEN_LENGTH || !/^[\x20-\x7E]+$/.test(value)) {
      return fail(
        `${name} is longer than ${MAX_TOKEN_LENGTH} characters or has characters a token cannot have`
      );
    }
    const shape = secretShapeProblem(value);
    if (shape) fail(`${name} ${shape} (RFC 6749 \xA710.10 asks for tokens that cannot be guessed)`);
    return value;
  };
  const text2 = (name) => {
    const value = fields[name];
    return typeof value === "string" && /^[\x20-\x7E]{1,2000}$/.test(value) ? value : void 0;
  };
  const seconds = (name) => {
    const value = secondsOf(fields[name]);
    return value.kind === "number" && value.seconds > 0 && value.seconds <= MAX_LIFETIME_SECONDS ? value.seconds : void 0;
  };
  const accessToken = token("access_token", true) ?? fail("access_token is missing");
  const refreshToken = token("refresh_token", false);
  const idToken = token("id_token", false);
  const tokenType = text2("token_type");
  const scope = text2("scope");
  const expiresInSeconds = seconds("expires_in");
  const refreshTokenExpiresInSeconds = seconds("refresh_token_expires_in");
  return {
    accessToken,
    ...tokenType !== void 0 && { tokenType },
    ...refreshToken !== void 0 && { refreshToken },
    ...idToken !== void 0 && { idToken },
    ...expiresInSeconds !== void 0 && { expiresInSeconds },
    ...scope !== void 0 && { scope },
    ...refreshTokenExpiresInSeconds !== void 0 && { refreshTokenExpiresInSeconds }
  };
}
async function refreshTokens(ctx, endpoint, client, refreshToken, scope) {
  const grant = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
  if (scope) grant.set("scope", scope);
  let fields;
  try {
    fields = await postAuthenticated(ctx, endpoint, client, grant, {
      kind: "refresh",
      // Not retried once it may have arrived: the provider may already have rotated the token.
      retryMaybeDelivered: false,
      expected: "a JSON object with access_token"
    });
  } catch (error) {
    if (error instanceof ProviderResponseError && isBareRefreshRefusal(error.status)) {
      throw new RefreshRefusedError(
        endpoint,
        error.status,
        `${capitalize(describeEndpoint(endpoint))} refused the stored refresh token: it answered HTTP ${error.status} without an OAuth error (RFC 6749 \xA75.2 would say invalid_grant), which means the refresh token is expired, revoked or already used.`
      );
    }
    throw error;
  }
  return parseTokenResponse(fields, endpoint);
}
var RefreshRefusedError = class extends ProviderResponseError {
  name = "RefreshRefusedError";
};

// src/oauth/url-policy.ts
var MAX_URL_LENGTH = 2048;
function checkSecureUrl(value) {
  if (value.length > MAX_URL_LENGTH)
    return { ok: false, problem: `is longer than ${MAX_URL_LENGTH} characters` };
  let url;
  try {
    url = new URL(value);
  } catch {
    return {
      ok: false,
      problem: "is not an absolute URL (expected something like https://id.example.com)"
    };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      problem: "contains a user name or password; pass credentials as client-id and client-secret instead"
    };
  }
  if (url.hash)
    return {
      ok: false,
      problem: "has a #fragment, which OAuth endpoints and issuers must not have"
    };
  if (url.protocol === "https:") return { ok: true, url };
  if (url.protocol === "http:") {
    if (isLoopbackHost(url.hostname)) return { ok: true, url };
    return {
      ok: false,
      problem: "uses http://, which would send tokens in clear text; use https:// (http is allowed only for 127.0.0.1, ::1 and localhost)"
    };
  }
  return {
    ok: false,
    problem: `uses ${url.protocol.replace(/:$/, "")}://; only https:// is accepted`
  };
}
function isLoopbackHost(hostname) {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1") return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

// src/oauth/device.ts
var DEFAULT_INTERVAL_SECONDS = 5;
var MAX_USER_CODE_LENGTH = 64;
var MIN_USER_CODE_CHARACTERS = 4;
var MAX_DEVICE_CODE_LENGTH = 4096;
var MAX_MESSAGE_LENGTH = 500;
async function requestDeviceAuthorization(ctx, endpoint, client, request2) {
  const params = new URLSearchParams();
  if (request2.scope) params.set("scope", request2.scope);
  if (request2.audience) params.set("audience", request2.audience);
  for (const resource of request2.resources) params.append("resource", resource);
  for (const [key, value] of request2.extraParams) params.append(key, value);
  const fields = await postAuthenticated(ctx, endpoint, client, params, {
    kind: "device-authorization",
    retryMaybeDelivered: true,
    expected: "a JSON object with device_code, user_code and verification_uri"
  });
  return parseDeviceAuthorization(fields, endpoint);
}
function parseDeviceAuthorization(fields, endpoint) {
  const fail = failing(
    (problem) => new ProviderResponseError(
      endpoint,
      200,
      `${capitalize(describeEndpoint(endpoint))} answered without a usable device code: ${problem}.`
    )
  );
  const notes = [];
  const deviceCode = fields["device_code"];
  if (typeof deviceCode !== "string" || deviceCode === "")
    fail("device_code is missing or not a string");
  if (deviceCode.length > MAX_DEVICE_CODE_LENGTH || !/^[\x20-\x7E]+$/.test(deviceCode)) {
    fail(
      `device_code is longer than ${MAX_DEVICE_CODE_LENGTH} characters or has characters outside printable ASCII`
    );
  }
  const shape = secretShapeProblem(deviceCode);
  if (shape) fail(`device_code ${shape} (RFC 8628 \xA75.2 asks for a high-entropy device code)`);
  const userCode = fields["user_code"];
  if (typeof userCode !== "string" || userCode.trim() === "")
    fail("user_code is missing or not a string");
  if (userCode.length > MAX_USER_CODE_LENGTH) {
    fail(
      `user_code is ${userCode.length} characters long; a code a person types is at most ${MAX_USER_CODE_LENGTH}`
    );
  }
  if (/[\u0000-\u001F\u007F-\u009F<>`[\]]/.test(userCode)) {
    fail("user_code contains control characters or markup");
  }
  const shownUserCode = safeText(userCode.trim(), { maxLength: MAX_USER_CODE_LENGTH });
  if (shownUserCode !== userCode.trim()) {
    fail(
      "user_code contains characters that cannot be shown as they are (line breaks, invisible or bidirectional-text characters, or workflow command syntax)"
    );
  }
  if ((shownUserCode.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_USER_CODE_CHARACTERS) {
    fail(
      `user_code ${JSON.stringify(shownUserCode)} has fewer than ${MIN_USER_CODE_CHARACTERS} letters or digits, too few to be a code`
    );
  }
  const verificationUri = verifiedUrl(verificationUriOf(fields), "verification_uri", fail);
  let verificationUriComplete;
  const complete = verificationUriCompleteOf(fields);
  if (complete !== void 0) {
    const check = typeof complete === "string" ? checkSecureUrl(complete) : void 0;
    if (check && !check.ok) notes.push(`ignored verification_uri_complete: it ${check.problem}`);
    else if (!check) notes.push("ignored verification_uri_complete: it is not a string");
    else if (!sameSite(check.url, new URL(verificationUri))) {
      notes.push(
        `ignored verification_uri_complete: it is on another site (${safeText(check.url.origin)}) than verification_uri (${safeText(new URL(verificationUri).origin)}), so it is not shown as a link to follow`
      );
    } else verificationUriComplete = safeText(check.url.href, { maxLength: 2048 });
  }
  const expires = secondsOf(fields["expires_in"]);
  let expiresInSeconds;
  if (expires.kind === "number" && expires.seconds > MAX_LIFETIME_SECONDS) {
    notes.push(
      `the provider's expires_in (${expires.seconds} s) is not a code lifetime; the wait is bounded by the timeout input`
    );
  } else if (expires.kind === "number") {
    if (expires.seconds <= 0)
      fail(`expires_in is ${expires.seconds}: the code would be expired already`);
    expiresInSeconds = expires.seconds;
  } else if (expires.kind === "invalid") {
    fail(`expires_in is ${safeText(expires.shown)}, not a number of seconds`);
  } else {
    notes.push(
      "the provider did not say when the code expires (expires_in is missing); the wait is bounded by the timeout input"
    );
  }
  const intervalSeconds = parseInterval(fields["interval"], notes);
  const message = shownMessage(
    fields["message"],
    [verificationUri, ...verificationUriComplete ? [verificationUriComplete] : []],
    notes,
    deviceCode
  );
  for (const [name, value] of [
    ["user_code", shownUserCode],
    ["verification_uri", verificationUri]
  ])
    if (value.includes(deviceCode))
      fail(`device_code appears in ${name}; masking it would hide what the person must see`);
  return {
    deviceCode,
    userCode: shownUserCode,
    verificationUri,
    ...verificationUriComplete !== void 0 && { verificationUriComplete },
    ...expiresInSeconds !== void 0 && { expiresInSeconds },
    intervalSeconds,
    ...message && { message },
    notes
  };
}
function verifiedUrl(value, name, fail) {
  if (typeof value !== "string" || value === "") return fail(`${name} is missing or not a string`);
  const check = checkSecureUrl(value);
  if (!check.ok) return fail(`${name} ${check.problem}`);
  const shown5 = safeText(check.url.href, { maxLength: 2048 });
  return shown5 === check.url.href ? shown5 : fail(`${name} cannot be shown as it is`);
}
function shownMessage(value, allowed, notes, deviceCode) {
  if (typeof value !== "string" || value.trim() === "") return void 0;
  const allowedUrls = allowed.map((url) => new URL(url));
  const other = namedUrlsOf(value).find(
    (named) => !allowedUrls.some((url) => sameDestination(named, url))
  );
  if (other) {
    notes.push(
      `left out the provider's message: it names ${safeText(other.display, { maxLength: 100 })}, which is not the verification_uri`
    );
    return void 0;
  }
  return safeText(value, { maxLength: MAX_MESSAGE_LENGTH, redact: [deviceCode] });
}
function sameDestination(named, allowed) {
  const path = (url) => url.pathname.replace(/\/+$/, "");
  return named.url.hostname === allowed.hostname && (named.url.port === "" || named.url.port === allowed.port) && path(named.url) === path(allowed);
}
function parseInterval(value, notes) {
  const interval = secondsOf(value);
  if (interval.kind === "absent") return DEFAULT_INTERVAL_SECONDS;
  if (interval.kind === "invalid" || interval.seconds < 1) {
    notes.push(
      `the provider's polling interval (${interval.kind === "invalid" ? safeText(interval.shown) : interval.seconds}) is not usable; polling every ${DEFAULT_INTERVAL_SECONDS} s as RFC 8628 says`
    );
    return DEFAULT_INTERVAL_SECONDS;
  }
  if (interval.seconds > SUSPICIOUS_INTERVAL_SECONDS) {
    notes.push(
      `the provider asks to poll only every ${interval.seconds} s, so approval may take that long to be noticed; check the provider's device flow polling interval setting`
    );
  }
  return interval.seconds;
}

// src/oauth/redirects.ts
var MAX_REDIRECTS = 5;
async function getJson(ctx, endpoint, headers = {}) {
  let url = endpoint.url;
  for (let hop = 0; ; hop++) {
    const read = await send(
      ctx,
      { ...endpoint, url },
      { method: "GET", headers: { Accept: "application/json", ...headers } }
    );
    if (!REDIRECT_STATUSES.includes(read.status)) return { ...read, finalUrl: url };
    const location = read.location;
    if (!location || hop >= MAX_REDIRECTS) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected ${location ? `more than ${MAX_REDIRECTS} times` : "without a Location header"}. Give the final URL instead.`
      );
    }
    if (!URL.canParse(location, url)) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to a Location header that is not a URL. Give the final URL instead.`
      );
    }
    const next = new URL(location, url);
    const carriesToken = Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
    if (carriesToken && next.origin !== new URL(url).origin) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to another site (${safeText(next.host)}); the access token is not sent there.`
      );
    }
    if (next.protocol !== "https:" || !checkSecureUrl(next.href).ok) {
      throw new ProviderResponseError(
        endpoint,
        read.status,
        `${capitalize(describeEndpoint(endpoint))} redirected to ${safeText(`${next.protocol}//${next.host}`)}, which is not https. Redirects are followed only to https:// URLs; give the final URL instead.`
      );
    }
    url = next.href;
  }
}

// src/oauth/id-token.ts
var IdTokenError = class extends ActionError {
  name = "IdTokenError";
};
var CLOCK_SKEW_SECONDS = 60;
function prepareIdTokenVerification() {
  loadJose().catch(() => void 0);
}
async function verifyIdToken(ctx, idToken, expected) {
  const fail = failing(
    (problem) => new IdTokenError(
      `The ID token from the provider failed verification: ${problem}. It was not output, and the step fails because who approved cannot be trusted.`
    )
  );
  const jose = await loadJose();
  let alg;
  try {
    alg = jose.decodeProtectedHeader(idToken).alg;
  } catch {
    fail("it is not a JWS compact token");
  }
  if (!alg || alg === "none") fail("it is not signed (alg none)");
  const options = {
    // Deviation (Entra ID multi-tenant endpoints): the token names the approver's tenant.
    issuer: idTokenIssuerFor(expected.issuer, claimedIssuer(jose, idToken)),
    audience: expected.clientId,
    clockTolerance: CLOCK_SKEW_SECONDS,
    currentDate: new Date(ctx.clock.now()),
    requiredClaims: ["iss", "sub", "aud", "exp", "iat"]
  };
  let payload;
  try {
    if (alg?.startsWith("HS")) {
      if (!expected.clientSecret)
        fail(`it is signed with ${alg}, which needs the client secret, and none is configured`);
      const secret = new TextEncoder().encode(expected.clientSecret);
      payload = (await jose.jwtVerify(idToken, secret, options)).payload;
    } else {
      const keys = jose.createLocalJWKSet(await fetchJwks(ctx, expected.jwksUri));
      payload = (await jose.jwtVerify(idToken, keys, options)).payload;
    }
  } catch (error) {
    if (error instanceof IdTokenError || error instanceof CancelledError) throw error;
    if (error instanceof ActionError)
      return fail(`the provider's keys could not be read (${error.message.replace(/\.$/, "")})`);
    return fail(describeJoseError(jose.errors, error));
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload["azp"] !== expected.clientId) {
    fail(`it has several audiences and its azp is not the client-id (OpenID Connect Core \xA73.1.3.7)`);
  }
  if (payload["azp"] !== void 0 && payload["azp"] !== expected.clientId) {
    fail(
      `its azp (authorized party) is ${safeText(JSON.stringify(payload["azp"]), { maxLength: 100 })}, not the client-id (OpenID Connect Core \xA73.1.3.7)`
    );
  }
  if (typeof payload.sub !== "string" || payload.sub === "") fail("it has no sub claim");
  return payload;
}
function claimedIssuer(jose, idToken) {
  try {
    return jose.decodeJwt(idToken).iss;
  } catch {
    return void 0;
  }
}
async function fetchJwks(ctx, jwksUri) {
  const endpoint = { name: "key set (jwks_uri)", url: jwksUri };
  const read = await getJson(ctx, endpoint);
  const keys = read.fields?.["keys"];
  if (read.status !== 200 || !Array.isArray(keys))
    throw unusableResponse(endpoint, read, 'a JSON Web Key Set with "keys"');
  return { keys };
}
function describeJoseError(joseErrors, error) {
  if (error instanceof joseErrors.JWTExpired)
    return "it has expired (exp is in the past; check the runner's clock)";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `its ${error.claim} claim is wrong or missing (${error.reason === "check_failed" ? "does not match" : error.reason})`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return "its signature does not match the provider's keys";
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return "no key in the provider's key set matches its signature";
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys)
    return "it names no key (no kid in its header), and the provider's key set has several keys it could be signed with; OpenID Connect Core \xA710.1 requires a kid then. Ask the provider to set kid, or publish one signing key";
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return "it uses a signing algorithm that cannot be verified";
  }
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid)
    return "it is malformed";
  return "it could not be verified";
}

// src/oauth/poll.ts
var SLOW_DOWN_STEP_MS = 5e3;
var POLL_MARGIN_MS = 25;
var WIDENED_POLL_MARGIN_MS = 1e3;
var TICK_MS = 15e3;
var POLL_REQUEST_TIMEOUT_MS = 3e4;
async function pollForTokens(options) {
  const { clock, signal } = options;
  const deadlineMs = Math.min(options.expiresAtMs ?? Infinity, options.timeoutAtMs ?? Infinity);
  if (!Number.isFinite(deadlineMs))
    throw new Error("pollForTokens needs expiresAtMs or timeoutAtMs");
  const emit = (event) => options.onEvent?.(event);
  let intervalMs = options.intervalSeconds * 1e3;
  let marginMs = POLL_MARGIN_MS;
  const startedMs = clock.now();
  let lastAnswerMs = startedMs;
  let nextPollMs = startedMs + intervalMs + marginMs;
  let polls = 0;
  let slowDowns = 0;
  let failuresInARow = 0;
  let lastFailure;
  for (; ; ) {
    if (nextPollMs >= deadlineMs) {
      const last = finalPollTime(deadlineMs, lastAnswerMs, intervalMs, clock.now());
      if (last === void 0) {
        await sleepUntil(clock, deadlineMs, signal, emit);
        throw deadlineReached(options, deadlineMs, lastFailure);
      }
      nextPollMs = last;
    }
    await sleepUntil(clock, nextPollMs, signal, emit);
    polls++;
    const sentMs = clock.now();
    const waitedFullInterval = sentMs - lastAnswerMs >= intervalMs;
    const result = await options.attempt(
      Math.max(1e3, Math.min(POLL_REQUEST_TIMEOUT_MS, deadlineMs - sentMs))
    );
    lastAnswerMs = clock.now();
    if (result.kind === "tokens") return result.tokens;
    if (result.kind === "transient" && result.status !== 429) {
      failuresInARow++;
      lastFailure = result.reason;
      const policy = { baseMs: intervalMs, maxMs: Math.max(DEFAULT_BACKOFF.maxMs, intervalMs) };
      const backoff = Math.max(intervalMs, backoffDelayMs(failuresInARow, policy, clock.random()));
      const waitMs = Math.max(intervalMs, result.retryAfterMs ?? backoff);
      emit({ type: "transient", reason: result.reason, failuresInARow, retryInMs: waitMs });
      nextPollMs = lastAnswerMs + waitMs + marginMs;
      continue;
    }
    failuresInARow = 0;
    lastFailure = void 0;
    const error = result.kind === "oauth-error" ? result.body.error : "slow_down";
    if (error === "access_denied" || options.denialErrors?.has(error)) {
      throw new WaitEndedError(
        "denied",
        `The request was denied (${error}). RFC 8628 \xA73.5 says only that the authorization request was denied: usually the person who signed in declined it, but the provider also answers so when it refused the request itself (the account may not use this client, was disabled or removed, or the request was revoked). Ask the approver which it was; run the job again if it was a mistake.`,
        result.kind === "oauth-error" ? result.body : void 0
      );
    }
    switch (error) {
      case "authorization_pending":
        emit({ type: "pending", poll: polls });
        break;
      case "slow_down": {
        slowDowns++;
        const offered = result.kind === "oauth-error" && result.intervalSeconds ? result.intervalSeconds * 1e3 : 0;
        const raisedMs = intervalMs + SLOW_DOWN_STEP_MS;
        const leftMs = Math.ceil((deadlineMs - clock.now()) / 1e3) * 1e3;
        intervalMs = Math.min(Math.max(raisedMs, offered), Math.max(raisedMs, leftMs));
        emit({ type: "slow-down", intervalSeconds: intervalMs / 1e3, count: slowDowns });
        if (waitedFullInterval && marginMs < WIDENED_POLL_MARGIN_MS) {
          marginMs = WIDENED_POLL_MARGIN_MS;
          emit({ type: "margin-widened", marginMs });
        }
        break;
      }
      case "expired_token":
        throw new WaitEndedError(
          "expired",
          "The code expired before anyone approved it. Run the job again and approve within the time shown.",
          result.kind === "oauth-error" ? result.body : void 0
        );
      default:
        if (result.kind === "oauth-error") {
          throw oauthError(options.endpoint, result.status, result.body, "device-token");
        }
    }
    const retryAfterMs = result.retryAfterMs ?? 0;
    nextPollMs = lastAnswerMs + Math.max(intervalMs, retryAfterMs) + marginMs;
  }
}
function finalPollTime(deadlineMs, lastAnswerMs, intervalMs, nowMs) {
  const candidate = deadlineMs - 1e3;
  if (candidate <= nowMs) return void 0;
  return candidate - lastAnswerMs >= Math.min(intervalMs, 5e3) ? candidate : void 0;
}
function deadlineReached(options, deadlineMs, lastFailure) {
  const failing2 = lastFailure ? ` The token endpoint was failing when time ran out, so an approval may not have been seen: ${lastFailure}` : "";
  if (options.expiresAtMs !== void 0 && deadlineMs >= options.expiresAtMs) {
    return new WaitEndedError(
      "expired",
      `The code expired before anyone approved it. Run the job again and approve within the time shown.${failing2}`
    );
  }
  return new WaitEndedError(
    "timed-out",
    `Nobody approved the request within the time set by the timeout input. Run the job again, or raise timeout.${failing2}`
  );
}
async function sleepUntil(clock, targetMs, signal, emit) {
  for (let now = clock.now(); now < targetMs; now = clock.now()) {
    await clock.sleep(Math.min(TICK_MS, targetMs - now), signal);
    emit({ type: "tick", nowMs: clock.now() });
  }
}

// src/runner/format.ts
function formatUtc(ms, nowMs) {
  const iso = new Date(ms).toISOString();
  const time = `${iso.slice(11, 19)} UTC`;
  return iso.slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}
function formatDuration(ms) {
  const total = Math.max(0, Math.round(ms / 1e3));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total % 3600 / 60);
  const seconds = total % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}
function isoSeconds(ms) {
  return new Date(Math.floor(ms / 1e3) * 1e3).toISOString().replace(".000Z", "Z");
}

// src/runner/prompt.ts
var MAX_ORIGIN_LENGTH = 100;
function runOrigin(env) {
  const read = (name) => {
    const value = env[name];
    return value ? safeText(value, { maxLength: MAX_ORIGIN_LENGTH }) : void 0;
  };
  const server = env["GITHUB_SERVER_URL"] || "https://github.com";
  const repository = read("GITHUB_REPOSITORY");
  const runId = read("GITHUB_RUN_ID");
  const runNumber = read("GITHUB_RUN_NUMBER");
  const workflow = read("GITHUB_WORKFLOW");
  const runAttempt = read("GITHUB_RUN_ATTEMPT");
  const actor = read("GITHUB_ACTOR");
  const attempt = env["GITHUB_RUN_ATTEMPT"];
  return {
    ...repository && { repository },
    ...workflow && { workflow },
    ...runId && { runId },
    ...runNumber && { runNumber },
    ...runAttempt && { runAttempt },
    ...actor && { actor },
    ...repository && runId && {
      // The attempt's own page when the run was re-run: the one the approver sees in the log.
      runUrl: safeText(
        `${server}/${env["GITHUB_REPOSITORY"]}/actions/runs/${env["GITHUB_RUN_ID"]}${attempt && attempt !== "1" ? `/attempts/${attempt}` : ""}`,
        { maxLength: 2048 }
      )
    }
  };
}
function describeOrigin(origin) {
  if (!origin.repository) return void 0;
  const parts = [origin.repository];
  if (origin.workflow) parts.push(safe`workflow "${origin.workflow}"`);
  const run3 = origin.runNumber ? safe`#${origin.runNumber}` : origin.runId;
  if (run3) {
    const attempt = origin.runAttempt && origin.runAttempt !== "1" ? safe` (attempt ${origin.runAttempt})` : "";
    parts.push(safe`run ${run3}${attempt}`);
  }
  if (origin.actor) parts.push(safe`started by ${origin.actor}`);
  return joinSafe(parts, " \xB7 ");
}
function shownPolicy(text2) {
  return safeText(text2, { maxLength: 300 });
}
var RULE = "\u2500".repeat(64);
function when(ms, nowMs) {
  return formatUtc(ms, nowMs);
}
function left(ms) {
  return formatDuration(ms);
}
function promptLines(ctx, nowMs) {
  const { device } = ctx;
  const lines = [
    safe`┌${RULE}`,
    safe`│ Approval needed: sign in at the provider and enter the code.`,
    ...ctx.approval ? [safe`│ ${shownPolicy(ctx.approval.heading)}.`] : [],
    safe`│`,
    safe`│   1. Open   ${device.verificationUri}`,
    safe`│   2. Enter  ${device.userCode}`
  ];
  if (device.verificationUriComplete) {
    lines.push(
      safe`│`,
      safe`│   Or open this link, which fills in the code:`,
      safe`│     ${device.verificationUriComplete}`
    );
  }
  lines.push(
    safe`│`,
    safe`│   Client   ${ctx.clientId}`,
    ctx.scope ? safe`│   Scope    ${ctx.scope}` : safe`│   Scope    (the provider's default)`
  );
  const origin = describeOrigin(ctx.origin);
  if (origin) lines.push(safe`│   Asked by ${origin}`);
  if (ctx.origin.runUrl) lines.push(safe`│            ${ctx.origin.runUrl}`);
  lines.push(
    safe`│   Expires  ${when(ctx.deadlineMs, nowMs)} (in ${left(ctx.deadlineMs - nowMs)}${timeoutNote(ctx, nowMs)})`
  );
  if (ctx.policy?.length) {
    lines.push(safe`│`);
    ctx.policy.forEach(
      ({ label, text: text2 }, index) => lines.push(
        safe`│   ${index === 0 ? safe`Policy  ` : safe`        `} ${shownPolicy(label)}: ${shownPolicy(text2)}`
      )
    );
  }
  if (device.message) lines.push(safe`│`, safe`│   The provider says: ${device.message}`);
  lines.push(
    safe`│`,
    safe`│   Approve only if you expected this request from this run.`,
    safe`└${RULE}`
  );
  return lines;
}
function timeoutNote(ctx, nowMs) {
  return ctx.codeExpiresAtMs === void 0 ? "" : safe`, when this step stops waiting; the code itself expires ${when(ctx.codeExpiresAtMs, nowMs)}`;
}
function noticeOf(ctx, nowMs) {
  const { device } = ctx;
  const where = device.verificationUriComplete ?? device.verificationUri;
  const origin = describeOrigin(ctx.origin);
  const scope = ctx.scope ? safe` (scope: ${ctx.scope})` : "";
  const asked = origin ? safe` Asked by ${origin}.` : "";
  return {
    title: ctx.approval ? safe`Approval ${ctx.approval.number} of ${ctx.approval.of}: enter code ${device.userCode}` : safe`Approval needed: enter code ${device.userCode}`,
    message: safe`${ctx.approval ? safe`${shownPolicy(ctx.approval.heading)}. ` : ""}Open ${where} and enter the code ${device.userCode} to approve client ${ctx.clientId}${scope}. Expires at ${when(ctx.deadlineMs, nowMs)}.${asked}`
  };
}
function reminderLine(ctx, nowMs) {
  const which = ctx.approval ? safe` ${ctx.approval.number} of ${ctx.approval.of}` : "";
  return safe`Still waiting for approval${which}: open ${ctx.device.verificationUri} and enter ${ctx.device.userCode} (${left(ctx.deadlineMs - nowMs)} left).`;
}
var ReminderSchedule = class {
  constructor(shownAtMs, everyMs = 6e4) {
    this.everyMs = everyMs;
    this.lastMs = shownAtMs;
  }
  everyMs;
  lastMs;
  due(nowMs) {
    if (nowMs - this.lastMs < this.everyMs) return false;
    this.lastMs = nowMs;
    return true;
  }
};

// src/flow/deadlines.ts
var FALLBACK_WAIT_SECONDS = 15 * 60;
function deadlinesOf(device, config, startMs) {
  const expiresAtMs = device.expiresInSeconds !== void 0 ? startMs + device.expiresInSeconds * 1e3 : void 0;
  let timeoutAtMs = config.timeoutSeconds !== void 0 ? startMs + config.timeoutSeconds * 1e3 : void 0;
  let note;
  if (expiresAtMs === void 0 && timeoutAtMs === void 0) {
    timeoutAtMs = startMs + FALLBACK_WAIT_SECONDS * 1e3;
    note = `The provider did not say when the code expires; waiting at most ${FALLBACK_WAIT_SECONDS / 60} minutes (set the timeout input to change this).`;
  }
  return {
    ...expiresAtMs !== void 0 && { expiresAtMs },
    ...timeoutAtMs !== void 0 && { timeoutAtMs },
    deadlineMs: Math.min(expiresAtMs ?? Infinity, timeoutAtMs ?? Infinity),
    ...note && { note }
  };
}
var SHORT_TIMEOUT_SECONDS = 60;
function checkTimeout(config, device, deadlines) {
  const { timeoutSeconds } = config;
  if (timeoutSeconds === void 0 || deadlines.timeoutAtMs !== deadlines.deadlineMs)
    return void 0;
  const shown5 = formatDuration(timeoutSeconds * 1e3);
  if (timeoutSeconds * 1e3 <= device.intervalSeconds * 1e3 + POLL_MARGIN_MS) {
    throw new InputError(
      "timeout",
      `is ${shown5}, but the provider's polling interval is ${device.intervalSeconds} s: the wait would end before the first poll, so nobody could approve. The code was not shown. Give the person minutes (for example 10m).`
    );
  }
  if (timeoutSeconds < SHORT_TIMEOUT_SECONDS) {
    return `The timeout input is ${shown5} (a number without a unit is seconds: 10m is ten minutes); a person rarely opens the link, signs in and approves that fast.`;
  }
  return void 0;
}

// src/flow/device-login.ts
var LONG = { maxLength: MESSAGE_MAX_LENGTH };
async function deviceLogin(ctx, runner2, events, config, metadata, client, quirks, shown5 = {}) {
  const { clock } = ctx;
  const device = await requestDeviceAuthorization(
    ctx,
    { name: "device authorization endpoint", url: metadata.deviceAuthorizationEndpoint },
    client,
    {
      ...config.scope && { scope: config.scope },
      ...config.audience && { audience: config.audience },
      resources: config.resources,
      extraParams: config.extraParams
    }
  );
  runner2.setSecret(device.deviceCode);
  for (const note of device.notes)
    runner2.warning(safeText(`The provider's device authorization response: ${note}.`, LONG));
  const shownAtMs = clock.now();
  const deadlines = deadlinesOf(device, config, shownAtMs);
  if (deadlines.note) runner2.warning(safeText(deadlines.note, LONG));
  const timeoutWarning = checkTimeout(config, device, deadlines);
  if (timeoutWarning) runner2.warning(safeText(timeoutWarning, LONG));
  const prompt = {
    device,
    clientId: safeText(config.clientId),
    ...config.scope && { scope: safeText(config.scope, { maxLength: 500 }) },
    deadlineMs: deadlines.deadlineMs,
    ...deadlines.expiresAtMs !== void 0 && deadlines.expiresAtMs > deadlines.deadlineMs && { codeExpiresAtMs: deadlines.expiresAtMs },
    origin: runOrigin(runner2.env),
    ...shown5
  };
  await events.emit({ type: "code-ready", prompt, atMs: shownAtMs });
  if (config.scope?.split(" ").includes("openid")) prepareIdTokenVerification();
  const reminders = new ReminderSchedule(shownAtMs);
  const tokenEndpoint = { name: "token endpoint", url: metadata.tokenEndpoint };
  const grant = new URLSearchParams({
    grant_type: DEVICE_CODE_GRANT,
    device_code: device.deviceCode
  });
  const tokens = await pollForTokens({
    clock,
    ...ctx.signal && { signal: ctx.signal },
    endpoint: tokenEndpoint,
    intervalSeconds: device.intervalSeconds,
    ...deadlines.expiresAtMs !== void 0 && { expiresAtMs: deadlines.expiresAtMs },
    ...deadlines.timeoutAtMs !== void 0 && { timeoutAtMs: deadlines.timeoutAtMs },
    attempt: (timeoutMs) => requestToken(ctx, tokenEndpoint, client, grant, timeoutMs),
    denialErrors: quirks.denialErrors,
    onEvent: (event) => {
      if (event.type !== "tick") void events.emit({ type: "poll", event });
      if (reminders.due(clock.now()))
        void events.emit({ type: "reminder", prompt, atMs: clock.now() });
    }
  });
  return { tokens, shownAtMs, approvedAtMs: clock.now() };
}

// src/oauth/github-api.ts
function gitHubApiUrl(env) {
  return (env["GITHUB_API_URL"] || "https://api.github.com").replace(/\/+$/, "");
}
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
    const where = capitalize(describeEndpoint(endpoint));
    if (read.status === 401 || read.status === 403 || read.status === 404) {
      return {
        kind: "refused",
        status: read.status,
        // GitHub answers 404 for credentials it does not accept, as for an app it does not know.
        message: `${where} answered HTTP ${read.status}${said}: GitHub did not accept the app's client credentials (its Client ID and a current client secret), or does not know the app.`
      };
    }
    if (read.status === 422) {
      return {
        kind: "refused",
        status: read.status,
        message: `${where} answered HTTP 422${said}: GitHub did not accept the token for revocation; it may already be revoked or expired.`
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

// src/flow/revocation-plan.ts
function planRevocation(tokens, inputs) {
  if (inputs.revoke === "none") return {};
  const { refreshToken } = inputs;
  if (refreshToken && (inputs.revoke !== "all" || inputs.refreshTokenKept)) {
    return {
      note: inputs.refreshTokenKept ? "The tokens are not revoked when the job ends: the refresh token is kept for later jobs, and revoking the access token could revoke it as well (RFC 7009 \xA72.1 allows a provider to)." : "The tokens are not revoked when the job ends: the provider also issued a refresh token, and revoking the access token could revoke it as well (RFC 7009 \xA72.1 allows a provider to). Set revoke: all to revoke both, or revoke: none to skip this."
    };
  }
  const common = {
    clientId: inputs.client.clientId,
    clientAuthMethod: inputs.client.method,
    tokenEndpoint: inputs.metadata.tokenEndpoint,
    ...tokens.expiresInSeconds !== void 0 && {
      accessTokenExpiresAtMs: inputs.nowMs + tokens.expiresInSeconds * 1e3
    }
  };
  if (inputs.github) {
    if (!inputs.client.clientSecret) {
      return {
        note: "The access token is not revoked when the job ends: GitHub's API revokes a token only with the app's client secret. Set client-secret to revoke it, or revoke: none to skip this."
      };
    }
    return {
      state: {
        plan: {
          api: "github",
          url: gitHubApiFor(inputs.metadata.tokenEndpoint, inputs.env),
          ...common
        },
        accessToken: tokens.accessToken
      },
      ...refreshToken && {
        note: "GitHub cannot revoke a refresh token on its own (only the app's whole authorization for the user, which the action never does): the post step revokes the access token only."
      }
    };
  }
  if (!inputs.metadata.revocationEndpoint) {
    return {
      note: "The provider publishes no revocation_endpoint (RFC 7009), so the token is not revoked when the job ends. Set revocation-endpoint if it has one, or revoke: none to skip this."
    };
  }
  return {
    state: {
      plan: { api: "rfc7009", url: inputs.metadata.revocationEndpoint, ...common },
      accessToken: tokens.accessToken,
      ...refreshToken && { refreshToken }
    }
  };
}
function gitHubApiFor(tokenEndpoint, env) {
  const issued = new URL(tokenEndpoint);
  const runnerServer = env["GITHUB_SERVER_URL"] || "https://github.com";
  if (URL.canParse(runnerServer) && new URL(runnerServer).origin === issued.origin)
    return gitHubApiUrl(env);
  return issued.hostname === "github.com" ? "https://api.github.com" : `${issued.origin}/api/v3`;
}

// src/flow/discard.ts
var DISCARD_BUDGET_MS = 8e3;
async function discardTokens(discard, tokens, whose) {
  const { runner: runner2, config, metadata, client } = discard;
  const ctx = {
    ...discard.ctx,
    signal: AbortSignal.timeout(DISCARD_BUDGET_MS),
    requestTimeoutMs: Math.min(discard.ctx.requestTimeoutMs, 5e3)
  };
  const lasts = lifetimeOf(tokens);
  if (config.provider.name === "github") {
    if (!config.clientSecret) {
      runner2.info(
        shown2(
          `GitHub revokes a token only with the app's client secret, and client-secret is not set: ${whose} token is never output, but stays valid ${lasts} unless they revoke it (GitHub \u2192 Settings \u2192 Applications).`
        )
      );
      return;
    }
    report(
      runner2,
      whose,
      "token",
      await revokeGitHubToken(
        ctx,
        gitHubApiFor(metadata.tokenEndpoint, runner2.env),
        config.clientId,
        config.clientSecret,
        tokens.accessToken
      ),
      lasts
    );
    return;
  }
  if (!metadata.revocationEndpoint) {
    runner2.info(
      shown2(
        `The provider has no revocation endpoint (revocation_endpoint in discovery, or the revocation-endpoint input): ${whose} tokens are never output, but stay valid ${lasts}.`
      )
    );
    return;
  }
  const endpoint = { name: "revocation endpoint", url: metadata.revocationEndpoint };
  if (tokens.refreshToken) {
    const result2 = await revokeToken(ctx, endpoint, client, tokens.refreshToken, "refresh_token");
    report(runner2, whose, "refresh token", result2, "until it expires");
  }
  const result = await revokeToken(ctx, endpoint, client, tokens.accessToken, "access_token");
  report(runner2, whose, "access token", result, lasts);
}
function report(runner2, whose, what, result, lasts) {
  if (result.kind === "revoked") runner2.info(shown2(`Revoked ${whose} ${what}; it is never output.`));
  else
    runner2.warning(
      shown2(`Could not revoke ${whose} ${what}: ${result.message} It stays valid ${lasts}.`)
    );
}
function shown2(text2) {
  return safeText(text2, { maxLength: MESSAGE_MAX_LENGTH });
}
function lifetimeOf(tokens) {
  return tokens.expiresInSeconds !== void 0 ? `until it expires (${Math.round(tokens.expiresInSeconds / 60)} min)` : "until it expires";
}

// src/oauth/identity.ts
var MAX_SUBJECT_LENGTH = 255;
var MAX_NAME_LENGTH = 200;
var ApproverError = class extends ActionError {
  name = "ApproverError";
};
function approverFromClaims(claims, source = "ID token") {
  const subject = claims["sub"];
  if (typeof subject !== "string" || subject === "") return void 0;
  checkSubject(subject, source);
  const username = nonEmptyString(claims["preferred_username"]);
  const email = nonEmptyString(claims["email"]);
  const emailVerified = claims["email_verified"] === true;
  const shownSubject = safeText(subject, { maxLength: MAX_SUBJECT_LENGTH });
  let note;
  if (!username && email && !emailVerified) {
    note = `The ${source} names the email ${safeText(email, { maxLength: 100 })}, but does not say it is verified (email_verified is ${claims["email_verified"] === void 0 ? "missing" : safeText(JSON.stringify(claims["email_verified"]), { maxLength: 20 })}), so the approver is named by sub instead.`;
  }
  const name = username ?? (emailVerified ? email : void 0);
  return {
    name: name ? safeText(name, { maxLength: MAX_NAME_LENGTH }) : shownSubject,
    subject,
    shownSubject,
    ...note && { note }
  };
}
function nonEmptyString(value) {
  return typeof value === "string" && value.trim() !== "" ? value : void 0;
}
function checkSubject(subject, source) {
  const problem = subject.length > MAX_SUBJECT_LENGTH ? `is ${subject.length} characters long; OpenID Connect allows at most ${MAX_SUBJECT_LENGTH}` : !/^[\x20-\x7E]+$/.test(subject) ? "has characters outside printable ASCII (OpenID Connect Core \xA72)" : safeText(subject, { maxLength: MAX_SUBJECT_LENGTH }) !== subject ? "has workflow command syntax (## followed by [, or :: at the start) that a later step printing it would run" : void 0;
  if (problem) {
    throw new ApproverError(
      `The ${source} names the approver by a sub that ${problem}. Who approved cannot be recorded from it.`
    );
  }
}
async function fetchUserInfo(ctx, api, accessToken, expectedSubject) {
  const read = await getJson(ctx, api.endpoint, {
    ...api.headers,
    Authorization: `Bearer ${accessToken}`
  });
  if (read.status !== 200 || !read.fields)
    throw unusableResponse(api.endpoint, read, "a JSON object about the user");
  const fields = read.fields;
  const subject = fields[api.subjectField];
  const subjectText = typeof subject === "number" ? String(subject) : subject;
  if (typeof subjectText !== "string" || subjectText === "") {
    throw new ProviderResponseError(
      api.endpoint,
      200,
      `The ${api.endpoint.name} answered without ${api.subjectField}.`
    );
  }
  if (expectedSubject !== void 0 && subjectText !== expectedSubject) {
    throw new ProviderResponseError(
      api.endpoint,
      200,
      `The ${api.endpoint.name} describes a different user than the ID token.`
    );
  }
  return { subject: subjectText, fields };
}
function approverFromUserInfo(api, info) {
  const claims = api.nameField === "preferred_username" ? info.fields : { ...info.fields, preferred_username: info.fields[api.nameField] };
  return approverFromClaims({ ...claims, sub: info.subject }, api.endpoint.name);
}

// src/policy/identity.ts
function verifiedIdentityFrom(subject, claims, source, usernameField = "preferred_username") {
  const username = nonEmpty(claims[usernameField]);
  const email = claims["email_verified"] === true ? nonEmpty(claims["email"]) : void 0;
  return {
    subject,
    ...username !== void 0 && { username },
    ...email !== void 0 && { email },
    claims,
    source
  };
}
function nonEmpty(value) {
  return typeof value === "string" && value.trim() !== "" ? value : void 0;
}
function claimValue(claims, name) {
  if (Object.hasOwn(claims, name)) return claims[name];
  if (!name.includes(".")) return void 0;
  let value = claims;
  for (const part of name.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return void 0;
    if (!Object.hasOwn(value, part)) return void 0;
    value = value[part];
  }
  return value;
}
function displayName(identity) {
  return shown3(identity.email ?? identity.username ?? identity.subject);
}
function shown3(text2) {
  const visible = text2.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, " ").trim();
  if (visible === "") return "(nothing visible)";
  return visible.length > 120 ? `${visible.slice(0, 119)}\u2026` : visible;
}

// src/runner/outputs.ts
function maskTokens(runner2, tokens) {
  for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
    if (secret) runner2.setSecret(secret);
  }
}
function refreshTokenToStore(tokens, refreshTokenInput, refreshed) {
  const value = tokens.refreshToken ?? (refreshed ? refreshTokenInput : void 0);
  return { ...value && { value }, mustStore: value !== void 0 && value !== refreshTokenInput };
}
function publishTokens(runner2, tokens, options) {
  maskTokens(runner2, tokens);
  const refreshToken = options.refreshToken ?? refreshTokenToStore(tokens, void 0, false);
  if (refreshToken.value) runner2.setSecret(refreshToken.value);
  runner2.setOutput("access-token", tokens.accessToken);
  if (refreshToken.value) runner2.setOutput("refresh-token", refreshToken.value);
  runner2.setOutput("refresh-token-rotated", String(refreshToken.mustStore));
  if (tokens.idToken) runner2.setOutput("id-token", tokens.idToken);
  if (tokens.tokenType) runner2.setOutput("token-type", tokens.tokenType);
  if (tokens.expiresInSeconds !== void 0) {
    runner2.setOutput("expires-in", String(Math.floor(tokens.expiresInSeconds)));
    runner2.setOutput("expires-at", isoSeconds(options.nowMs + tokens.expiresInSeconds * 1e3));
  }
  if (tokens.refreshTokenExpiresInSeconds !== void 0) {
    runner2.setOutput(
      "refresh-token-expires-at",
      isoSeconds(options.nowMs + tokens.refreshTokenExpiresInSeconds * 1e3)
    );
  }
  if (tokens.scope) runner2.setOutput("scope", tokens.scope);
  if (options.approver) {
    runner2.setOutput("approver", options.approver.name);
    runner2.setOutput("approver-subject", options.approver.subject);
  }
  const approvers = options.approvers ?? (options.approver ? [options.approver] : []);
  if (approvers.length > 0)
    runner2.setOutput("approvers", JSON.stringify(approvers.map((approver) => approver.name)));
}

// src/flow/identify.ts
async function identify(ctx, runner2, config, metadata, received) {
  maskTokens(runner2, received);
  let tokens = received;
  let approver;
  let identity;
  let noIdentityHelp;
  if (tokens.idToken) {
    if (metadata.issuer && metadata.jwksUri) {
      const claims = await verifyIdToken(ctx, tokens.idToken, {
        issuer: metadata.issuer,
        clientId: config.clientId,
        jwksUri: metadata.jwksUri,
        ...config.clientSecret && { clientSecret: config.clientSecret }
      });
      approver = approverFromClaims(claims, "ID token");
      identity = verifiedIdentityFrom(claims.sub, claims, "ID token");
    } else {
      const { idToken: _withheld, ...rest } = tokens;
      tokens = rest;
      runner2.warning(
        safe`The provider returned an ID token, but the action cannot verify it without the provider's keys (jwks_uri, found by discovery). It is not output; set issuer so that discovery runs.`
      );
      noIdentityHelp = "The ID token could not be verified without the provider's keys (jwks_uri): set issuer so that discovery runs.";
    }
  }
  const api = userApiOf(config, metadata);
  if (!approver && api && !usableAsBearer(tokens)) {
    const type = tokens.tokenType === void 0 ? safe`no token_type` : safe`token_type "${safeText(tokens.tokenType, { maxLength: 40 })}"`;
    runner2.warning(
      safe`The token endpoint answered with ${type}, not Bearer (RFC 6749 §5.1 and §7.1), so the action does not present the token itself to ask the ${safeText(api.endpoint.name)} who approved. The token is output as it came.`
    );
    noIdentityHelp = `The token endpoint answered with ${type}, not Bearer, so the action did not ask the ${api.endpoint.name} who approved; add the openid scope for an ID token.`;
  } else if (!approver && api) {
    try {
      const info = await fetchUserInfo(ctx, api, tokens.accessToken);
      approver = approverFromUserInfo(api, info);
      identity = verifiedIdentityFrom(info.subject, info.fields, api.endpoint.name, api.nameField);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      runner2.warning(
        safe`Could not find out who approved: ${safeText(why, { maxLength: MESSAGE_MAX_LENGTH })}`
      );
      noIdentityHelp = `The ${api.endpoint.name} did not say who approved: ${why}`;
    }
  }
  if (approver?.note) runner2.warning(safeText(approver.note, { maxLength: MESSAGE_MAX_LENGTH }));
  if (!approver && !api) {
    runner2.notice(
      safe`The provider returned no ID token and has no userinfo endpoint, so who approved is not recorded. Add the openid scope to record it.`,
      safe`Approver unknown`
    );
  }
  return {
    tokens,
    ...approver && { approver },
    ...identity && { identity },
    ...!identity && noIdentityHelp && { noIdentityHelp }
  };
}
function userApiOf(config, metadata) {
  if (metadata.userinfoEndpoint) {
    return {
      endpoint: { name: "userinfo endpoint", url: metadata.userinfoEndpoint },
      nameField: "preferred_username",
      subjectField: "sub"
    };
  }
  return config.provider.userApi?.(metadata.tokenEndpoint);
}

// src/flow/normalize.ts
function normalizeTokens(config, received) {
  const tokens = config.provider.normalizeTokens?.(received) ?? received;
  return tokens.scope === void 0 && config.scope ? { ...tokens, scope: config.scope } : tokens;
}

// src/policy/github-membership.ts
var ORG_SCOPES = ["read:org", "write:org", "admin:org"];
var ATTEMPTS = 3;
var HOW_TO_GRANT = 'With an OAuth App, add read:org to the scope input; with a GitHub App, give it the "Members" organization permission (read) and install it in the organization.';
function gitHubMembership(ctx, options) {
  const base = options.apiBaseUrl.replace(/\/+$/, "");
  return {
    async check(query) {
      const org = encodeURIComponent(query.org);
      const url = query.team === void 0 ? `${base}/user/memberships/orgs/${org}` : `${base}/orgs/${org}/teams/${encodeURIComponent(query.team)}/memberships/${encodeURIComponent(options.login)}`;
      const name = query.team === void 0 ? `@${query.org}` : `@${query.org}/${query.team}`;
      const answer = await getWithRetries(ctx, url, options.accessToken);
      if ("failure" in answer)
        return {
          status: "unknown",
          problem: `Could not ask GitHub about ${name}: ${answer.failure}.`
        };
      return interpret(answer, name);
    }
  };
}
function interpret(answer, name) {
  const { status, headers, fields } = answer;
  const message = typeof fields?.["message"] === "string" ? ` GitHub says: "${safeText(String(fields["message"]), { maxLength: 200 })}".` : "";
  const scopes = headers["x-oauth-scopes"];
  if (scopes) {
    const granted = scopes.split(",").map((scope) => scope.trim());
    if (!granted.some((scope) => ORG_SCOPES.includes(scope))) {
      return {
        status: "unknown",
        problem: `The approver's token has the scopes ${granted.join(", ")} but not read:org, which GitHub needs to show membership of ${name}. Add read:org to the scope input.`
      };
    }
  }
  if (status === 200) {
    const state = fields?.["state"];
    if (state === "active") return { status: "member" };
    if (state === "pending")
      return { status: "not-member", detail: `was invited to ${name} but has not accepted` };
    return {
      status: "unknown",
      problem: `GitHub answered about ${name} without a membership state ("active" or "pending").`
    };
  }
  if (status === 404) {
    return {
      status: "not-member",
      detail: `is not a member of ${name} as far as GitHub shows (it answers 404 also when the team does not exist, or when the token may not see memberships: ${HOW_TO_GRANT})`
    };
  }
  if (status === 403) {
    if (headers["x-github-sso"]) {
      return {
        status: "unknown",
        problem: `The organization of ${name} uses SAML single sign-on, and the approver's token is not authorized for it. The approver must authorize the app for the organization (GitHub \u2192 Settings \u2192 Applications) and approve again.`
      };
    }
    return {
      status: "unknown",
      problem: `GitHub refused to show membership of ${name} (HTTP 403).${message} ${HOW_TO_GRANT} An organization with OAuth App access restrictions must also approve the app.`
    };
  }
  if (status === 401) {
    return {
      status: "unknown",
      problem: `GitHub rejected the approver's token when asked about ${name} (HTTP 401).${message}`
    };
  }
  if (status === 301 || status === 302 || status === 307 || status === 308) {
    return {
      status: "unknown",
      problem: `GitHub redirected the question about ${name} (HTTP ${status}); the organization or team was probably renamed. Use its current name in allowed-approvers.`
    };
  }
  return {
    status: "unknown",
    problem: `GitHub answered HTTP ${status} when asked about ${name}.${message}`
  };
}
async function getWithRetries(ctx, url, accessToken) {
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw new CancelledError();
    let retryAfterMs;
    try {
      const response = await ctx.http({
        method: "GET",
        url,
        headers: {
          Accept: "application/vnd.github+json",
          "X-GitHub-Api-Version": "2022-11-28",
          Authorization: `Bearer ${accessToken}`
        },
        timeoutMs: ctx.requestTimeoutMs,
        ...ctx.signal && { signal: ctx.signal }
      });
      const read = readResponse(response, ctx.clock.now());
      const transient = response.status === 429 || response.status >= 500;
      if (!transient || attempt >= ATTEMPTS) {
        return {
          status: response.status,
          headers: response.headers,
          ...read.fields && { fields: read.fields }
        };
      }
      retryAfterMs = read.retryAfterMs;
    } catch (error) {
      if (ctx.signal?.aborted) throw new CancelledError();
      if (!(error instanceof TransportFailure)) throw error;
      if (attempt >= ATTEMPTS) return { failure: safeText(error.detail, { maxLength: 300 }) };
    }
    const delayMs = Math.min(
      retryAfterMs ?? backoffDelayMs(attempt, DEFAULT_BACKOFF, ctx.clock.random()),
      1e4
    );
    await ctx.clock.sleep(delayMs, ctx.signal);
  }
}

// src/policy/text-match.ts
function exact(text2) {
  return text2.normalize("NFC");
}
function emailForm(text2) {
  return text2.normalize("NFC").toLowerCase().normalize("NFC");
}
var INVISIBLE2 = /[\p{Cf}\p{Cc}\s]/gu;
function looseForm(text2) {
  return text2.normalize("NFKC").replace(INVISIBLE2, "").toLowerCase().normalize("NFKC");
}
function globMatches(pattern, text2) {
  const p = Array.from(pattern);
  const t = Array.from(text2);
  let pi = 0;
  let ti = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] !== "*" && p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === "*") {
      starAt = pi++;
      resumeAt = ti;
    } else if (starAt !== -1) {
      pi = starAt + 1;
      ti = ++resumeAt;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

// src/policy/judge.ts
var NO_IDENTITY_HELP = "The provider gave no verified identity of the approver: no ID token that could be verified, and no userinfo endpoint that answered. Add openid to the scope input, and set issuer so that the ID token can be verified.";
async function judgeApproval(policy, identity, context) {
  const findings = [];
  if (!identity) {
    for (const rule of rulesNeedingIdentity(policy, context)) {
      findings.push({
        rule,
        result: "unknown",
        text: `${ruleInWords(rule)} cannot be judged. ${context.noIdentityHelp ?? NO_IDENTITY_HELP}`
      });
    }
    return verdictOf("the approver (identity unknown)", findings);
  }
  const who = displayName(identity);
  if (context.earlier.length > 0) findings.push(distinctPerson(identity, who, policy, context));
  findings.push(
    context.refreshed ? {
      rule: "allow-self-approval",
      result: "unchecked",
      text: "Whether the approver started the run does not arise: the token came from a stored refresh token, and nobody approved during this run."
    } : selfApproval(policy.selfApproval, identity, who)
  );
  if (policy.allowedApprovers.length > 0) {
    const refusedAlready = findings.some((finding) => finding.result === "broken");
    findings.push(await allowedApprover(policy, identity, who, context, refusedAlready));
  }
  for (const requirement of policy.requiredClaims)
    findings.push(requiredClaim(requirement, identity, who));
  return verdictOf(who, findings);
}
function verdictOf(approver, findings) {
  const broken = findings.find((finding) => finding.result === "broken");
  const unknown = findings.find((finding) => finding.result === "unknown");
  const outcome = broken ? "refused" : unknown ? "undecidable" : "allowed";
  const reason = (broken ?? unknown)?.text;
  return { outcome, approver, findings, ...reason && { reason } };
}
function rulesNeedingIdentity(policy, context) {
  const rules = [];
  if (policy.approvals > 1) rules.push("approvals");
  const selfCheck = policy.selfApproval.kind === "github-login" || policy.selfApproval.kind === "claim";
  if (selfCheck && !context.refreshed) rules.push("allow-self-approval");
  if (policy.allowedApprovers.length > 0) rules.push("allowed-approvers");
  if (policy.requiredClaims.length > 0) rules.push("required-claims");
  return rules;
}
function ruleInWords(rule) {
  switch (rule) {
    case "approvals":
      return "Whether this is a different person from the earlier approvers (approvals)";
    case "allow-self-approval":
      return "Whether the approver started the run (allow-self-approval: false)";
    case "allowed-approvers":
      return "Whether the approver is in allowed-approvers";
    case "required-claims":
      return "Whether the approver has the required-claims";
  }
}
function distinctPerson(identity, who, policy, context) {
  const of = `approval ${context.approvalNumber} of ${policy.approvals}`;
  const same = context.earlier.findIndex((earlier) => earlier.subject === identity.subject);
  if (same !== -1) {
    return {
      rule: "approvals",
      result: "broken",
      text: `${who} already gave approval ${same + 1} of ${policy.approvals}; ${of} must come from a different person (approvals: ${policy.approvals}).`
    };
  }
  return {
    rule: "approvals",
    result: "holds",
    text: `${who} is a different person from ${context.earlier.map((earlier) => shown3(earlier.name)).join(" and ")} (${of}).`
  };
}
function selfApproval(rule, identity, who) {
  const finding = (result, text2) => ({
    rule: "allow-self-approval",
    result,
    text: text2
  });
  switch (rule.kind) {
    case "allowed":
      return finding(
        "unchecked",
        "The person who started the run may approve it (allow-self-approval: true)."
      );
    case "undetectable":
      return finding(
        "unchecked",
        "Whether the approver started the run was not checked: an OpenID Connect identity does not say which GitHub user it is. Set self-approval-claim and run-actor to check it."
      );
    case "github-login": {
      const login = identity.username;
      if (login === void 0)
        return finding(
          "unknown",
          `GitHub's user API gave no login for ${who}, so whether they started the run cannot be told.`
        );
      const actor = rule.runActors.find(
        (candidate) => looseForm(candidate.value) === looseForm(login)
      );
      if (actor) {
        return finding(
          "broken",
          `${shown3(login)} started this run (${actor.from}) and may not approve it (allow-self-approval is false).`
        );
      }
      return finding(
        "holds",
        `${shown3(login)} did not start this run (${rule.runActors.map((a) => `${a.from} is ${shown3(a.value)}`).join(", ")}).`
      );
    }
    case "claim": {
      const values = selfApprovalValues(rule.claim, identity);
      if (values === void 0) {
        return finding(
          "unknown",
          `${who} has no ${rule.claim === "email" ? "verified email address" : `${rule.claim} claim`} (self-approval-claim: ${rule.claim}), so whether they started the run cannot be told. ${claimHelp(rule.claim)}`
        );
      }
      const hit = rule.runActors.find(
        (actor) => values.some((value) => looseForm(value) === looseForm(actor.value))
      );
      if (hit) {
        return finding(
          "broken",
          `${who} started this run (their ${rule.claim} is ${shown3(hit.value)}, the run-actor) and may not approve it (allow-self-approval is false).`
        );
      }
      return finding(
        "holds",
        `${who} did not start this run (their ${rule.claim} is not ${rule.runActors.map((a) => shown3(a.value)).join(" or ")}).`
      );
    }
  }
}
function selfApprovalValues(claim, identity) {
  if (claim === "email") return identity.email === void 0 ? void 0 : [identity.email];
  const value = claimValue(identity.claims, claim);
  const values = (Array.isArray(value) ? value : [value]).filter(isScalar).map(String);
  return values.length > 0 ? values : void 0;
}
function isScalar(value) {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
async function allowedApprover(policy, identity, who, context, refusedAlready) {
  const finding = (result, text2) => ({
    rule: "allowed-approvers",
    result,
    text: text2
  });
  for (const entry of policy.allowedApprovers) {
    const matched = patternMatch(entry, identity, policy.provider);
    if (matched) return finding("holds", `${who} is in allowed-approvers (${matched}).`);
  }
  const memberships = policy.allowedApprovers.filter(
    (entry) => entry.kind !== "pattern"
  );
  const unknowns = [];
  if (memberships.length > 0 && refusedAlready) {
    return finding(
      "unchecked",
      `GitHub was not asked whether ${who} is in ${memberships.map((e) => e.text).join(", ")}: another rule already refused them.`
    );
  }
  const notMember = [];
  for (const entry of memberships) {
    if (!context.membership || identity.username === void 0) {
      unknowns.push(
        `GitHub could not be asked whether ${who} is in ${entry.text}: the approver's login and token are needed.`
      );
      continue;
    }
    const answer = await context.membership.check(
      entry.kind === "team" ? { org: entry.org, team: entry.team } : { org: entry.org }
    );
    if (answer.status === "member")
      return finding("holds", `${who} is an active member of ${entry.text} (allowed-approvers).`);
    if (answer.status === "unknown") unknowns.push(answer.problem);
    else notMember.push(`${shown3(identity.username)} ${answer.detail}`);
  }
  const emailEntries = policy.allowedApprovers.filter(
    (entry) => entry.kind === "pattern" && entry.matches === "email"
  );
  if (emailEntries.length > 0 && identity.email === void 0) {
    unknowns.unshift(
      `${who} has no verified email address in the ${identity.source}, so the email entries of allowed-approvers (${emailEntries.map((e) => e.text).join(", ")}) cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`
    );
  }
  if (unknowns.length > 0) return finding("unknown", unknowns.join(" "));
  return finding(
    "broken",
    `${who} is not in allowed-approvers (compared: ${comparedFields(identity)}${notMember.length > 0 ? `; ${notMember.join("; ")}` : ""}).`
  );
}
function patternMatch(entry, identity, provider) {
  if (entry.kind !== "pattern") return void 0;
  if (entry.matches === "email") {
    if (identity.email === void 0) return void 0;
    return globMatches(emailForm(entry.text), emailForm(identity.email)) ? `email matches ${entry.text}` : void 0;
  }
  const username = identity.username;
  if (username !== void 0) {
    const form = provider === "github" ? emailForm : exact;
    if (globMatches(form(entry.text), form(username))) return `username matches ${entry.text}`;
  }
  if (globMatches(exact(entry.text), exact(identity.subject)))
    return `subject matches ${entry.text}`;
  return void 0;
}
function comparedFields(identity) {
  const fields = [
    ...identity.email !== void 0 ? [`email ${shown3(identity.email)}`] : ["no verified email"],
    ...identity.username !== void 0 ? [`username ${shown3(identity.username)}`] : [],
    `subject ${shown3(identity.subject)}`
  ];
  return fields.join(", ");
}
function requiredClaim(requirement, identity, who) {
  const finding = (result, text2) => ({
    rule: "required-claims",
    result,
    text: text2
  });
  const { claim, value: wanted } = requirement;
  if (claim === "email") {
    if (identity.email === void 0) {
      return finding(
        "unknown",
        `${who} has no verified email address, so required-claims ${requirement.text} cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`
      );
    }
    return emailForm(identity.email) === emailForm(wanted) ? finding("holds", `${who} has email ${shown3(wanted)} (required-claims).`) : finding(
      "broken",
      `${who} does not have email ${shown3(wanted)} (required-claims: ${requirement.text}).`
    );
  }
  const value = claimValue(identity.claims, claim);
  if (value === void 0 || value === null) {
    return finding(
      "unknown",
      `${who} has no ${claim} claim (looked for in the ${identity.source}), so required-claims ${requirement.text} cannot be judged. ${claimHelp(claim)}`
    );
  }
  if (Array.isArray(value)) {
    const held = value.filter(isScalar).map(String);
    if (held.some((item) => exact(item) === exact(wanted)))
      return finding("holds", `${who}'s ${claim} includes ${shown3(wanted)} (required-claims).`);
    return finding(
      "broken",
      `${who}'s ${claim} (${listed(held)}) does not include ${shown3(wanted)} (required-claims: ${requirement.text}).`
    );
  }
  if (!isScalar(value)) {
    return finding(
      "unknown",
      `${who}'s ${claim} claim is an object, not a value, so required-claims ${requirement.text} cannot be judged. Name a member inside it with a dot (for example realm_access.roles=release).`
    );
  }
  if (exact(String(value)) === exact(wanted))
    return finding("holds", `${who}'s ${claim} is ${shown3(wanted)} (required-claims).`);
  return finding(
    "broken",
    `${who}'s ${claim} is ${shown3(String(value))}, not ${shown3(wanted)} (required-claims: ${requirement.text}).`
  );
}
function listed(values) {
  if (values.length === 0) return "empty";
  const first = values.slice(0, 10).map(shown3).join(", ");
  return values.length > 10 ? `${first} and ${values.length - 10} more` : first;
}
function claimHelp(claim) {
  switch (claim) {
    case "amr":
      return "amr (RFC 8176) says how the person signed in, and only some providers send it: Entra ID and Okta do; Auth0 sends it only after multi-factor sign-in; Google sends none.";
    case "groups":
      return "Have the provider put the groups claim into the ID token or userinfo (Okta: a groups claim on the authorization server; Entra ID: groupMembershipClaims in the app manifest; Keycloak: a group membership mapper), and ask for the scope that carries it.";
    case "email":
      return "Add email to the scope input; the provider must mark the address verified (email_verified).";
    default:
      return `Have the provider add the ${claim} claim to the ID token or userinfo (a claim mapping at the provider), and ask for the scope that carries it.`;
  }
}

// src/flow/policy.ts
var ApprovalRefusedError = class extends ActionError {
  constructor(message, approver, rule) {
    super(message);
    this.approver = approver;
    this.rule = rule;
  }
  approver;
  rule;
  name = "ApprovalRefusedError";
};
async function checkPolicy(gate, identified, place) {
  const { policy } = gate;
  let identity = identified.identity;
  const judge = (who) => judgeApproval(policy, who, {
    approvalNumber: place.turn.number,
    earlier: place.earlier,
    ...place.refreshed && { refreshed: true },
    ...identified.noIdentityHelp && { noIdentityHelp: identified.noIdentityHelp },
    ...who && membershipOf(gate, who, identified)
  });
  let verdict = await judge(identity);
  if (verdict.outcome === "undecidable" && identity?.source === "ID token") {
    const fuller = await withUserinfoClaims(gate, identity, identified.tokens.accessToken);
    if (fuller) {
      identity = fuller;
      verdict = await judge(identity);
    }
  }
  if (verdict.outcome === "allowed") return verdict;
  const refusal = verdict.findings.find((finding) => finding.result === "broken") ?? verdict.findings.find((finding) => finding.result === "unknown");
  const message = verdict.outcome === "refused" ? `The approval by ${verdict.approver} was refused: ${verdict.reason}` : `The approval by ${verdict.approver} was refused because the approval policy cannot be judged: ${verdict.reason}`;
  await gate.events.emit({
    type: "refused",
    atMs: gate.ctx.clock.now(),
    ...identified.approver && { approver: identified.approver },
    reason: verdict.reason ?? message,
    ...refusal && { rule: refusal.rule },
    findings: verdict.findings,
    turn: place.turn
  });
  await discardTokens(gate, identified.tokens, `the refused approval's (${verdict.approver})`);
  throw new ApprovalRefusedError(message, verdict.approver, refusal?.rule);
}
function membershipOf(gate, identity, identified) {
  const needed = gate.policy.allowedApprovers.some((entry) => entry.kind !== "pattern");
  const userApi = userApiOf(gate.config, gate.metadata);
  if (!needed || gate.policy.provider !== "github" || !userApi || identity.username === void 0)
    return {};
  return {
    membership: gitHubMembership(gate.ctx, {
      apiBaseUrl: userApi.endpoint.url.replace(/\/user$/, ""),
      accessToken: identified.tokens.accessToken,
      login: identity.username
    })
  };
}
async function withUserinfoClaims(gate, identity, accessToken) {
  const userinfo = gate.metadata.userinfoEndpoint;
  if (!userinfo) return void 0;
  let fields;
  try {
    const info = await fetchUserInfo(
      gate.ctx,
      {
        endpoint: { name: "userinfo endpoint", url: userinfo },
        nameField: "preferred_username",
        subjectField: "sub"
      },
      accessToken,
      identity.subject
    );
    fields = info.fields;
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    gate.runner.warning(
      safe`The userinfo endpoint did not add the claims the approval policy needs: ${safeText(error instanceof Error ? error.message : error, { maxLength: MESSAGE_MAX_LENGTH })}`
    );
    return void 0;
  }
  const claims = { ...fields, ...identity.claims };
  if (identity.claims["email_verified"] !== true && fields["email_verified"] === true) {
    claims["email"] = fields["email"];
    claims["email_verified"] = true;
  }
  return verifiedIdentityFrom(identity.subject, claims, "ID token and userinfo endpoint");
}

// src/flow/revocation-state.ts
var STATE_PLAN = "revocation-plan";
var STATE_ACCESS_TOKEN = "revoke-access-token";
var STATE_REFRESH_TOKEN = "revoke-refresh-token";
function saveRevocationState(save, state) {
  save(STATE_PLAN, JSON.stringify(state.plan));
  if (state.accessToken) save(STATE_ACCESS_TOKEN, state.accessToken);
  if (state.refreshToken) save(STATE_REFRESH_TOKEN, state.refreshToken);
}

// src/flow/post-state.ts
function saveForPostStep(runner2, config, metadata, client, tokens, refreshed, nowMs) {
  const refreshToken = tokens.refreshToken ?? (refreshed ? config.refreshToken : void 0);
  const plan = planRevocation(tokens, {
    revoke: config.revoke,
    github: config.provider.name === "github",
    client,
    metadata,
    ...refreshToken && { refreshToken },
    refreshTokenKept: refreshToken !== void 0 && (config.storeRefreshToken !== void 0 || refreshToken === config.refreshToken),
    env: runner2.env,
    nowMs
  });
  if (plan.note) runner2.info(safeText(plan.note, { maxLength: MESSAGE_MAX_LENGTH }));
  if (!plan.state) return;
  for (const token of [plan.state.accessToken, plan.state.refreshToken])
    if (token) runner2.setSecret(token);
  saveRevocationState((name, value) => runner2.saveState(name, value), plan.state);
}

// src/policy/describe.ts
function policyInForce(policy) {
  const enforced = policy.configured || policy.selfApproval.kind === "github-login";
  return enforced ? describePolicy(policy) : [];
}
function describePolicy(policy) {
  const lines = [
    {
      label: "Who may approve",
      text: policy.allowedApprovers.length === 0 ? "anyone who can sign in at the provider" : policy.allowedApprovers.map(entryInWords).join(", ")
    }
  ];
  if (policy.requiredClaims.length > 0) {
    lines.push({
      label: "Must have",
      text: policy.requiredClaims.map(
        ({ claim, value }) => claim === "email" ? `verified email ${value}` : `${claim} = ${value}`
      ).join(" and ")
    });
  }
  lines.push({ label: "Self-approval", text: selfApprovalInWords(policy.selfApproval) });
  if (policy.approvals > 1) {
    lines.push({
      label: "Approvals",
      text: `${policy.approvals} different people, one after the other`
    });
  }
  return lines;
}
function entryInWords(entry) {
  switch (entry.kind) {
    case "pattern":
      return entry.text;
    case "org":
      return `members of ${entry.text}`;
    case "team":
      return `members of team ${entry.text}`;
  }
}
function selfApprovalInWords(rule) {
  switch (rule.kind) {
    case "allowed":
      return "allowed (the person who started the run may approve it)";
    case "undetectable":
      return "not checked (an OpenID Connect identity does not say which GitHub user it is; see self-approval-claim)";
    case "github-login":
      return `not allowed: not ${rule.runActors.map((actor) => shown3(actor.value)).join(" or ")}, who started the run`;
    case "claim":
      return `not allowed: the approver's ${rule.claim} must not be ${rule.runActors.map((actor) => shown3(actor.value)).join(" or ")}`;
  }
}
function approvalHeading(approvalNumber, approvals, earlierNames) {
  if (approvals <= 1) return void 0;
  if (approvalNumber === 1) return `Approval 1 of ${approvals}`;
  return `Approval ${approvalNumber} of ${approvals}: a different person (not ${earlierNames.map(shown3).join(" or ")})`;
}

// src/flow/grant.ts
async function refreshedGrant(stage, refreshed) {
  const received = normalizeTokens(stage.config, refreshed);
  keepForPostStep(stage, received, true, stage.ctx.clock.now());
  const { approver, tokens } = await identifyAndCheck(stage, received, {
    turn: { number: 1, of: 1 },
    earlier: [],
    refreshed: true
  });
  const atMs = stage.ctx.clock.now();
  await stage.events.emit({ type: "refreshed", atMs, ...approver && { approver } });
  return { tokens, atMs, ...approver && { approver } };
}
async function approvedGrant(stage) {
  const { policy } = stage;
  const approved = await approveInTurn(
    policy.approvals,
    async (turn, earlier) => {
      const login = await deviceLogin(
        stage.ctx,
        stage.runner,
        stage.events,
        stage.config,
        stage.metadata,
        stage.client,
        stage.quirks,
        promptPolicy(policy, turn, earlier)
      );
      const received = normalizeTokens(stage.config, login.tokens);
      if (turn.number === 1) keepForPostStep(stage, received, false, login.approvedAtMs);
      const { tokens: tokens2, approver: approver2, identity, verdict } = await identifyAndCheck(stage, received, {
        turn,
        earlier
      });
      await stage.events.emit({
        type: "approved",
        atMs: login.approvedAtMs,
        shownAtMs: login.shownAtMs,
        ...approver2 && { approver: approver2 },
        turn,
        ...worthSaying(policy, verdict) && { findings: verdict.findings }
      });
      return {
        tokens: tokens2,
        ...approver2 && { approver: approver2 },
        ...identity && { subject: identity.subject },
        shownAtMs: login.shownAtMs,
        approvedAtMs: login.approvedAtMs
      };
    },
    (tokens2, whose) => discardTokens(stage, tokens2, whose)
  );
  const { approver, tokens } = approved.first;
  return {
    tokens,
    atMs: approved.all.at(-1)?.approvedAtMs ?? stage.ctx.clock.now(),
    ...approver && { approver },
    ...policy.approvals > 1 && {
      approvers: approved.all.flatMap((approval) => approval.approver ?? [])
    }
  };
}
function keepForPostStep(stage, tokens, refreshed, atMs) {
  const { runner: runner2, config, metadata, client } = stage;
  saveForPostStep(runner2, config, metadata, client, tokens, refreshed, atMs);
}
async function identifyAndCheck(stage, received, place) {
  const { ctx, runner: runner2, config, metadata } = stage;
  const identified = await identify(ctx, runner2, config, metadata, received);
  const verdict = await checkPolicy(stage, identified, place);
  return { ...identified, verdict };
}
function promptPolicy(policy, turn, earlier) {
  const heading = approvalHeading(
    turn.number,
    turn.of,
    earlier.map((approval) => approval.name)
  );
  const lines = policyInForce(policy);
  return {
    ...heading && { approval: { ...turn, heading } },
    ...lines.length > 0 && { policy: lines }
  };
}
function worthSaying(policy, verdict) {
  return policy.configured || verdict.findings.some((finding) => finding.result !== "unchecked");
}

// src/flow/advice.ts
function standardAdvice(body, kind) {
  switch (body.error) {
    case "invalid_client":
      return kind === "device-authorization" || kind === "device-token" ? "The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method. With private_key_jwt, the assertion is addressed to the token endpoint; a provider that wants the URL being called instead refuses it." : "The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method.";
    case "unauthorized_client":
      return kind === "refresh" ? "The client may not use refresh tokens: enable the refresh token grant for it at the provider." : "The client may not use the device flow: enable the OAuth 2.0 Device Authorization Grant for it at the provider. With private_key_jwt, the provider may also be refusing the assertion (its audience).";
    case "invalid_scope":
      return "The client may not ask for these scopes: check the scope input against what the client is allowed.";
    case "invalid_target":
      return "The provider does not know the requested resource: check the resource and audience inputs.";
    case "unsupported_grant_type":
      return kind === "refresh" ? "The provider does not support refresh tokens for this client." : "The provider does not support the device flow for this client.";
    case "unsupported_token_type":
      return "The provider cannot revoke this kind of token (RFC 7009 \xA72.2.1).";
    case "invalid_grant":
      return kind === "refresh" ? "The stored refresh token is expired, revoked, or was already used (rotated). Run the device flow again (on-refresh-failure: device asks a person when this happens) and store the new refresh token." : "The device code is no longer valid: it expired, or was already used.";
    case "invalid_request":
      return "The provider rejected the request as malformed: check extra-params, audience and resource.";
    case "server_error":
    case "temporarily_unavailable":
      return "The provider is failing; try again later.";
    default:
      return void 0;
  }
}
function adviceFor(body, kind, advisors) {
  return advisors.map((advise6) => advise6(body, kind)).find(Boolean) ?? standardAdvice(body, kind);
}

// src/flow/failure.ts
function failureOf2(error, quirks) {
  if (error instanceof CancelledError) return { ending: "cancelled", message: error.message };
  if (error instanceof WaitEndedError) return { ending: error.ending, message: error.message };
  if (error instanceof ApprovalRefusedError) {
    return {
      ending: "refused",
      message: error.message,
      refusal: {
        approver: error.approver,
        ...error.rule && { rule: error.rule },
        reason: error.message
      }
    };
  }
  if (error instanceof ActionError)
    return { ending: "failed", message: explainError(error, quirks) };
  return {
    ending: "failed",
    message: `Unexpected error: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}. Please report this with the debug log (re-run with debug logging).`,
    ...error instanceof Error && error.stack && { stack: error.stack }
  };
}
function explainError(error, quirks) {
  if (error instanceof ClientKeyError)
    return new InputError("client-private-key", error.message).message;
  if (error instanceof RefreshRefusedError) {
    return `${error.message} Set on-refresh-failure: device to ask a person instead when this happens, and store the new refresh token.`;
  }
  if (error instanceof OAuthError) {
    const advice = adviceFor(error.body, error.request, quirks?.advisors ?? []);
    const page = errorPageOf(error.body);
    return [error.message, advice, page && `More: ${page}`].filter(Boolean).join(" ");
  }
  return error.message;
}

// src/flow/refresh.ts
async function refreshIfPossible(ctx, runner2, config, client, tokenEndpoint, quirks) {
  if (config.mode === "device") {
    if (config.refreshToken !== void 0)
      runner2.info(
        safe`mode: device asks a person; the refresh-token input is not exchanged, only compared with the new refresh token (refresh-token-rotated).`
      );
    return void 0;
  }
  if (config.refreshTokenMissing) {
    runner2.warning(
      safe`The refresh-token input is empty, so there is nothing to refresh: asking a person with the device flow instead (on-refresh-failure: device). If this step was meant to refresh, the secret is empty or missing: check its name (a misspelt \${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets). Store the refresh token this run returns.`
    );
    return void 0;
  }
  if (config.refreshToken === void 0) return void 0;
  try {
    const tokens = await refreshTokens(
      ctx,
      tokenEndpoint,
      client,
      config.refreshToken,
      config.scope
    );
    maskTokens(runner2, tokens);
    return tokens;
  } catch (error) {
    if (!isDeadRefreshToken(error, quirks) || config.onRefreshFailure !== "device") throw error;
    runner2.warning(
      safeText(
        `${error.message} Starting the device flow instead (on-refresh-failure: device): store the new refresh token this run returns.`,
        { maxLength: MESSAGE_MAX_LENGTH }
      )
    );
    return void 0;
  }
}
function isDeadRefreshToken(error, quirks) {
  if (error instanceof RefreshRefusedError) return true;
  return error instanceof OAuthError && quirks.deadRefreshTokenErrors.has(error.error);
}

// src/runner/escape.ts
var ENTITIES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "[": "&#91;",
  "]": "&#93;",
  "(": "&#40;",
  ")": "&#41;",
  "*": "&#42;",
  _: "&#95;",
  "`": "&#96;",
  "|": "&#124;",
  "\\": "&#92;",
  "!": "&#33;",
  "~": "&#126;",
  "#": "&#35;"
};
var MAX_SUMMARY_TEXT_LENGTH = 2e3;
function escapeHtml(text2, maxLength = MAX_SUMMARY_TEXT_LENGTH) {
  return safeText(text2, { maxLength }).replace(
    /[&<>"'[\]()*_`|\\!~#]/g,
    (c) => ENTITIES[c]
  );
}
function link(url, text2 = url) {
  return `<a href="${escapeHtml(url, 2048)}">${escapeHtml(text2)}</a>`;
}

// src/flow/refresh-token-expiry.ts
var DAY_MS = 24 * 3600 * 1e3;
function refreshTokenExpiresAtMs(config, tokens, nowMs) {
  if (tokens.refreshTokenExpiresInSeconds !== void 0)
    return nowMs + tokens.refreshTokenExpiresInSeconds * 1e3;
  const stillTheStoredOne = tokens.refreshToken === void 0 || tokens.refreshToken === config.refreshToken;
  return stillTheStoredOne ? config.refreshTokenExpiresAtMs : void 0;
}
function expiryWarning(expiresAtMs, warningDays, nowMs) {
  if (expiresAtMs === void 0 || warningDays <= 0) return void 0;
  const leftMs = expiresAtMs - nowMs;
  if (leftMs > warningDays * DAY_MS) return void 0;
  const when2 = leftMs <= 0 ? "has expired" : `expires at ${isoSeconds(expiresAtMs)}, in ${leftMs < DAY_MS ? "less than a day" : `${Math.floor(leftMs / DAY_MS)} day${leftMs < 2 * DAY_MS ? "" : "s"}`}`;
  return `The refresh token ${when2}. Run the workflow with the device flow before then (on-refresh-failure: device, or without refresh-token) so that a person approves again and the new refresh token is stored; jobs that start from the old one will fail.`;
}
async function warnIfRefreshTokenExpires(runner2, config, tokens, nowMs) {
  const warning = expiryWarning(
    refreshTokenExpiresAtMs(config, tokens, nowMs),
    config.expiryWarningDays,
    nowMs
  );
  if (!warning) return;
  runner2.warning(safeText(warning, { maxLength: MESSAGE_MAX_LENGTH }));
  if (!config.summary) return;
  try {
    await runner2.appendSummary(`<p>\u26A0\uFE0F ${escapeHtml(warning)}</p>
`);
  } catch (error) {
    runner2.warning(
      safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
    );
  }
}

// src/secrets/seal.ts
async function sealForGitHub(value, publicKeyBase64) {
  const { default: sodium } = await import("./libsodium-wrappers-E63J2GE2.js");
  await sodium.ready;
  const publicKey = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
  if (publicKey.length !== sodium.crypto_box_PUBLICKEYBYTES) {
    throw new Error(
      `the public key is ${publicKey.length} bytes, not the ${sodium.crypto_box_PUBLICKEYBYTES} of a Curve25519 key`
    );
  }
  const sealed = sodium.crypto_box_seal(value, publicKey);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

// src/secrets/target.ts
var INPUT = "store-refresh-token";
var FORMS = "Write NAME (a repository secret), environment/ENVIRONMENT/NAME or org/NAME (a secret of the organization that owns the repository).";
function parseSecretTarget(value) {
  const text2 = value.trim();
  const environment = /^environment\/(.+)\/([^/]*)$/.exec(text2);
  if (environment) {
    const env = environment[1].trim();
    if (env === "" || /[\u0000-\u001F\u007F]/.test(env) || env.length > 255) {
      throw new InputError(INPUT, `"${shown4(text2)}" names no usable environment. ${FORMS}`);
    }
    return { scope: "environment", environment: env, name: secretName(environment[2]) };
  }
  if (/^environment\//.test(text2)) {
    throw new InputError(
      INPUT,
      `"${shown4(text2)}" needs the environment and the secret name. ${FORMS}`
    );
  }
  const org = /^org\/([^/]*)$/.exec(text2);
  if (org) return { scope: "organization", name: secretName(org[1]) };
  const repository = /^(?:repo\/)?([^/]*)$/.exec(text2);
  if (repository) return { scope: "repository", name: secretName(repository[1]) };
  throw new InputError(INPUT, `"${shown4(text2)}" is not a secret name. ${FORMS}`);
}
function secretName(name) {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,199}$/.test(name)) {
    throw new InputError(
      INPUT,
      `"${shown4(name)}" is not a secret name GitHub accepts: letters, digits and _ only, not starting with a digit. ${FORMS}`
    );
  }
  if (/^GITHUB_/i.test(name)) {
    throw new InputError(INPUT, `"${name}": secret names may not start with GITHUB_.`);
  }
  return name;
}
function shown4(text2) {
  return text2.replace(/[\u0000-\u001F\u007F]/g, " ").slice(0, 100);
}
function describeTarget(target, repository, owner) {
  switch (target.scope) {
    case "repository":
      return `the repository secret ${target.name} of ${repository}`;
    case "environment":
      return `the secret ${target.name} of the environment "${target.environment}" of ${repository}`;
    case "organization":
      return `the organization secret ${target.name} of ${owner}`;
  }
}

// src/secrets/github-secrets.ts
var SecretStoreError = class extends ActionError {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  status;
  name = "SecretStoreError";
};
async function storeSecret(ctx, store, target, value) {
  const description = describeTarget(target, store.repository, store.owner);
  const paths = pathsOf(store, target);
  const headers = { ...GITHUB_API_HEADERS, Authorization: `Bearer ${store.token}` };
  const keyEndpoint = { name: "GitHub secrets API", url: paths.publicKey };
  const keyRead = await withRetries(ctx, keyEndpoint, () => getJson(ctx, keyEndpoint, headers), {
    attempts: 3,
    retryMaybeDelivered: true
  });
  if (keyRead.status !== 200)
    throw apiError(keyRead, keyEndpoint, target, description, "read the public key of");
  const key = keyRead.fields?.["key"];
  const keyId = keyRead.fields?.["key_id"];
  if (typeof key !== "string" || typeof keyId !== "string" || key === "" || keyId === "") {
    throw new SecretStoreError(
      200,
      unusableResponse(keyEndpoint, keyRead, "a JSON object with key and key_id").message
    );
  }
  let encrypted;
  try {
    encrypted = await sealForGitHub(value, key);
  } catch (error) {
    throw new SecretStoreError(
      200,
      `${capitalize(describeEndpoint(keyEndpoint))} sent a public key that cannot seal the secret: ${error instanceof Error ? safeText(error.message) : "unknown error"}.`
    );
  }
  const secretEndpoint = { name: "GitHub secrets API", url: paths.secret };
  const body = { encrypted_value: encrypted, key_id: keyId };
  if (target.scope === "organization")
    Object.assign(body, await organizationVisibility(ctx, store, secretEndpoint, headers));
  const put = await withRetries(
    ctx,
    secretEndpoint,
    () => sendJson(ctx, secretEndpoint, "PUT", headers, body),
    { attempts: 3, retryMaybeDelivered: true }
  );
  if (put.status === 201 || put.status === 204) return { description, created: put.status === 201 };
  throw apiError(put, secretEndpoint, target, description, "write");
}
function pathsOf(store, target) {
  const api = store.apiUrl.replace(/\/+$/, "");
  const repo = store.repository.split("/").map(encodeURIComponent).join("/");
  const base = target.scope === "repository" ? `${api}/repos/${repo}/actions/secrets` : target.scope === "environment" ? `${api}/repos/${repo}/environments/${encodeURIComponent(target.environment)}/secrets` : `${api}/orgs/${encodeURIComponent(store.owner)}/actions/secrets`;
  return { publicKey: `${base}/public-key`, secret: `${base}/${target.name}` };
}
async function organizationVisibility(ctx, store, endpoint, headers) {
  const read = await withRetries(ctx, endpoint, () => getJson(ctx, endpoint, headers), {
    attempts: 3,
    retryMaybeDelivered: true
  });
  const visibility = read.fields?.["visibility"];
  if (read.status === 200 && typeof visibility === "string") return { visibility };
  if (store.repositoryId === void 0) {
    throw new SecretStoreError(
      read.status,
      "Cannot create a new organization secret without GITHUB_REPOSITORY_ID, the repository it would be visible to. Create the secret once by hand (Organization settings \u2192 Secrets and variables \u2192 Actions), then the action keeps it up to date."
    );
  }
  return { visibility: "selected", selected_repository_ids: [store.repositoryId] };
}
function permissionFor(target) {
  switch (target.scope) {
    case "repository":
      return 'the "Secrets" repository permission set to "Read and write" (a classic personal access token: the repo scope)';
    case "environment":
      return 'the "Environments" and "Secrets" repository permissions set to "Read and write" (a classic personal access token: the repo scope)';
    case "organization":
      return 'the "Secrets" organization permission set to "Read and write" (a classic personal access token: the admin:org scope)';
  }
}
function apiError(read, endpoint, target, description, action) {
  const message = read.fields?.["message"];
  const said = typeof message === "string" && message !== "" ? ` ("${safeText(message, { maxLength: 300 })}")` : "";
  const failed = `Could not ${action} ${description}: GitHub answered HTTP ${read.status}${said}.`;
  const advice = (() => {
    switch (read.status) {
      case 401:
        return "GitHub did not accept secrets-token: it is expired, revoked or mistyped. Give a current token.";
      case 403:
        return `secrets-token may not write this secret. The workflow's GITHUB_TOKEN never can (no permissions: setting grants access to secrets): set secrets-token to a fine-grained personal access token or a GitHub App token with ${permissionFor(target)}.`;
      case 404:
        return target.scope === "environment" ? `Either the environment "${target.environment}" does not exist (create it under Settings \u2192 Environments), or secrets-token cannot see the repository (a fine-grained token must list it under Repository access) or lacks ${permissionFor(target)}.` : target.scope === "organization" ? `secrets-token cannot see the organization's secrets: it needs ${permissionFor(target)}, and the repository must belong to an organization, not a personal account.` : `secrets-token cannot see the repository (a fine-grained token must list it under Repository access) or lacks ${permissionFor(target)}.`;
      case 422:
        return `GitHub rejected the request: check the secret name in store-refresh-token (letters, digits and _), and run the job again if the store's key changed meanwhile.`;
      default:
        return read.status >= 500 ? "GitHub is failing; run the job again later." : void 0;
    }
  })();
  if (advice) {
    return new SecretStoreError(
      read.status,
      `${failed} ${advice} The new refresh token is still in the refresh-token output (masked).`
    );
  }
  return new SecretStoreError(
    read.status,
    `${unusableResponse(endpoint, read, "HTTP 201 or 204").message} The new refresh token is still in the refresh-token output (masked).`
  );
}

// src/flow/store-refresh-token.ts
async function storeRefreshToken(ctx, runner2, config, toStore, nowMs) {
  const store = config.storeRefreshToken;
  if (!store) return;
  const where = secretStoreOf(runner2.env, store.token);
  const description = describeTarget(store.target, where.repository, where.owner);
  if (!toStore.value) {
    runner2.warning(
      safeText(
        `The provider returned no refresh token, so ${description} was not updated. Ask for a refresh token (often the offline_access scope), or remove store-refresh-token.`,
        { maxLength: MESSAGE_MAX_LENGTH }
      )
    );
    return;
  }
  if (!toStore.mustStore) {
    runner2.info(
      safeText(`The refresh token was not rotated: ${description} still holds the one in use.`, {
        maxLength: MESSAGE_MAX_LENGTH
      })
    );
    runner2.setOutput("refresh-token-stored", "false");
    return;
  }
  const stored = await storeSecret(ctx, where, store.target, toStore.value);
  const at = isoSeconds(nowMs());
  runner2.setOutput("refresh-token-stored", "true");
  runner2.info(
    safeText(
      `${stored.created ? "Created" : "Updated"} ${stored.description} with the new refresh token at ${at}.`,
      { maxLength: MESSAGE_MAX_LENGTH }
    )
  );
  if (config.summary) {
    try {
      await runner2.appendSummary(
        `<p>Refresh token stored in ${escapeHtml(stored.description)} at ${at}.</p>
`
      );
    } catch (error) {
      runner2.warning(
        safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
      );
    }
  }
}
function secretStoreOf(env, token) {
  const repository = env["GITHUB_REPOSITORY"] ?? "";
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new SecretStoreError(
      void 0,
      "store-refresh-token needs GITHUB_REPOSITORY (owner/repo), which the runner sets in every job; it is missing or malformed here."
    );
  }
  const id = Number(env["GITHUB_REPOSITORY_ID"]);
  return {
    apiUrl: gitHubApiUrl(env),
    repository,
    owner: env["GITHUB_REPOSITORY_OWNER"] || repository.split("/")[0],
    ...Number.isSafeInteger(id) && id > 0 && { repositoryId: id },
    token
  };
}

// src/notify/foreign-text.ts
function plainText(text2, maxLength = 200) {
  return safeText(text2, { maxLength });
}

// src/notify/notification.ts
function headlineOf(notification) {
  if (notification.event === "code-ready") return "Approval needed";
  if (notification.event === "reminder") return "Still waiting for approval";
  const ending = notification.outcome?.ending ?? "failed";
  return OUTCOME_HEADLINES[ending];
}
var OUTCOME_HEADLINES = {
  approved: "Approved",
  refreshed: "Refreshed without asking",
  denied: "Denied",
  refused: "Refused by the approval policy",
  expired: "The code expired",
  "timed-out": "Timed out",
  cancelled: "Cancelled",
  failed: "Failed"
};
function sentenceOf(notification) {
  const outcome = notification.outcome;
  switch (notification.event) {
    case "code-ready":
      return "A workflow run asks you to sign in and approve. Open the link, check the code, and approve only if you expected this run.";
    case "reminder":
      return "The run is still waiting. Open the link and enter the code before it expires.";
    case "ended":
      switch (outcome?.ending) {
        case "approved":
          return outcome.approver ? `Approved by ${plainText(outcome.approver, 100)}. The run goes on with that token.` : "Approved. The run goes on with that token.";
        case "denied":
          return "The request was denied at the sign-in page. The run stopped.";
        case "expired":
          return "Nobody approved before the code expired. The run stopped.";
        case "timed-out":
          return "Nobody approved within the timeout. The run stopped.";
        case "cancelled":
          return "The run was cancelled. The code can no longer be used.";
        case "refreshed":
          return "A stored refresh token was used; nobody needed to approve.";
        default:
          return "The run failed; its log says why. The code can no longer be used.";
      }
  }
}
function isWaiting(notification) {
  return notification.event !== "ended";
}

// src/notify/wording.ts
function wordingOf(notification) {
  const { origin } = notification;
  const askedBy = describeOrigin(origin);
  return {
    link: notification.verificationUriComplete ?? notification.verificationUri,
    userCode: plainText(notification.userCode, 64),
    expires: `${formatUtc(notification.expiresAtMs, notification.atMs)} (in ${formatDuration(notification.expiresAtMs - notification.atMs)})`,
    ...askedBy && { askedBy: plainText(askedBy, 300) },
    // A link the message makes clickable must be one the action would open itself.
    ...origin.runUrl && checkSecureUrl(origin.runUrl).ok && { runUrl: origin.runUrl },
    clientId: plainText(notification.clientId, 200),
    ...notification.scope && { scope: plainText(notification.scope, 300) }
  };
}

// src/notify/discord.ts
var COLORS = { waiting: 2060267, approved: 1736503, ended: 13574702 };
function discordMessage(notification) {
  const words = wordingOf(notification);
  const waiting = isWaiting(notification);
  const approved = notification.outcome?.ending === "approved";
  const fields = [
    ...waiting ? [
      { name: "Code", value: escapeMarkdown(words.userCode), inline: true },
      { name: "Expires", value: escapeMarkdown(words.expires), inline: true },
      { name: "Client", value: escapeMarkdown(words.clientId), inline: true }
    ] : [],
    ...words.askedBy ? [{ name: "Asked by", value: escapeMarkdown(words.askedBy) }] : [],
    ...words.runUrl ? [{ name: "Run", value: markdownLink("Open the run", words.runUrl) }] : []
  ];
  const description = waiting ? `${escapeMarkdown(sentenceOf(notification))}

${markdownLink("Open the sign-in page", words.link)}` : escapeMarkdown(sentenceOf(notification));
  return {
    content: escapeMarkdown(
      waiting ? `${headlineOf(notification)}: enter ${words.userCode}` : headlineOf(notification)
    ),
    embeds: [
      {
        title: headlineOf(notification),
        ...waiting && { url: words.link },
        description,
        color: waiting ? COLORS.waiting : approved ? COLORS.approved : COLORS.ended,
        fields,
        timestamp: new Date(notification.atMs).toISOString()
      }
    ],
    allowed_mentions: { parse: [] }
  };
}
function escapeMarkdown(text2) {
  return text2.replace(/[!-/:-@[-`{-~]/g, "\\$&");
}
function markdownLink(label, url) {
  const target = url.replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/ /g, "%20");
  return `[${escapeMarkdown(label)}](${target})`;
}

// src/notify/generic-json.ts
function genericMessage(notification) {
  const { origin, outcome } = notification;
  const text2 = (value, max = 200) => value === void 0 ? null : plainText(value, max);
  return {
    event: notification.event,
    user_code: plainText(notification.userCode, 64),
    verification_uri: notification.verificationUri,
    verification_uri_complete: notification.verificationUriComplete ?? null,
    expires_at: isoSeconds(notification.expiresAtMs),
    repository: text2(origin.repository),
    workflow: text2(origin.workflow),
    run_id: text2(origin.runId),
    run_url: text2(origin.runUrl, 2048),
    actor: text2(origin.actor),
    client_id: plainText(notification.clientId),
    scope: text2(notification.scope, 1e3),
    outcome: outcome?.ending ?? null,
    approver: text2(outcome?.approver),
    text: `${headlineOf(notification)}. ${sentenceOf(notification)}`,
    sent_at: isoSeconds(notification.atMs)
  };
}

// src/notify/slack.ts
var HEADER_MAX = 150;
function slackMessage(notification) {
  const words = wordingOf(notification);
  const headline = headlineOf(notification);
  const waiting = isWaiting(notification);
  const blocks = [
    { type: "header", text: plain(`${emojiOf(notification)} ${headline}`.slice(0, HEADER_MAX)) },
    richText([[text(sentenceOf(notification))]])
  ];
  if (waiting) {
    blocks.push(
      richText([
        [text("Code: ", { bold: true }), text(words.userCode, { code: true })],
        [text("Expires: ", { bold: true }), text(words.expires)],
        [text("Client: ", { bold: true }), text(words.clientId)],
        ...words.scope ? [[text("Scope: ", { bold: true }), text(words.scope)]] : []
      ])
    );
  }
  const buttons = [
    ...waiting ? [{ ...button("Open the sign-in page", words.link, "open-sign-in"), style: "primary" }] : [],
    ...words.runUrl ? [button("Open the run", words.runUrl, "open-run")] : []
  ];
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  if (words.askedBy)
    blocks.push({ type: "context", elements: [plain(`Asked by ${words.askedBy}`)] });
  const fallback = waiting ? `${headline}: open ${words.link} and enter ${words.userCode} (expires ${words.expires}).` : `${headline}. ${sentenceOf(notification)}`;
  return { text: escapeControl(fallback), mrkdwn: false, blocks };
}
function emojiOf(notification) {
  if (notification.event !== "ended") return "\u{1F510}";
  return notification.outcome?.ending === "approved" ? "\u2705" : "\u26D4";
}
function plain(value) {
  return { type: "plain_text", text: value, emoji: false };
}
function text(value, style) {
  return { type: "text", text: value, ...style && { style } };
}
function richText(rows) {
  const elements = rows.flatMap((row2, index) => index === 0 ? row2 : [text("\n"), ...row2]);
  return { type: "rich_text", elements: [{ type: "rich_text_section", elements }] };
}
function button(label, url, actionId) {
  return { type: "button", text: plain(label), url, action_id: actionId };
}
function escapeControl(value) {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// src/notify/teams.ts
function teamsMessage(notification) {
  const words = wordingOf(notification);
  const waiting = isWaiting(notification);
  const body = [
    {
      type: "TextBlock",
      text: headlineOf(notification),
      size: "Large",
      weight: "Bolder",
      wrap: true,
      style: "heading"
    },
    richText2([run(sentenceOf(notification))])
  ];
  if (waiting) {
    body.push(
      richText2([
        run("Code: ", { weight: "Bolder" }),
        run(words.userCode, { fontType: "Monospace", size: "Large" })
      ]),
      richText2([run("Expires: ", { weight: "Bolder" }), run(words.expires)]),
      richText2([run("Client: ", { weight: "Bolder" }), run(words.clientId)])
    );
    if (words.scope) body.push(richText2([run("Scope: ", { weight: "Bolder" }), run(words.scope)]));
  }
  if (words.askedBy) body.push(richText2([run(`Asked by ${words.askedBy}`, { isSubtle: true })]));
  const actions = [
    ...waiting ? [openUrl("Open the sign-in page", words.link, "positive")] : [],
    ...words.runUrl ? [openUrl("Open the run", words.runUrl)] : []
  ];
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          ...actions.length > 0 && { actions }
        }
      }
    ]
  };
}
function run(text2, style = {}) {
  return { type: "TextRun", text: text2, ...style };
}
function richText2(inlines) {
  return { type: "RichTextBlock", inlines };
}
function openUrl(title, url, style) {
  return { type: "Action.OpenUrl", title, url, ...style && { style } };
}

// src/notify/webhook-kind.ts
var KIND_NAMES = {
  slack: "Slack",
  teams: "Microsoft Teams",
  discord: "Discord",
  json: "JSON"
};
function webhookKind(url) {
  const host = url.hostname.toLowerCase();
  const path = url.pathname;
  if ((host === "hooks.slack.com" || host === "hooks.slack-gov.com") && path.startsWith("/services/"))
    return "slack";
  if (host.endsWith(".logic.azure.com") && path.includes("/workflows/") || host.endsWith(".api.powerplatform.com") || host.endsWith(".webhook.office.com"))
    return "teams";
  if (["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"].includes(host) && path.startsWith("/api/webhooks/"))
    return "discord";
  return "json";
}
function webhookBody(kind, notification) {
  switch (kind) {
    case "slack":
      return slackMessage(notification);
    case "teams":
      return teamsMessage(notification);
    case "discord":
      return discordMessage(notification);
    case "json":
      return genericMessage(notification);
  }
}

// src/notify/inputs.ts
var MAX_WEBHOOKS = 10;
function readWebhooks(value, setSecret) {
  const lines = value.split(/\r?\n/).map((line, index) => ({ url: line.trim(), line: index + 1 })).filter(({ url }) => url !== "" && !url.startsWith("#"));
  for (const { url } of lines) setSecret(url);
  if (lines.length > MAX_WEBHOOKS)
    throw new InputError(
      "notify-webhook",
      `has ${lines.length} URLs; at most ${MAX_WEBHOOKS} are allowed.`
    );
  const seen = /* @__PURE__ */ new Map();
  return lines.map(({ url, line }) => {
    const check = checkSecureUrl(url);
    if (!check.ok) {
      throw new InputError(
        "notify-webhook",
        `line ${line} ${check.problem.replace("which would send tokens in clear text", "which would send the notification in clear text")}. Give the webhook's https:// URL, from a secret.`
      );
    }
    const earlier = seen.get(check.url.href);
    if (earlier !== void 0)
      throw new InputError(
        "notify-webhook",
        `line ${line} repeats line ${earlier}; give each webhook once.`
      );
    seen.set(check.url.href, line);
    const kind = webhookKind(check.url);
    return {
      url,
      kind,
      label: `notify-webhook line ${line} (${KIND_NAMES[kind]}, ${check.url.host})`
    };
  });
}

// src/providers/preset.ts
function anyHost(endpoints, test) {
  return [endpoints.issuer, endpoints.deviceAuthorizationEndpoint, endpoints.tokenEndpoint].some(
    (url) => {
      if (!url || !URL.canParse(url)) return false;
      return test(new URL(url).hostname.toLowerCase());
    }
  );
}

// src/providers/auth0.ts
var advise = (body, kind) => {
  switch (body.error) {
    case "unauthorized_client":
      return "Auth0 runs the device flow only for an application of type Native with Device Code ticked (Applications \u2192 your app \u2192 Advanced Settings \u2192 Grant Types), the OIDC Conformant toggle on, and Token Endpoint Authentication Method None (so give no client-secret).";
    case "invalid_grant":
      return kind === "refresh" ? "Auth0 no longer accepts this refresh token: it expired, was revoked, or (with refresh token rotation) was already used, in which case Auth0 revokes the whole family. Run the device flow again (on-refresh-failure: device) and store the new refresh token." : "Auth0 answers expired_token once and invalid_grant after that: the device code has expired or was already used. Run the job again.";
    case "access_denied":
      return kind === "device-authorization" && /service not found/i.test(body.errorDescription ?? "") ? "Auth0 does not know the audience: set it to the Identifier of an API registered in the tenant (Applications \u2192 APIs)." : void 0;
    default:
      return void 0;
  }
};
var auth0 = {
  name: "Auth0",
  // Tenants on a custom domain are not recognized; the protocol works the same, without this advice.
  recognizes: (endpoints) => anyHost(endpoints, (host) => host.endsWith(".auth0.com")),
  advisor: advise
};

// src/providers/entra.ts
var ADVICE = {
  "53003": "Conditional Access blocked the sign-in. Many tenants block the device code flow on purpose (device code phishing); ask your Entra administrator for a Conditional Access exception for this app, or use another flow.",
  "530032": "A Conditional Access security policy of the tenant blocked the sign-in; tenants often block the device code flow on purpose. Ask your Entra administrator.",
  "50131": "Conditional Access refused the sign-in (device state, risk or policy); tenants often block the device code flow on purpose. Ask your Entra administrator.",
  "50097": "Conditional Access requires a compliant or registered device; ask your Entra administrator.",
  "50076": "Multi-factor authentication is required: the approver must complete it when signing in.",
  "65001": "Nobody has consented to the requested scopes for this app: an administrator can grant consent in the app registration (API permissions).",
  "700016": "The app (client-id) was not found in this tenant: check client-id and the tenant in the issuer URL.",
  "7000218": 'The app registration is confidential: turn on "Allow public client flows" in its Authentication settings, or give client-secret.',
  "700025": "The app registration is a public client, so it must not send a secret or key: remove client-secret (or client-private-key).",
  "7000215": "The client-secret is wrong: use the secret's Value, not its Secret ID.",
  "7000222": "The client secret has expired: create a new one in the app registration (Certificates & secrets).",
  "50194": "The app registration is single-tenant, so the common endpoint cannot be used: put the tenant ID in the issuer (https://login.microsoftonline.com/<tenant-id>/v2.0).",
  "70019": "The code expired before it was approved; run the job again.",
  "70018": "The approver typed a wrong code; run the job again and enter the code exactly as shown.",
  "50196": "Entra detected a request loop (too many identical requests): wait a few minutes before running the job again.",
  "700082": "The refresh token expired after a period without use. Run the device flow again (on-refresh-failure: device) and store the new refresh token.",
  "50173": "The refresh token was revoked (password change or an administrator). Run the device flow again (on-refresh-failure: device).",
  "90002": "The tenant in the issuer URL does not exist: check it.",
  "50020": "The approver's account is not in this tenant: use the organizations or common tenant, or invite the account."
};
var entraAdvisor = (body) => {
  const code = /AADSTS(\d+)/.exec(body.errorDescription ?? "")?.[1];
  return code ? ADVICE[code] : void 0;
};
var ENTRA_DENIAL_ERRORS = ["authorization_declined"];
var ENTRA_HOSTS = /* @__PURE__ */ new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn"
]);
var entra = {
  name: "Microsoft Entra ID",
  recognizes: (endpoints) => anyHost(endpoints, (host) => ENTRA_HOSTS.has(host)),
  advisor: (body, kind) => {
    if (body.error === "bad_verification_code" && kind === "device-token") {
      return "Entra ID did not recognize the device code. This is not something to fix in the workflow: run the job again.";
    }
    return void 0;
  }
};

// src/providers/github.ts
var advise2 = (body, kind) => {
  switch (body.error) {
    case "device_flow_disabled":
      return `The device flow is not enabled for this app. In the app's settings on GitHub (Settings \u2192 Developer settings \u2192 OAuth Apps or GitHub Apps \u2192 your app), tick "Enable Device Flow" and save.`;
    case "incorrect_client_credentials":
      return "GitHub does not know this client-id (or the client-secret is wrong). Use the Client ID shown on the app's settings page (not the App ID), and a current client secret.";
    case "incorrect_device_code":
      return "GitHub did not recognize the device code. This is not something to fix in the workflow: run the job again.";
    case "unsupported_grant_type":
      return kind === "refresh" ? "GitHub issues refresh tokens only to GitHub Apps with expiring user tokens; an OAuth App's token does not expire and cannot be refreshed." : "GitHub rejected the grant type; this is a bug in the action, please report it.";
    case "bad_refresh_token":
      return "The refresh token is expired, revoked, or was already used (GitHub rotates it on every refresh). Run the device flow again (on-refresh-failure: device) and store the new refresh token.";
    case "unverified_user_email":
      return "The approver's GitHub account has no verified primary email address; they must verify it (GitHub \u2192 Settings \u2192 Emails) and approve again.";
    case "unauthorized_client":
      return kind === "refresh" ? "GitHub refused the refresh. A refresh token from the web flow needs the client-secret as well as the client-id; one from the device flow needs only the client-id." : "The app may not use this grant: check that the device flow is enabled in the app's settings.";
    default:
      return void 0;
  }
};
var github = {
  name: "github",
  fixedEndpoints: (serverUrl) => {
    const base = serverUrl.replace(/\/+$/, "");
    return {
      deviceAuthorizationEndpoint: `${base}/login/device/code`,
      tokenEndpoint: `${base}/login/oauth/access_token`
    };
  },
  commaSeparatedScopes: true,
  // GitHub documents client_id and client_secret as form parameters.
  secretAuthMethod: "client_secret_post",
  normalizeTokens: (tokens) => tokens.scope === void 0 ? tokens : {
    ...tokens,
    scope: tokens.scope.split(/[,\s]+/).filter(Boolean).join(" ")
  },
  advisors: [advise2],
  // GitHub's name for RFC 6749's invalid_grant on a refresh.
  deadRefreshTokenErrors: ["bad_refresh_token"],
  // GitHub issues no id_token; its REST API names the token's owner (GET /user).
  userApi: (tokenEndpoint) => {
    const server = new URL(tokenEndpoint);
    const api = server.hostname === "github.com" ? "https://api.github.com" : `${server.origin}/api/v3`;
    return {
      endpoint: { name: "GitHub user API", url: `${api}/user` },
      headers: { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" },
      nameField: "login",
      subjectField: "id"
    };
  }
};

// src/providers/google.ts
var advise3 = (body, kind) => {
  const said = body.errorDescription ?? "";
  switch (body.error) {
    case "invalid_client":
    case "unauthorized_client":
      return `Google runs the device flow only for an OAuth client of the type "TVs and Limited Input devices" (Google Cloud console \u2192 APIs & Services \u2192 Credentials \u2192 Create credentials \u2192 OAuth client ID). Use that client's ID as client-id and its secret as client-secret.`;
    case "invalid_scope":
      return "Google allows only a short list of scopes in the device flow (openid, email, profile, drive.file, youtube and a few more): see https://developers.google.com/identity/protocols/oauth2/limited-input-device#allowedscopes";
    case "invalid_request":
      return kind !== "device-authorization" && /secret/i.test(said) ? `Google's token endpoint wants the client secret, even for a "TVs and Limited Input devices" client: set client-secret (and client-auth-method: client_secret_post).` : void 0;
    case "admin_policy_enforced":
      return "The approver's Google Workspace administrator does not allow one or more of the requested scopes for this app; ask them to allow the app (Admin console \u2192 Security \u2192 API controls), or ask for fewer scopes.";
    case "org_internal":
      return "The OAuth client belongs to a project whose consent screen is limited to one Google Cloud organization (user type Internal): approve with an account of that organization, or make the consent screen External.";
    default:
      return void 0;
  }
};
var google = {
  name: "Google",
  recognizes: (endpoints) => anyHost(
    endpoints,
    (host) => host === "accounts.google.com" || host.endsWith(".googleapis.com")
  ),
  advisor: advise3
};

// src/providers/keycloak.ts
var advise4 = (body) => {
  const said = body.errorDescription ?? "";
  if (body.error === "unauthorized_client" && /device authorization grant/i.test(said)) {
    return "Switch the grant on for this client in the Keycloak admin console: Clients \u2192 your client \u2192 Settings \u2192 Capability config \u2192 OAuth 2.0 Device Authorization Grant.";
  }
  if ((body.error === "unauthorized_client" || body.error === "invalid_client") && /invalid client/i.test(said)) {
    return "Keycloak did not accept the client: check client-id and the realm in the issuer. A client with Client authentication on is confidential and needs client-secret; turn Client authentication off for a public client.";
  }
  return void 0;
};
function isKeycloak(endpoints) {
  return [endpoints.deviceAuthorizationEndpoint, endpoints.tokenEndpoint].some(
    (url) => /\/realms\/[^/]+\/protocol\/openid-connect\//.test(url)
  );
}
var keycloak = {
  name: "Keycloak",
  recognizes: isKeycloak,
  advisor: advise4
};

// src/providers/okta.ts
var SWITCHES = "The app must be a Native (OIDC) app with Device Authorization ticked under Grant type (Admin Console \u2192 Applications \u2192 your app \u2192 General); for a custom authorization server, its access policy rule must include Device Authorization too (Security \u2192 API \u2192 your server \u2192 Access Policies).";
var advise5 = (body, kind) => {
  switch (body.error) {
    case "unauthorized_client":
      return `Okta does not allow this client the device flow. ${SWITCHES}`;
    case "access_denied":
      return kind === "device-authorization" ? `Okta's authorization server policy refused the request. ${SWITCHES}` : void 0;
    case "invalid_client":
      return `Okta did not accept the client: check client-id, and give client-secret only when the app's Client authentication is "Client secret".`;
    default:
      return void 0;
  }
};
var OKTA_DOMAINS = [".okta.com", ".oktapreview.com", ".okta-emea.com", ".okta-gov.com"];
var okta = {
  name: "Okta",
  // Orgs on a custom domain are not recognized; the protocol works the same, without this advice.
  recognizes: (endpoints) => anyHost(endpoints, (host) => OKTA_DOMAINS.some((domain) => host.endsWith(domain))),
  advisor: advise5
};

// src/providers/index.ts
var oidc = { name: "oidc", advisors: [] };
var PROVIDERS = { oidc, github };
var RECOGNIZED = [entra, google, auth0, okta, keycloak];
function quirksFor(preset, endpoints) {
  const recognized = endpoints ? RECOGNIZED.filter((provider) => provider.recognizes(endpoints)) : [];
  return {
    advisors: [...preset.advisors, ...recognized.map((provider) => provider.advisor), entraAdvisor],
    denialErrors: new Set(ENTRA_DENIAL_ERRORS),
    // RFC 6749 §5.2: invalid_grant is the standard's name for a refresh token that is no good.
    deadRefreshTokenErrors: /* @__PURE__ */ new Set(["invalid_grant", ...preset.deadRefreshTokenErrors ?? []])
  };
}

// src/inputs.ts
var MODES = ["auto", "refresh", "device"];
var RESERVED_PARAMS = {
  client_id: "use the client-id input",
  client_secret: "use the client-secret input",
  client_assertion: "use client-private-key with client-auth-method: private_key_jwt",
  client_assertion_type: "use client-private-key with client-auth-method: private_key_jwt",
  grant_type: "the action sets it",
  device_code: "the action sets it",
  refresh_token: "use the refresh-token input",
  scope: "use the scope input",
  audience: "use the audience input",
  resource: "use the resource input"
};
function readConfig(source) {
  const clientSecret = optional(source.getInput("client-secret"));
  const refreshToken = optional(source.getInput("refresh-token"));
  const clientPrivateKey = optional(source.getInput("client-private-key"));
  const secretsToken = optional(source.getInput("secrets-token"));
  if (secretsToken) source.setSecret(secretsToken);
  if (clientSecret) source.setSecret(clientSecret);
  if (refreshToken) source.setSecret(refreshToken);
  if (clientPrivateKey) maskKey(clientPrivateKey, source);
  const webhooks = readWebhooks(source.getInput("notify-webhook"), (url) => source.setSecret(url));
  const provider = readProvider(source.getInput("provider"));
  const clientId = source.getInput("client-id");
  if (!clientId) {
    throw new InputError(
      "client-id",
      "is required. Set it to the OAuth client ID registered at your identity provider."
    );
  }
  if (!/^[\x21-\x7E]{1,512}$/.test(clientId)) {
    throw new InputError(
      "client-id",
      "must be printable ASCII without spaces, at most 512 characters."
    );
  }
  const endpoints = readEndpoints(source, provider);
  const clientAuthMethod = readClientAuthMethod(
    source.getInput("client-auth-method"),
    clientSecret,
    clientPrivateKey
  );
  if (clientPrivateKey) checkPrivateKey(clientPrivateKey);
  const audience = optional(source.getInput("audience"));
  const timeoutSeconds = parseTimeout(source.getInput("timeout"));
  const storeRefreshToken2 = readSecretStore(source.getInput("store-refresh-token"), secretsToken);
  const refreshTokenExpiresAtMs2 = readInstant(
    "refresh-token-expires-at",
    source.getInput("refresh-token-expires-at")
  );
  return {
    provider,
    endpoints,
    clientId,
    ...clientSecret && { clientSecret },
    ...clientPrivateKey && { clientPrivateKey },
    clientAuthMethod,
    ...optionalField("scope", readScope(source.getInput("scope"), provider)),
    ...audience && { audience: singleLine("audience", audience) },
    resources: readResources(source.getInput("resource")),
    extraParams: parseExtraParams(source.getInput("extra-params")),
    ...readRefresh(source, refreshToken),
    ...timeoutSeconds !== void 0 && { timeoutSeconds },
    summary: readBoolean("summary", source.getInput("summary"), true),
    revoke: readChoice("revoke", source.getInput("revoke") || "access-token", [
      "access-token",
      "all",
      "none"
    ]),
    ...storeRefreshToken2 && { storeRefreshToken: storeRefreshToken2 },
    expiryWarningDays: readDays(
      "refresh-token-expiry-warning-days",
      source.getInput("refresh-token-expiry-warning-days"),
      7
    ),
    ...refreshTokenExpiresAtMs2 !== void 0 && { refreshTokenExpiresAtMs: refreshTokenExpiresAtMs2 },
    notify: {
      webhooks,
      reminders: readBoolean("notify-reminders", source.getInput("notify-reminders"), false)
    },
    qrCode: readBoolean("qr-code", source.getInput("qr-code"), true)
  };
}
function readSecretStore(value, token) {
  if (value === "") return void 0;
  const target = parseSecretTarget(value);
  if (!token) {
    throw new InputError(
      "secrets-token",
      `is required with store-refresh-token: a token that may write the secret. The workflow's GITHUB_TOKEN cannot write secrets; use a fine-grained personal access token or a GitHub App token with the "Secrets" permission set to "Read and write", passed from a secret.`
    );
  }
  return { target, token };
}
function readDays(input, value, fallback) {
  if (value === "") return fallback;
  if (!/^\d{1,4}$/.test(value) || Number(value) > 3650)
    throw new InputError(
      input,
      `"${value.slice(0, 40)}" is not a number of days (0 to 3650; 0 turns the warning off).`
    );
  return Number(value);
}
function readInstant(input, value) {
  if (value === "") return void 0;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new InputError(
      input,
      `"${value.slice(0, 40)}" is not an ISO 8601 time with a zone, such as 2027-05-01T12:00:00Z (what the refresh-token-expires-at output holds).`
    );
  return ms;
}
function optional(value) {
  return value === "" ? void 0 : value;
}
function optionalField(key, value) {
  return value === void 0 ? {} : { [key]: value };
}
function readRefresh(source, refreshToken) {
  const mode = readChoice("mode", source.getInput("mode") || "auto", MODES);
  const onFailureInput = source.getInput("on-refresh-failure");
  const onRefreshFailure = readChoice(
    "on-refresh-failure",
    onFailureInput || "fail",
    ["fail", "device"]
  );
  const emptySecret = "the secret is empty or missing: check its name (a misspelt ${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets)";
  if (mode === "refresh") {
    if (onRefreshFailure === "device") {
      throw new InputError(
        "on-refresh-failure",
        "is device, but mode: refresh never asks a person. Remove on-refresh-failure, or use mode: auto to fall back to the device flow."
      );
    }
    if (!refreshToken) {
      throw new InputError(
        "refresh-token",
        `is empty, and mode: refresh never asks a person; ${emptySecret}. For a first run that asks a person, use mode: device once and store the refresh token it returns.`
      );
    }
  }
  if (mode === "device" && onFailureInput !== "") {
    throw new InputError(
      "on-refresh-failure",
      "has no effect with mode: device, which always asks a person and never refreshes. Remove it."
    );
  }
  if (mode === "auto" && !refreshToken && onFailureInput === "fail") {
    throw new InputError(
      "refresh-token",
      `is empty, but on-refresh-failure: fail says this step is meant to refresh, so ${emptySecret}. To ask a person when there is no refresh token yet, set on-refresh-failure: device.`
    );
  }
  return {
    mode,
    ...refreshToken && { refreshToken },
    onRefreshFailure,
    refreshTokenMissing: mode === "auto" && !refreshToken && onFailureInput === "device"
  };
}
function readProvider(value) {
  const name = (value || "oidc").toLowerCase();
  const preset = Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : void 0;
  if (!preset) {
    throw new InputError(
      "provider",
      `"${value}" is not a known provider. Use one of: ${Object.keys(PROVIDERS).join(", ")}.`
    );
  }
  return preset;
}
function readEndpoints(source, provider) {
  const url = (name) => {
    const value = optional(source.getInput(name));
    if (value === void 0) return void 0;
    const check = checkSecureUrl(value);
    if (!check.ok) throw new InputError(name, `"${shownUrl(value)}" ${check.problem}.`);
    return value;
  };
  const issuer = url("issuer");
  if (issuer?.includes("?")) {
    throw new InputError(
      "issuer",
      "must not have a ?query part (RFC 8414 \xA72); give the issuer exactly as the provider publishes it."
    );
  }
  const discoveryUrl = url("discovery-url");
  let deviceAuthorizationEndpoint = url("device-authorization-endpoint");
  let tokenEndpoint = url("token-endpoint");
  const revocationEndpoint = url("revocation-endpoint");
  if (provider.fixedEndpoints) {
    const serverInput = optional(source.getInput("github-server-url"));
    const server = serverInput ?? (source.env["GITHUB_SERVER_URL"] || "https://github.com");
    const check = checkSecureUrl(server);
    if (!check.ok)
      throw new InputError("github-server-url", `"${shownUrl(server)}" ${check.problem}.`);
    if (issuer || discoveryUrl) {
      throw new InputError(
        issuer ? "issuer" : "discovery-url",
        `is not used with provider: ${provider.name}, which has no discovery; remove it (the server is set by github-server-url).`
      );
    }
    const fixed = provider.fixedEndpoints(check.url.origin + check.url.pathname);
    deviceAuthorizationEndpoint ??= fixed.deviceAuthorizationEndpoint;
    tokenEndpoint ??= fixed.tokenEndpoint;
  } else if (!issuer && !discoveryUrl && !(deviceAuthorizationEndpoint && tokenEndpoint)) {
    throw new InputError(
      "issuer",
      "is required: set it to your identity provider's issuer URL (for example https://login.example.com), or set discovery-url, or set both device-authorization-endpoint and token-endpoint."
    );
  }
  return {
    // Kept exactly as given: OIDC Discovery §4.3 compares issuers character for character.
    ...issuer && { issuer },
    ...discoveryUrl && { discoveryUrl },
    ...deviceAuthorizationEndpoint && { deviceAuthorizationEndpoint },
    ...tokenEndpoint && { tokenEndpoint },
    ...revocationEndpoint && { revocationEndpoint }
  };
}
function shownUrl(value) {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:[/\\]*)[^/\\?#]*@/, "$1\u2026@").slice(0, 200);
}
function readClientAuthMethod(value, secret, privateKey) {
  const method = readChoice("client-auth-method", value || "auto", ["auto", ...CLIENT_AUTH_METHODS]);
  if (secret && privateKey) {
    throw new InputError(
      "client-secret",
      "and client-private-key are both set; a client authenticates one way. Remove one."
    );
  }
  const needsSecret = method === "client_secret_basic" || method === "client_secret_post";
  if (privateKey && needsSecret) {
    throw new InputError(
      "client-auth-method",
      `is ${method}, but a client-private-key is given; use private_key_jwt or auto.`
    );
  }
  if (secret && method === "private_key_jwt") {
    throw new InputError(
      "client-auth-method",
      "is private_key_jwt, but client-secret is given instead of client-private-key."
    );
  }
  if (needsSecret && !secret) {
    throw new InputError(
      "client-secret",
      `is required with client-auth-method: ${method}. Set it from a secret, for example \${{ secrets.OAUTH_CLIENT_SECRET }}.`
    );
  }
  if (method === "private_key_jwt" && !privateKey) {
    throw new InputError(
      "client-private-key",
      "is required with client-auth-method: private_key_jwt. Set it to a PKCS#8 PEM or a private JWK, from a secret."
    );
  }
  if (method === "none" && (secret || privateKey)) {
    throw new InputError(
      "client-auth-method",
      `is none, but ${secret ? "client-secret" : "client-private-key"} is set. Remove it, or choose a method that uses it (or auto).`
    );
  }
  return method;
}
function checkPrivateKey(key) {
  if (key.startsWith("{")) {
    try {
      const jwk = JSON.parse(key);
      if (typeof jwk["kty"] === "string" && typeof jwk["d"] === "string") return;
    } catch {
    }
    throw new InputError(
      "client-private-key",
      'looks like JSON but is not a private JWK (it needs "kty" and "d").'
    );
  }
  if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(key)) {
    throw new InputError(
      "client-private-key",
      "is a PKCS#1 or SEC1 PEM; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem"
    );
  }
  if (!/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/.test(key)) {
    throw new InputError(
      "client-private-key",
      "must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a private JWK as JSON."
    );
  }
}
function maskKey(key, source) {
  if (!/[\r\n]/.test(key)) source.setSecret(key);
  for (const line of key.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length >= 8 && !trimmed.startsWith("-----")) source.setSecret(trimmed);
  }
  let jwk;
  try {
    jwk = JSON.parse(key);
  } catch {
    return;
  }
  for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) {
    const value = jwk?.[member];
    if (typeof value === "string" && value.length >= 8) source.setSecret(value);
  }
}
function readScope(value, provider) {
  const scope = value.split(/\s+/).filter(Boolean).join(" ");
  if (scope === "") return void 0;
  if (scope.includes(",") && !provider.commaSeparatedScopes) {
    throw new InputError(
      "scope",
      `"${scope.slice(0, 200)}" has commas, but scopes are separated by spaces (RFC 6749 \xA73.3): write scope: ${scope.split(/\s*,\s*|\s+/).filter(Boolean).join(" ").slice(0, 200)}`
    );
  }
  if (!/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(scope)) {
    throw new InputError(
      "scope",
      "has characters a scope cannot contain (RFC 6749 \xA73.3: no quotes or backslashes). Separate scopes with spaces."
    );
  }
  return scope;
}
function readResources(value) {
  return value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).map((resource) => {
    let url;
    try {
      url = new URL(resource);
    } catch {
      url = void 0;
    }
    if (!url || url.hash) {
      throw new InputError(
        "resource",
        `"${resource.slice(0, 200)}" is not an absolute URI without a #fragment (RFC 8707 \xA72). Give one per line.`
      );
    }
    return resource;
  });
}
function singleLine(input, value) {
  if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(value))
    throw new InputError(input, "must be a single line without control characters.");
  return value;
}
function parseExtraParams(value) {
  const params = [];
  value.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `line ${index + 1}`;
    const equals = line.indexOf("=");
    if (equals <= 0) {
      throw new InputError(
        "extra-params",
        `${where} is not key=value (for example prompt=login). Write one parameter a line.`
      );
    }
    const key = line.slice(0, equals).trim();
    const paramValue = line.slice(equals + 1).trim();
    if (!/^[A-Za-z0-9_.\-:[\]]{1,100}$/.test(key)) {
      throw new InputError(
        "extra-params",
        `${where}: "${key.slice(0, 100)}" is not a parameter name (letters, digits, _ . - : [ ] only).`
      );
    }
    const reserved = Object.hasOwn(RESERVED_PARAMS, key.toLowerCase()) ? RESERVED_PARAMS[key.toLowerCase()] : void 0;
    if (reserved)
      throw new InputError(
        "extra-params",
        `${where} sets ${key}, which extra-params may not override: ${reserved}.`
      );
    if (/[\u0000-\u001F\u007F]/.test(paramValue))
      throw new InputError("extra-params", `${where} has control characters in its value.`);
    const joined = /&([A-Za-z0-9_.\-:[\]]{1,100})=/.exec(paramValue);
    if (joined) {
      throw new InputError(
        "extra-params",
        `${where}: the value of ${key} contains "&${joined[1]}=", as if several parameters were joined with &; each line is one parameter, and & is sent as part of its value. Write one parameter a line (${key}=\u2026, then ${joined[1]}=\u2026).`
      );
    }
    params.push([key, paramValue]);
  });
  return params;
}
var UNIT_SECONDS = { "": 1, s: 1, m: 60, h: 3600 };
var MAX_TIMEOUT_SECONDS = 6 * 3600;
function parseTimeout(value) {
  const text2 = value.trim().toLowerCase();
  if (text2 === "") return void 0;
  const single = /^(\d+(?:\.\d+)?)\s*([smh]?)$/.exec(text2);
  const compound = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(text2);
  let seconds = NaN;
  if (single) seconds = Number(single[1]) * UNIT_SECONDS[single[2]];
  else if (compound)
    seconds = Number(compound[1] ?? 0) * 3600 + Number(compound[2] ?? 0) * 60 + Number(compound[3] ?? 0);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new InputError(
      "timeout",
      `"${value.slice(0, 40)}" is not a wait between 1 second and 6 hours. Give seconds (900), a number with s, m or h (15m), or both (1h30m).`
    );
  }
  return seconds;
}
function readChoice(input, value, choices) {
  if (choices.includes(value)) return value;
  throw new InputError(input, `"${value.slice(0, 60)}" is not one of: ${choices.join(", ")}.`);
}
function readBoolean(input, value, fallback) {
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(input, `"${value.slice(0, 40)}" is not true or false.`);
}

// src/policy/policy.ts
var MAX_APPROVALS = 10;

// src/policy/read-policy.ts
var POLICY_INPUTS = [
  "allowed-approvers",
  "required-claims",
  "allow-self-approval",
  "self-approval-claim",
  "run-actor",
  "approvals"
];
function readPolicy(source, setting) {
  const allowedApprovers = parseAllowedApprovers(
    source.getInput("allowed-approvers"),
    setting.provider
  );
  const requiredClaims = parseRequiredClaims(source.getInput("required-claims"));
  const selfApproval2 = readSelfApproval(source, setting.provider);
  const approvals = parseApprovals(source.getInput("approvals"));
  if (approvals > 1 && setting.refreshToken) {
    throw new InputError(
      "approvals",
      `is ${approvals}, but refresh-token is set: a stored refresh token gets a token without anyone approving, which would skip the gate. Use approvals only in a job that asks people (remove refresh-token, or set mode: device), or set approvals: 1.`
    );
  }
  return {
    provider: setting.provider,
    allowedApprovers,
    requiredClaims,
    selfApproval: selfApproval2,
    approvals,
    configured: POLICY_INPUTS.some((name) => source.getInput(name) !== "")
  };
}
function entriesOf(value) {
  const entries = [];
  value.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    entries.push({ line, where: `line ${index + 1}` });
  });
  return entries;
}
function quoted(line) {
  const shown5 = line.replace(/[\u0000-\u001F\u007F-\u009F]/g, " ");
  return `"${shown5.length > 80 ? `${shown5.slice(0, 80)}\u2026` : shown5}"`;
}
var GITHUB_ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
var GITHUB_TEAM = /^[A-Za-z0-9_.-]{1,100}$/;
var MAX_PATTERN_LENGTH = 320;
function parseAllowedApprovers(value, provider) {
  return entriesOf(value).map(({ line, where }) => {
    const fail = (problem) => {
      throw new InputError("allowed-approvers", `${where} (${quoted(line)}) ${problem}`);
    };
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line)) fail("has control characters.");
    if (/[\s,;]/.test(line))
      fail("holds more than one entry, or spaces. Write one name, email or @team a line.");
    if (line.startsWith("@")) return membershipEntry(line, provider, fail);
    if (line.length > MAX_PATTERN_LENGTH) fail(`is longer than ${MAX_PATTERN_LENGTH} characters.`);
    if (/^[*?]+$/.test(line))
      fail("matches anyone. To let anyone who can sign in approve, remove allowed-approvers.");
    return {
      kind: "pattern",
      text: line,
      matches: line.indexOf("@") > 0 ? "email" : "username-or-subject"
    };
  });
}
function membershipEntry(line, provider, fail) {
  if (provider !== "github") {
    return fail(
      "names a GitHub organization or team, whose members only provider: github can check. With an OpenID Connect provider, require the group with required-claims instead (for example groups=release-managers)."
    );
  }
  const [org = "", team, extra] = line.slice(1).split("/");
  if (!GITHUB_ORG.test(org))
    fail(
      "is not @organization or @organization/team-slug (an organization is up to 39 letters, digits and hyphens)."
    );
  if (extra !== void 0) fail("has more than one /; write @organization/team-slug.");
  if (team === void 0) return { kind: "org", text: line, org };
  if (!GITHUB_TEAM.test(team))
    fail(
      "has a team that is not a team slug (the team's name in lower case with hyphens, as in its URL)."
    );
  return { kind: "team", text: line, org, team };
}
function parseRequiredClaims(value) {
  return entriesOf(value).map(({ line, where }) => {
    const fail = (problem) => {
      throw new InputError("required-claims", `${where} (${quoted(line)}) ${problem}`);
    };
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line)) fail("has control characters.");
    const equals = line.indexOf("=");
    if (equals === -1) fail("is not claim=value (for example groups=release-managers or amr=mfa).");
    const claim = line.slice(0, equals).trim();
    const claimValue2 = line.slice(equals + 1).trim();
    if (claim === "") fail("has no claim name before the =.");
    if (/\s/.test(claim)) fail("has a space in the claim name.");
    if (claimValue2 === "") fail(`has no value after the =; say which value ${claim} must hold.`);
    return { text: `${claim}=${claimValue2}`, claim, value: claimValue2 };
  });
}
function readSelfApproval(source, provider) {
  const allowInput = source.getInput("allow-self-approval");
  const allowed = readBoolean2("allow-self-approval", allowInput);
  const claim = source.getInput("self-approval-claim");
  const runActorInput = source.getInput("run-actor");
  if (claim && provider === "github") {
    throw new InputError(
      "self-approval-claim",
      "is not used with provider: github, which compares the approver's GitHub login with GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. Remove it."
    );
  }
  if (runActorInput && !claim) {
    throw new InputError(
      "run-actor",
      provider === "github" ? "is not used with provider: github, which takes who started the run from GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. Remove it." : "is set without self-approval-claim: name the claim of the approver to compare it with (for example self-approval-claim: email)."
    );
  }
  if (allowed === true) {
    if (claim) {
      throw new InputError(
        "self-approval-claim",
        "is set, but allow-self-approval is true, so nothing is compared. Remove one of them."
      );
    }
    return { kind: "allowed" };
  }
  if (provider === "github") {
    const runActors = actorsFromEnv(source.env);
    if (runActors.length === 0) {
      throw new InputError(
        "allow-self-approval",
        "is false (the default), but neither GITHUB_TRIGGERING_ACTOR nor GITHUB_ACTOR is set, so who started the run is unknown. Outside GitHub Actions, set allow-self-approval: true."
      );
    }
    return { kind: "github-login", runActors };
  }
  if (claim) {
    if (/[\s\u0000-\u001F\u007F-\u009F]/.test(claim))
      throw new InputError("self-approval-claim", "must be one claim name, without spaces.");
    return { kind: "claim", claim, runActors: parseRunActors(runActorInput) };
  }
  if (allowed === false) {
    throw new InputError(
      "allow-self-approval",
      "is false, but an OpenID Connect identity does not say which GitHub user it is, so the action cannot tell whether the approver started the run. Set self-approval-claim to a claim that names them (for example email, or a github_login claim mapped at the provider) and run-actor to the run's value for it (for example ${{ github.triggering_actor }}); or remove allow-self-approval."
    );
  }
  return { kind: "undetectable" };
}
function actorsFromEnv(env) {
  const actors = [];
  for (const name of ["GITHUB_TRIGGERING_ACTOR", "GITHUB_ACTOR"]) {
    const value = env[name]?.trim();
    if (value && !actors.some((actor) => actor.value === value)) actors.push({ value, from: name });
  }
  return actors;
}
function parseRunActors(value) {
  const actors = entriesOf(value).map(({ line, where }) => {
    if (/[\u0000-\u001F\u007F-\u009F]/.test(line))
      throw new InputError("run-actor", `${where} has control characters.`);
    return { value: line, from: "run-actor" };
  });
  if (actors.length === 0) {
    throw new InputError(
      "run-actor",
      "is empty, so the action cannot tell who started the run. Set it to the run's value for self-approval-claim, one a line (for example ${{ github.triggering_actor }}). When it comes from a mapping such as fromJSON(vars.EMAILS)[github.triggering_actor], the person who started the run is missing from that mapping."
    );
  }
  return actors;
}
function parseApprovals(value) {
  if (value === "") return 1;
  const count = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(count >= 1 && count <= MAX_APPROVALS)) {
    throw new InputError(
      "approvals",
      `"${value.slice(0, 20)}" is not a whole number from 1 to ${MAX_APPROVALS}: how many different people must approve, one after the other.`
    );
  }
  return count;
}
function readBoolean2(input, value) {
  if (value === "") return void 0;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(input, `"${value.slice(0, 40)}" is not true or false.`);
}

// src/oauth/endpoints.ts
async function resolveEndpoints(ctx, inputs) {
  const { deviceAuthorizationEndpoint, tokenEndpoint, revocationEndpoint } = inputs;
  if (deviceAuthorizationEndpoint && tokenEndpoint) {
    return {
      ...inputs.issuer && { issuer: inputs.issuer },
      deviceAuthorizationEndpoint,
      tokenEndpoint,
      ...revocationEndpoint && { revocationEndpoint },
      source: safe`the device-authorization-endpoint and token-endpoint inputs`
    };
  }
  const { document, url } = await fetchDiscoveryDocument(ctx, inputs);
  const metadata = readDiscoveryDocument(document, url, inputs);
  return {
    ...metadata,
    ...deviceAuthorizationEndpoint && { deviceAuthorizationEndpoint },
    ...tokenEndpoint && { tokenEndpoint },
    ...revocationEndpoint && { revocationEndpoint }
  };
}
function discoveryCandidates(issuer) {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, "");
  const base = `${url.origin}${path}`;
  const candidates = [
    `${base}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`
  ];
  if (path) candidates.push(`${base}/.well-known/oauth-authorization-server`);
  return candidates;
}
async function fetchDiscoveryDocument(ctx, inputs) {
  const candidates = inputs.discoveryUrl ? [inputs.discoveryUrl] : discoveryCandidates(inputs.issuer);
  const missing = [];
  for (const url of candidates) {
    const endpoint = { name: "discovery document", url };
    let finalUrl = url;
    const read = await withRetries(
      ctx,
      endpoint,
      async () => {
        const answer = await getJson(ctx, endpoint);
        finalUrl = answer.finalUrl;
        return answer;
      },
      { attempts: 3, retryMaybeDelivered: true }
    );
    if ((read.status === 404 || read.status === 410) && !inputs.discoveryUrl) {
      missing.push(url);
      continue;
    }
    if (read.status !== 200 || !read.fields) {
      throw unusableResponse({ ...endpoint, url: finalUrl }, read, "a JSON discovery document");
    }
    return { document: read.fields, url: finalUrl };
  }
  throw new ProviderResponseError(
    { name: "discovery document", url: candidates[0] },
    404,
    `No discovery document was found for the issuer ${inputs.issuer}: ${missing.join(" and ")} answered 404. Check the issuer input (it is the provider's base URL, without /.well-known/...), set discovery-url to the document's address, or give device-authorization-endpoint and token-endpoint.`
  );
}
function readDiscoveryDocument(document, url, inputs) {
  const endpoint = { name: "discovery document", url };
  const fail = (problem, fix) => {
    throw new ProviderResponseError(
      endpoint,
      200,
      `${capitalize(`the discovery document at ${url}`)} ${problem}. ${fix}`
    );
  };
  const published = document["issuer"];
  if (typeof published !== "string" || published === "") {
    return fail(
      "has no issuer",
      "It is not a valid OpenID Connect or RFC 8414 document; check discovery-url."
    );
  }
  if (inputs.issuer && !issuerMatches(inputs.issuer, published)) {
    fail(
      // Provider text in a failure message: one line, bounded (the document may be 1 MiB).
      `names the issuer ${safeText(published, { maxLength: 300 })}, but the issuer input is ${safeText(inputs.issuer, { maxLength: 300 })}`,
      "They must be identical (OpenID Connect Discovery \xA74.3), or tokens from one provider could be taken for another. Set issuer to exactly the published value."
    );
  }
  const endpointField = (name, required2, fix) => {
    const value = document[name];
    if (value === void 0 || value === null || value === "")
      return required2 ? fail(`has no ${name}`, fix) : void 0;
    const check = typeof value === "string" ? checkSecureUrl(value) : void 0;
    if (!check?.ok)
      return fail(`lists a ${name} that ${check ? check.problem : "is not a string"}`, fix);
    return check.url.href;
  };
  const required = (name, fix) => endpointField(name, true, fix) ?? fail(`has no ${name}`, fix);
  const deviceAuthorizationEndpoint = inputs.deviceAuthorizationEndpoint || required(
    "device_authorization_endpoint",
    "Enable the device flow (device authorization grant) for this provider or client, or set the device-authorization-endpoint input."
  );
  const tokenEndpoint = inputs.tokenEndpoint || required("token_endpoint", "Set the token-endpoint input.");
  const jwksUri = endpointField("jwks_uri", false, "Fix jwks_uri at the provider.");
  const userinfoEndpoint = endpointField(
    "userinfo_endpoint",
    false,
    "Fix userinfo_endpoint at the provider."
  );
  const revocationEndpoint = inputs.revocationEndpoint || endpointField(
    "revocation_endpoint",
    false,
    "Fix revocation_endpoint at the provider, or set the revocation-endpoint input."
  );
  const methods = document["token_endpoint_auth_methods_supported"];
  return {
    issuer: inputs.issuer ?? published,
    deviceAuthorizationEndpoint,
    tokenEndpoint,
    ...jwksUri && { jwksUri },
    ...userinfoEndpoint && { userinfoEndpoint },
    ...revocationEndpoint && { revocationEndpoint },
    ...Array.isArray(methods) && {
      tokenEndpointAuthMethods: methods.filter((m) => typeof m === "string")
    },
    source: safe`discovery at ${safeText(url, { maxLength: 2048 })}`
  };
}

// src/listeners/log.ts
function logListener(runner2) {
  let shownAtMs;
  return {
    on(event) {
      switch (event.type) {
        case "code-ready":
          shownAtMs ??= event.atMs;
          for (const line of promptLines(event.prompt, event.atMs)) runner2.info(line);
          break;
        case "reminder":
          runner2.info(reminderLine(event.prompt, event.atMs));
          break;
        case "poll":
          logPoll(runner2, event.event);
          break;
        case "refreshed":
          runner2.info(safe`Exchanged the refresh token for a new access token.`);
          break;
        case "refused":
          logFindings(runner2, event.findings);
          runner2.info(
            safe`The approval was refused: ${safeText(event.reason, { maxLength: MESSAGE_MAX_LENGTH })}`
          );
          break;
        case "ended": {
          const { outcome } = event;
          if (outcome.ending !== "approved") break;
          const names = (outcome.approvers ?? (outcome.approver ? [outcome.approver] : [])).map(
            (approver) => approver.name
          );
          const by = names.length > 0 ? safe` by ${joinSafe(names, " and ")}` : "";
          const after = shownAtMs !== void 0 ? safe` after ${duration(outcome.atMs - shownAtMs)}` : "";
          runner2.info(safe`Approved${by}${after}. The tokens are in this step's outputs (masked).`);
          break;
        }
        case "approved": {
          logFindings(runner2, event.findings);
          if (event.turn && event.turn.of > 1) {
            const by = event.approver ? safe` by ${event.approver.name}` : "";
            runner2.info(safe`Approval ${event.turn.number} of ${event.turn.of} given${by}.`);
          }
          break;
        }
      }
    }
  };
}
var MARKS = {
  holds: "\u2713",
  broken: "\u2717",
  unknown: "?",
  unchecked: "-"
};
function logFindings(runner2, findings) {
  for (const finding of findings ?? [])
    runner2.info(
      safe`  ${safeText(MARKS[finding.result])} ${safeText(finding.text, { maxLength: MESSAGE_MAX_LENGTH })}`
    );
}
function logPoll(runner2, event) {
  switch (event.type) {
    case "pending":
      runner2.debug(safe`Poll ${event.poll}: authorization_pending.`);
      break;
    case "slow-down":
      runner2.info(
        safe`The provider asked to poll less often (slow_down); polling every ${event.intervalSeconds} s from now on.`
      );
      if (event.count === 3) {
        runner2.warning(
          safe`The provider has asked to slow down three times. On a virtual machine this can mean the clock runs fast; the action keeps slowing down.`
        );
      }
      break;
    case "margin-widened":
      runner2.info(
        safe`The provider asked to slow down although the full interval had passed (its clock or this machine's runs differently); leaving ${duration(event.marginMs)} more between polls from now on.`
      );
      break;
    case "transient":
      runner2.info(
        safe`${safeText(event.reason, { maxLength: MESSAGE_MAX_LENGTH })} Trying again in ${duration(event.retryInMs)} (failure ${event.failuresInARow} in a row).`
      );
      break;
  }
}
function duration(ms) {
  return formatDuration(ms);
}

// src/listeners/notice.ts
function noticeListener(runner2) {
  let shownAtMs;
  return {
    on(event) {
      if (event.type === "code-ready") {
        shownAtMs ??= event.atMs;
        const notice = noticeOf(event.prompt, event.atMs);
        runner2.notice(notice.message, notice.title);
      } else if (event.type === "ended" && shownAtMs !== void 0) {
        const notice = outcomeNoticeOf(event.outcome, shownAtMs);
        runner2.notice(notice.message, notice.title);
      }
    }
  };
}
var ENDING_TITLES = {
  refreshed: "Refreshed",
  denied: "Approval denied",
  refused: "Approval refused by the approval policy",
  expired: "Approval code expired",
  "timed-out": "Approval timed out",
  cancelled: "Approval cancelled",
  failed: "Approval failed"
};
function outcomeNoticeOf(outcome, shownAtMs) {
  const shown5 = (text2) => safeText(text2, { maxLength: MESSAGE_MAX_LENGTH });
  const when2 = `at ${formatUtc(outcome.atMs, outcome.atMs)}, ${formatDuration(outcome.atMs - shownAtMs)} after the code was shown`;
  if (outcome.ending === "approved") {
    const approver = outcome.approver;
    const who = approver ? approver.shownSubject === approver.name ? approver.name : `${approver.name} (subject ${approver.shownSubject})` : void 0;
    const all = outcome.approvers && outcome.approvers.length > 1 ? outcome.approvers : void 0;
    if (all) {
      const names = all.map((one) => one.name).join(" and ");
      return {
        title: shown5(`Approved by ${names}`),
        message: shown5(
          `Approved by ${names} ${when2}. The tokens (${all[0]?.name}'s) are in this step's outputs (masked).`
        )
      };
    }
    return {
      title: shown5(who ? `Approved by ${approver?.name}` : "Approved"),
      message: shown5(
        `${who ? `Approved by ${who}` : "Approved (the provider did not say by whom)"} ${when2}. The tokens are in this step's outputs (masked).`
      )
    };
  }
  return {
    title: shown5(ENDING_TITLES[outcome.ending]),
    message: shown5(`${outcome.detail ?? ENDING_TITLES[outcome.ending]} (${when2})`)
  };
}

// src/qr/encode.ts
async function encodeQr(text2, errorCorrection = "M") {
  const encoder = await import("./qrcode-N5MA4GXE.js");
  const create = encoder.create ?? encoder.default.create;
  const symbol = create(text2, { errorCorrectionLevel: errorCorrection });
  const { size } = symbol.modules;
  return { size, isDark: (x, y) => symbol.modules.get(y, x) === 1 };
}

// src/qr/half-blocks.ts
var CELLS = [" ", "\u2584", "\u2580", "\u2588"];
function drawHalfBlocks(matrix, options = {}) {
  const quietZone = options.quietZone ?? 4;
  const drawn = options.drawn ?? "light";
  const side = matrix.size + 2 * quietZone;
  const dark = (x, y) => {
    const mx = x - quietZone;
    const my = y - quietZone;
    return mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size && matrix.isDark(mx, my);
  };
  const inked = (x, y) => drawn === "dark" === dark(x, y);
  const lines = [];
  for (let y = 0; y < side; y += 2) {
    let line = "";
    for (let x = 0; x < side; x++) {
      const top = inked(x, y);
      const bottom = y + 1 < side ? inked(x, y + 1) : drawn === "light";
      line += CELLS[(top ? 2 : 0) + (bottom ? 1 : 0)];
    }
    lines.push(line);
  }
  return lines;
}

// src/listeners/qr.ts
var MAX_QR_TEXT_LENGTH = 300;
function qrListener(runner2, enabled) {
  return {
    async on(event) {
      if (event.type !== "code-ready" || !enabled()) return;
      const { device } = event.prompt;
      const link2 = device.verificationUriComplete ?? device.verificationUri;
      if (link2.length > MAX_QR_TEXT_LENGTH) {
        runner2.debug(safe`No QR code: the link is longer than ${MAX_QR_TEXT_LENGTH} characters.`);
        return;
      }
      const lines = drawHalfBlocks(await encodeQr(link2, "L"), { quietZone: 4, drawn: "light" });
      runner2.info(
        device.verificationUriComplete ? safe`Or scan this with a phone (it opens the link with the code filled in):` : safe`Or scan this with a phone to open the page (then enter the code):`
      );
      for (const line of lines) runner2.info(line);
    }
  };
}

// src/runner/summary.ts
var HEADINGS = {
  approved: "\u2705 Approved",
  refreshed: "\u{1F504} Refreshed",
  denied: "\u{1F6AB} Denied",
  refused: "\u26D4 Refused by the approval policy",
  expired: "\u231B Expired",
  "timed-out": "\u23F1\uFE0F Timed out",
  cancelled: "\u23F9\uFE0F Cancelled",
  failed: "\u274C Failed"
};
function row(label, valueHtml) {
  return `<tr><th align="left">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`;
}
function requestSection(ctx, nowMs) {
  const { device } = ctx;
  const rows = [
    row("Verification page", link(device.verificationUri)),
    ...device.verificationUriComplete ? [row("Link with the code", link(device.verificationUriComplete))] : [],
    row("Code", `<code>${escapeHtml(device.userCode)}</code>`),
    row("Client", `<code>${escapeHtml(ctx.clientId)}</code>`),
    row("Scope", ctx.scope ? `<code>${escapeHtml(ctx.scope)}</code>` : "the provider's default"),
    ...originRows(ctx.origin),
    row("Code shown", formatUtc(nowMs, nowMs)),
    row("Expires", formatUtc(ctx.deadlineMs, nowMs) + escapeHtml(timeoutNote(ctx, nowMs))),
    ...ctx.policy?.length ? [
      row(
        "Policy",
        ctx.policy.map(({ label, text: text2 }) => escapeHtml(`${label}: ${text2}`)).join("<br>")
      )
    ] : []
  ];
  const which = ctx.approval ? ` (${escapeHtml(ctx.approval.heading)})` : "";
  return `<h2>Device authorization${which}</h2>
<table>
${rows.join("\n")}
</table>
`;
}
function originRows(origin) {
  const described = describeOrigin(origin);
  if (!described) return [];
  return [row("Asked by", origin.runUrl ? link(origin.runUrl, described) : escapeHtml(described))];
}
function outcomeSection(outcome) {
  const rows = [row("When", formatUtc(outcome.atMs, outcome.atMs))];
  if (outcome.shownAtMs !== void 0 && outcome.ending === "approved") {
    rows.push(row("Took", formatDuration(outcome.atMs - outcome.shownAtMs)));
  }
  if (outcome.approvers && outcome.approvers.length > 1) {
    rows.push(
      row(
        "Approved by",
        outcome.approvers.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ")
      )
    );
  } else if (outcome.approver)
    rows.push(row("Approved by", `<code>${escapeHtml(outcome.approver)}</code>`));
  if (outcome.refusedApprover)
    rows.push(row("Who tried", `<code>${escapeHtml(outcome.refusedApprover)}</code>`));
  if (outcome.refusedBy)
    rows.push(row("Refused by", `<code>${escapeHtml(outcome.refusedBy)}</code>`));
  if (outcome.clientId) rows.push(row("Client", `<code>${escapeHtml(outcome.clientId)}</code>`));
  if (outcome.scope) rows.push(row("Granted scope", `<code>${escapeHtml(outcome.scope)}</code>`));
  if (outcome.detail) rows.push(row("Details", escapeHtml(outcome.detail)));
  return `<h3>Outcome: ${HEADINGS[outcome.ending]}</h3>
<table>
${rows.join("\n")}
</table>
`;
}

// src/listeners/summary.ts
function summaryListener(runner2, enabled) {
  let shownAtMs;
  const write = async (html) => {
    if (!enabled()) return;
    try {
      await runner2.appendSummary(html);
    } catch (error) {
      runner2.warning(
        safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
      );
    }
  };
  return {
    async on(event) {
      if (event.type === "code-ready") {
        shownAtMs ??= event.atMs;
        await write(requestSection(event.prompt, event.atMs));
      } else if (event.type === "ended") {
        await write(outcomeSection(recordOf(event.outcome, shownAtMs)));
      }
    }
  };
}
function recordOf(outcome, shownAtMs) {
  return {
    ending: outcome.ending,
    atMs: outcome.atMs,
    ...shownAtMs !== void 0 && { shownAtMs },
    ...outcome.detail && { detail: outcome.detail },
    // The request section names the client already when a code was shown.
    ...outcome.clientId && shownAtMs === void 0 && { clientId: outcome.clientId },
    ...outcome.scope && { scope: outcome.scope },
    ...outcome.approver && { approver: describeApprover(outcome.approver) },
    ...outcome.approvers && { approvers: outcome.approvers.map(describeApprover) },
    ...outcome.refusal && {
      refusedApprover: outcome.refusal.approver,
      ...outcome.refusal.rule && { refusedBy: outcome.refusal.rule }
    }
  };
}
function describeApprover(approver) {
  return approver.shownSubject === approver.name ? approver.name : `${approver.name} (${approver.shownSubject})`;
}

// src/notify/sender.ts
var DEFAULT_WEBHOOK_TIMEOUT_MS = 5e3;
var DEFAULT_WEBHOOK_RETRIES = 2;
var DEFAULT_RETRY_DELAY_MS = 1e3;
var MAX_RETRY_AFTER_MS = 5e3;
var WebhookSender = class {
  constructor(options) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_WEBHOOK_RETRIES;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  }
  options;
  queues = /* @__PURE__ */ new Map();
  queued = /* @__PURE__ */ new Map();
  warned = /* @__PURE__ */ new Set();
  stop = new AbortController();
  timeoutMs;
  retries;
  retryDelayMs;
  send(target, body, what) {
    if (this.stop.signal.aborted) return;
    const json = JSON.stringify(body);
    this.queued.set(target, (this.queued.get(target) ?? 0) + 1);
    const previous = this.queues.get(target) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(target, json, what));
    this.queues.set(target, next);
  }
  /** Waits for every queued message, at most `maxWaitMs`; then gives up on the rest. */
  async close(maxWaitMs) {
    const pending = [...this.queues.entries()];
    let timer;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(() => resolve("late"), maxWaitMs);
    });
    const settled = /* @__PURE__ */ new Set();
    const all = Promise.all(pending.map(([target, queue]) => queue.then(() => settled.add(target))));
    const result = await Promise.race([all.then(() => "done"), deadline]);
    clearTimeout(timer);
    this.stop.abort();
    if (result === "done") return;
    for (const [target] of pending) {
      if (!settled.has(target))
        this.report(
          target,
          `Gave up on the notification to ${target.label}: it was still being sent ${Number((maxWaitMs / 1e3).toFixed(1))} s after the run ended.`
        );
    }
  }
  async deliver(target, json, what) {
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.stop.signal.aborted) return;
        const result = await this.attempt(target, json);
        if (result.ok) return;
        const superseded = (this.queued.get(target) ?? 0) > 1;
        if (!result.retry || attempt >= this.retries || superseded) {
          this.report(
            target,
            `Could not send the ${what} notification to ${target.label}: ${result.problem}${attempt > 0 ? ` (after ${attempt + 1} tries)` : ""}. The run goes on without it.`
          );
          return;
        }
        await this.options.clock.sleep(
          result.retryAfterMs ?? this.retryDelayMs * 2 ** attempt,
          this.stop.signal
        );
      }
    } catch {
    } finally {
      this.queued.set(target, (this.queued.get(target) ?? 1) - 1);
    }
  }
  async attempt(target, json) {
    let response;
    try {
      response = await this.options.http({
        method: "POST",
        url: target.url,
        headers: { "Content-Type": "application/json; charset=utf-8", Accept: "*/*" },
        body: json,
        timeoutMs: this.timeoutMs,
        signal: this.stop.signal
      });
    } catch (error) {
      const problem = error instanceof TransportFailure ? error.kind === "timeout" ? `no answer within ${this.timeoutMs / 1e3} s` : error.kind === "connection" && /^E(NOTFOUND|AI_AGAIN)$/.test(error.detail) ? `the host name did not resolve (${error.detail})` : `${error.kind} (${error.detail})` : "the request failed";
      return { ok: false, retry: true, problem };
    }
    if (response.status >= 200 && response.status < 300) return { ok: true };
    const retryAfterMs = retryAfterOf(response);
    return {
      ok: false,
      retry: response.status === 429 || response.status >= 500,
      problem: `HTTP ${response.status}${answerOf(response)}`,
      ...retryAfterMs !== void 0 && { retryAfterMs }
    };
  }
  report(target, message) {
    if (this.warned.has(target)) this.options.info(message);
    else {
      this.warned.add(target);
      this.options.warn(message);
    }
  }
};
function retryAfterOf(response) {
  const value = response.headers["retry-after"];
  if (!value || !/^\d{1,4}$/.test(value.trim())) return void 0;
  const ms = Number(value.trim()) * 1e3;
  return ms <= MAX_RETRY_AFTER_MS ? ms : void 0;
}
function answerOf(response) {
  const body = response.body.trim();
  return /^[\w .,:-]{1,80}$/.test(body) ? ` "${body}"` : "";
}

// src/listeners/webhooks.ts
var WEBHOOK_CLOSE_WAIT_MS = 5e3;
function webhookListener(deps) {
  const sender = new WebhookSender({
    http: deps.http,
    clock: deps.clock,
    // A webhook's answer is foreign text too.
    warn: (message) => deps.runner.warning(safeText(message, { maxLength: MESSAGE_MAX_LENGTH })),
    info: (message) => deps.runner.info(safeText(message, { maxLength: MESSAGE_MAX_LENGTH }))
  });
  let prompt;
  const notify = (event, atMs, outcome) => {
    const config = deps.config();
    if (!prompt || !config) return;
    const notification = notificationOf(prompt, event, atMs, outcome);
    for (const target of config.webhooks)
      sender.send(
        target,
        webhookBody(target.kind, notification),
        event === "ended" ? "outcome" : event
      );
  };
  return {
    on(event) {
      switch (event.type) {
        case "code-ready":
          prompt = event.prompt;
          notify("code-ready", event.atMs);
          break;
        case "reminder":
          if (deps.config()?.reminders) notify("reminder", event.atMs);
          break;
        case "ended":
          notify("ended", event.outcome.atMs, event.outcome);
          break;
        default:
          break;
      }
    },
    close: () => sender.close(deps.closeWaitMs ?? WEBHOOK_CLOSE_WAIT_MS)
  };
}
function notificationOf(prompt, event, atMs, outcome) {
  const { device } = prompt;
  return {
    event,
    atMs,
    userCode: device.userCode,
    verificationUri: device.verificationUri,
    ...device.verificationUriComplete && {
      verificationUriComplete: device.verificationUriComplete
    },
    expiresAtMs: prompt.deadlineMs,
    clientId: prompt.clientId,
    ...prompt.scope && { scope: prompt.scope },
    origin: prompt.origin,
    ...outcome && {
      outcome: {
        ending: outcome.ending,
        ...outcome.approver && { approver: outcome.approver.name }
      }
    }
  };
}

// src/runner/known-secrets.ts
var KnownSecrets = class {
  values = /* @__PURE__ */ new Set();
  /** The runner, with setSecret also remembering the value. */
  runner;
  constructor(inner) {
    const remember = (value) => {
      this.values.add(value);
      inner.setSecret(value);
    };
    this.runner = {
      get env() {
        return inner.env;
      },
      getInput: (name) => inner.getInput(name),
      setSecret: remember,
      info: (message) => inner.info(message),
      debug: (message) => inner.debug(message),
      notice: (message, title) => inner.notice(message, title),
      warning: (message) => inner.warning(message),
      setOutput: (name, value) => inner.setOutput(name, value),
      setFailed: (message) => inner.setFailed(message),
      saveState: (name, value) => inner.saveState(name, value),
      appendSummary: (markdown) => inner.appendSummary(markdown)
    };
  }
  /** Every value masked so far; private-key lines included. */
  all() {
    return [...this.values];
  }
};

// src/main.ts
async function run2(deps) {
  const { clock } = deps;
  const known = new KnownSecrets(deps.runner);
  const runner2 = known.runner;
  const startedMs = clock.now();
  let config;
  let quirks;
  const events = new FlowEvents(
    (error) => runner2.warning(
      safe`A listener failed: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
    )
  );
  events.subscribe(...listenersFor(deps, () => config));
  try {
    config = readConfig(runner2);
    const policy = readPolicy(runner2, {
      provider: config.provider.name === "github" ? "github" : "oidc",
      // mode: device never refreshes, whatever refresh-token holds.
      refreshToken: config.refreshToken !== void 0 && config.mode !== "device"
    });
    const ctx = oauthContext(deps, runner2, {
      secrets: () => known.all(),
      // Waits before the prompt (Retry-After on discovery or the device endpoint) count against
      // the timeout input too: nobody sits silent past it.
      ...config.timeoutSeconds !== void 0 && {
        retriesEndAtMs: startedMs + config.timeoutSeconds * 1e3
      }
    });
    const metadata = await resolveEndpoints(ctx, config.endpoints);
    runner2.info(safe`Using the endpoints from ${metadata.source}.`);
    quirks = quirksFor(config.provider, metadata);
    const client = clientCredentials(config, metadata);
    const tokenEndpoint = { name: "token endpoint", url: metadata.tokenEndpoint };
    const stage = { ctx, runner: runner2, events, config, metadata, client, quirks, policy };
    const refreshed = await refreshIfPossible(ctx, runner2, config, client, tokenEndpoint, quirks);
    const granted = refreshed ? await refreshedGrant(stage, refreshed) : await approvedGrant(stage);
    const ending = refreshed ? "refreshed" : "approved";
    const { tokens, approver, approvers } = granted;
    const toStore = refreshTokenToStore(tokens, config.refreshToken, refreshed !== void 0);
    publishTokens(runner2, tokens, {
      nowMs: granted.atMs,
      ...approver && { approver },
      ...approvers && { approvers },
      refreshToken: toStore
    });
    await warnIfRefreshTokenExpires(runner2, config, tokens, clock.now());
    await storeRefreshToken(ctx, runner2, config, toStore, () => clock.now());
    await events.emit({
      type: "ended",
      outcome: {
        ending,
        atMs: granted.atMs,
        clientId: config.clientId,
        ...tokens.scope && { scope: tokens.scope },
        ...approver && { approver },
        ...approvers && { approvers }
      }
    });
    return ending;
  } catch (error) {
    const failure = failureOf2(error, quirks);
    if (failure.stack)
      for (const line of failure.stack.split("\n"))
        runner2.debug(safeText(line, { maxLength: MESSAGE_MAX_LENGTH }));
    runner2.setFailed(safeText(failure.message, { maxLength: MESSAGE_MAX_LENGTH }));
    await events.emit({
      type: "ended",
      outcome: {
        ending: failure.ending,
        atMs: clock.now(),
        detail: failure.message,
        ...config && { clientId: config.clientId },
        ...failure.refusal && { refusal: failure.refusal }
      }
    });
    return failure.ending;
  } finally {
    await events.close();
  }
}
function oauthContext(deps, runner2, extra) {
  return {
    http: deps.http,
    clock: deps.clock,
    signal: deps.signal,
    requestTimeoutMs: deps.requestTimeoutMs ?? 3e4,
    ...extra,
    onRetry: (reason, delayMs) => runner2.info(
      safe`${safeText(reason, { maxLength: MESSAGE_MAX_LENGTH })}; trying again in ${Math.ceil(delayMs / 1e3)} s.`
    )
  };
}
function listenersFor(deps, config) {
  const { runner: runner2 } = deps;
  return [
    logListener(runner2),
    qrListener(runner2, () => config()?.qrCode ?? true),
    noticeListener(runner2),
    summaryListener(runner2, () => config()?.summary ?? true),
    webhookListener({
      runner: runner2,
      http: deps.webhookHttp ?? deps.http,
      clock: deps.clock,
      config: () => config()?.notify
    })
  ];
}

// src/runner/actions-runner.ts
import { accessSync, appendFileSync, constants, existsSync } from "node:fs";
import { EOL } from "node:os";
function actionsRunner(env = process.env, write = (text2) => void process.stdout.write(text2)) {
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
function escapeData(text2) {
  return text2.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text2) {
  return escapeData(text2).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// src/runner/http-trace.ts
function traceHttp(transport2, debug, now) {
  return async (request2) => {
    const sent = request2.body === void 0 ? "" : ` sending [${fieldNames(request2.body).join(", ")}]`;
    const auth = Object.keys(request2.headers).some((h) => h.toLowerCase() === "authorization") ? " with Authorization" : "";
    const started = now();
    try {
      const response = await transport2(request2);
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

// src/index.ts
var controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => controller.abort());
}
var runner = actionsRunner();
var transport = createHttpTransport("device-flow-action");
var http2 = traceHttp(
  transport,
  (message) => runner.debug(safeText(message, { maxLength: MESSAGE_MAX_LENGTH })),
  Date.now
);
await run2({ runner, http: http2, webhookHttp: transport, clock: systemClock, signal: controller.signal });
setTimeout(() => process.exit(), 200).unref();
