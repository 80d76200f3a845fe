import {
  HEADERS_TOO_LARGE,
  MAX_RESPONSE_BYTES,
  TransportFailure,
  checkSecureUrl,
  redact,
  safeText
} from "./chunk-YXBNQLP5.js";

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
  constructor(endpoint, status, body, request, message) {
    super(message);
    this.endpoint = endpoint;
    this.status = status;
    this.body = body;
    this.request = request;
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

// src/oauth/fail.ts
function failing(build) {
  return (problem) => {
    throw build(problem);
  };
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
async function send(ctx, endpoint, request, timeoutMs = ctx.requestTimeoutMs) {
  if (ctx.signal?.aborted) throw new CancelledError();
  try {
    const response = await ctx.http({
      ...request,
      url: endpoint.url,
      timeoutMs,
      ...ctx.signal && { signal: ctx.signal }
    });
    const secrets = [...secretsSent(request), ...ctx.secrets?.() ?? []];
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
function secretsSent(request) {
  const secrets = [];
  if (request.body !== void 0) {
    const params = new URLSearchParams(request.body);
    for (const name of SECRET_PARAMS) secrets.push(...params.getAll(name));
  }
  for (const [name, value] of Object.entries(request.headers)) {
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
function oauthError(endpoint, status, body, request) {
  const said = body.errorDescription ? `: ${safeText(body.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, "")}` : "";
  const message = `${capitalize(describeEndpoint(endpoint))} answered "${safeText(body.error)}" (HTTP ${status})${said}.`;
  return new OAuthError(endpoint, status, body, request, message);
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

// src/oauth/secret-shape.ts
var MIN_SECRET_LENGTH = 16;
function secretShapeProblem(value) {
  if (/\s/.test(value)) return "contains a space";
  if (value.length < MIN_SECRET_LENGTH)
    return `is ${value.length} characters long, too short to be unguessable (at least ${MIN_SECRET_LENGTH} expected)`;
  return void 0;
}

// src/oauth/lifetime.ts
var MAX_LIFETIME_SECONDS = 100 * 365 * 24 * 3600;

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
  return shown(identity.email ?? identity.username ?? identity.subject);
}
function shown(text) {
  const visible = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, " ").trim();
  if (visible === "") return "(nothing visible)";
  return visible.length > 120 ? `${visible.slice(0, 119)}\u2026` : visible;
}

// src/oauth/refresh-refused.ts
var RefreshRefusedError = class extends ProviderResponseError {
  name = "RefreshRefusedError";
};

// src/flow/approval-refused.ts
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
function escapeHtml(text, maxLength = MAX_SUMMARY_TEXT_LENGTH) {
  return safeText(text, { maxLength }).replace(
    /[&<>"'[\]()*_`|\\!~#]/g,
    (c) => ENTITIES[c]
  );
}
function link(url, text = url) {
  return `<a href="${escapeHtml(url, 2048)}">${escapeHtml(text)}</a>`;
}

// src/secrets/target.ts
var INPUT = "store-refresh-token";
var FORMS = "Write NAME (a repository secret), environment/ENVIRONMENT/NAME or org/NAME (a secret of the organization that owns the repository).";
function parseSecretTarget(value) {
  const text = value.trim();
  const environment = /^environment\/(.+)\/([^/]*)$/.exec(text);
  if (environment) {
    const env = environment[1].trim();
    if (env === "" || /[\u0000-\u001F\u007F]/.test(env) || env.length > 255) {
      throw new InputError(INPUT, `"${shown2(text)}" names no usable environment. ${FORMS}`);
    }
    return { scope: "environment", environment: env, name: secretName(environment[2]) };
  }
  if (/^environment\//.test(text)) {
    throw new InputError(
      INPUT,
      `"${shown2(text)}" needs the environment and the secret name. ${FORMS}`
    );
  }
  const org = /^org\/([^/]*)$/.exec(text);
  if (org) return { scope: "organization", name: secretName(org[1]) };
  const repository = /^(?:repo\/)?([^/]*)$/.exec(text);
  if (repository) return { scope: "repository", name: secretName(repository[1]) };
  throw new InputError(INPUT, `"${shown2(text)}" is not a secret name. ${FORMS}`);
}
function secretName(name) {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,199}$/.test(name)) {
    throw new InputError(
      INPUT,
      `"${shown2(name)}" is not a secret name GitHub accepts: letters, digits and _ only, not starting with a digit. ${FORMS}`
    );
  }
  if (/^GITHUB_/i.test(name)) {
    throw new InputError(INPUT, `"${name}": secret names may not start with GITHUB_.`);
  }
  return name;
}
function shown2(text) {
  return text.replace(/[\u0000-\u001F\u007F]/g, " ").slice(0, 100);
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

// src/oauth/poll-margin.ts
var POLL_MARGIN_MS = 25;
var WIDENED_POLL_MARGIN_MS = 1e3;

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

export {
  ActionError,
  InputError,
  describeEndpoint,
  ProviderResponseError,
  NetworkError,
  OAuthError,
  CancelledError,
  WaitEndedError,
  failing,
  loadJose,
  CLIENT_AUTH_METHODS,
  ClientKeyError,
  authenticate,
  isBareRefreshRefusal,
  verificationUriOf,
  verificationUriCompleteOf,
  secondsOf,
  issuerMatches,
  idTokenIssuerFor,
  SUSPICIOUS_INTERVAL_SECONDS,
  readResponse,
  oauthErrorOf,
  isTransientStatus,
  unusableResponse,
  capitalize,
  postForm,
  sendJson,
  DEFAULT_BACKOFF,
  backoffDelayMs,
  withRetries,
  oauthError,
  errorPageOf,
  postAuthenticated,
  sendAuthenticated,
  secretShapeProblem,
  MAX_LIFETIME_SECONDS,
  POLL_MARGIN_MS,
  WIDENED_POLL_MARGIN_MS,
  verifiedIdentityFrom,
  claimValue,
  displayName,
  shown,
  RefreshRefusedError,
  ApprovalRefusedError,
  getJson,
  escapeHtml,
  link,
  parseSecretTarget,
  describeTarget
};
