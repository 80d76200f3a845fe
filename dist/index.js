import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 9373:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3916);

const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc());
        const onAbort = () => {
            clearTimeout(timer);
            reject(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc());
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, Math.max(0, ms));
        signal?.addEventListener('abort', onAbort, { once: true });
    }),
    random: () => Math.random()
};


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ NetworkError),
/* harmony export */   N2: () => (/* binding */ describeEndpoint),
/* harmony export */   W5: () => (/* binding */ OAuthError),
/* harmony export */   Ys: () => (/* binding */ WaitEndedError),
/* harmony export */   Zr: () => (/* binding */ ProviderResponseError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
/**
 * Errors written for the person reading the job log: each says what happened, where, and what to
 * do about it. The runner prints `message` as it is; nothing here ever holds a token or a secret,
 * and any provider text in it went through safeText where it was quoted.
 */
class ActionError extends Error {
    name = 'ActionError';
}
/** An input is missing, malformed or contradicts another input. */
class InputError extends ActionError {
    input;
    name = 'InputError';
    constructor(input, message) {
        super(`Input '${input}': ${message}`);
        this.input = input;
    }
}
function describeEndpoint(endpoint) {
    // Log-safe as it is: every endpoint URL passed checkSecureUrl (inputs, discovery, redirects),
    // and a parsed https URL holds no line break, space, fragment or bidi character.
    return `the ${endpoint.name} (${endpoint.url})`;
}
/** The provider answered, but with something the action cannot use (HTML, bad JSON, a missing field). */
class ProviderResponseError extends ActionError {
    endpoint;
    status;
    name = 'ProviderResponseError';
    constructor(endpoint, status, message) {
        super(message);
        this.endpoint = endpoint;
        this.status = status;
    }
}
/** The endpoint could not be reached, or did not answer in time. Usually worth retrying. */
class NetworkError extends ActionError {
    endpoint;
    failure;
    maybeDelivered;
    name = 'NetworkError';
    constructor(endpoint, failure, 
    /** False when the request surely never reached the server (refused, unknown host). */
    maybeDelivered, message) {
        super(message);
        this.endpoint = endpoint;
        this.failure = failure;
        this.maybeDelivered = maybeDelivered;
    }
}
/**
 * The provider answered with an OAuth error that ends the request. `message` says what the
 * provider said; the advice for the person is added where the error is reported.
 */
class OAuthError extends ActionError {
    endpoint;
    status;
    body;
    request;
    name = 'OAuthError';
    constructor(endpoint, status, body, request, message) {
        super(message);
        this.endpoint = endpoint;
        this.status = status;
        this.body = body;
        this.request = request;
    }
    get error() {
        return this.body.error;
    }
}
/** The step was cancelled (SIGINT/SIGTERM from the runner). */
class CancelledError extends ActionError {
    name = 'CancelledError';
    constructor() {
        super('The step was cancelled before the request was approved.');
    }
}
class WaitEndedError extends ActionError {
    ending;
    oauthError;
    name = 'WaitEndedError';
    constructor(ending, message, oauthError) {
        super(message);
        this.ending = ending;
        this.oauthError = oauthError;
    }
}


/***/ }),

/***/ 9407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9373);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4992);
/* harmony import */ var _oauth_http_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(2075);
/* harmony import */ var _runner_actions_runner_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(5277);
/* harmony import */ var _runner_http_trace_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(4676);
/* harmony import */ var _text_safe_text_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(8844);






/** The entry the runner starts: real runner, real network, real clock, and the cancel switch. */
const controller = new AbortController();
// The runner cancels with SIGINT, then SIGTERM 7.5 s later: stop waiting at the first one.
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => controller.abort());
}
const runner = (0,_runner_actions_runner_js__WEBPACK_IMPORTED_MODULE_3__/* .actionsRunner */ .A)();
const transport = (0,_oauth_http_js__WEBPACK_IMPORTED_MODULE_2__/* .createHttpTransport */ .St)('device-flow-action');
const http = (0,_runner_http_trace_js__WEBPACK_IMPORTED_MODULE_4__/* .traceHttp */ .q)(transport, (message) => runner.debug((0,_text_safe_text_js__WEBPACK_IMPORTED_MODULE_5__/* .safeText */ .Hk)(message, { maxLength: _text_safe_text_js__WEBPACK_IMPORTED_MODULE_5__/* .MESSAGE_MAX_LENGTH */ .Ic })), Date.now);
await (0,_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e)({ runner, http, webhookHttp: transport, clock: _clock_js__WEBPACK_IMPORTED_MODULE_0__/* .systemClock */ .m, signal: controller.signal });
// Nothing should be left running, but a socket the provider keeps open must not hold the job.
setTimeout(() => process.exit(), 200).unref();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 4992:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ main_run)
});

;// CONCATENATED MODULE: ./src/flow/client.ts
/**
 * How the client authenticates. `auto`: a key means private_key_jwt, no secret a public client;
 * with a secret, the preset's choice, else what the provider supports, Basic first (RFC 6749 §2.3.1).
 */
function clientCredentials(config, metadata) {
    return {
        clientId: config.clientId,
        method: authMethodOf(config, metadata),
        ...(config.clientSecret && { clientSecret: config.clientSecret }),
        ...(config.clientPrivateKey && {
            privateKey: config.clientPrivateKey,
            // RFC 7523 §3 and OIDC Core §9 address assertions to the token endpoint (Entra takes nothing else).
            assertionAudience: metadata.tokenEndpoint,
            audienceFallback: { addressToCalledUrl: false }
        })
    };
}
function authMethodOf(config, metadata) {
    if (config.clientAuthMethod !== 'auto')
        return config.clientAuthMethod;
    if (config.clientPrivateKey)
        return 'private_key_jwt';
    if (!config.clientSecret)
        return 'none';
    if (config.provider.secretAuthMethod)
        return config.provider.secretAuthMethod;
    // RFC 8414 §2: the default for token_endpoint_auth_methods_supported is client_secret_basic.
    const supported = metadata.tokenEndpointAuthMethods ?? ['client_secret_basic'];
    return !supported.includes('client_secret_basic') && supported.includes('client_secret_post')
        ? 'client_secret_post'
        : 'client_secret_basic';
}

;// CONCATENATED MODULE: ./src/flow/events.ts
/**
 * Hands every event to every listener, in the order they subscribed. A listener that fails is
 * reported and the others still hear the event: a way of reaching the approver that breaks must
 * not stop the flow.
 */
class FlowEvents {
    onListenerError;
    listeners = [];
    constructor(onListenerError) {
        this.onListenerError = onListenerError;
    }
    subscribe(...listeners) {
        this.listeners.push(...listeners);
    }
    async emit(event) {
        for (const listener of this.listeners) {
            try {
                await listener.on(event);
            }
            catch (error) {
                this.onListenerError(error);
            }
        }
    }
    async close() {
        const closed = await Promise.allSettled(this.listeners.map((listener) => listener.close?.()));
        for (const result of closed)
            if (result.status === 'rejected')
                this.onListenerError(result.reason);
    }
}

;// CONCATENATED MODULE: ./src/flow/approvals.ts
/**
 * approvals: N different people, one after the other, each with a fresh code and prompt. The
 * tokens output are the first approver's; every later approval's tokens are revoked the moment
 * it is accepted. When any later step ends the run (a refusal, a denial, an expired code, a
 * cancel), nothing is output, so the first approver's tokens are revoked too.
 */
async function approveInTurn(approvals, approveOnce, discard) {
    const all = [];
    try {
        for (let number = 1; number <= approvals; number++) {
            const earlier = all.map((approval) => ({
                subject: approval.subject ?? '',
                name: approval.approver?.name ?? approval.subject ?? 'someone'
            }));
            const approval = await approveOnce({ number, of: approvals }, earlier);
            all.push(approval);
            if (number > 1)
                await discard(approval.tokens, `approval ${number}'s (${nameOf(approval)})`);
        }
    }
    catch (error) {
        const first = all[0];
        if (first && approvals > 1)
            await discard(first.tokens, `approval 1's (${nameOf(first)})`);
        throw error;
    }
    return { first: all[0], all };
}
function nameOf(approval) {
    return approval.approver?.name ?? approval.subject ?? 'unknown approver';
}

;// CONCATENATED MODULE: ./src/oauth/fail.ts
/** A Fail that throws the error `build` makes of the problem. */
function failing(build) {
    return (problem) => {
        throw build(problem);
    };
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(3916);
;// CONCATENATED MODULE: ./src/oauth/load-jose.ts
/**
 * jose (JWS and JWK) is needed only for private_key_jwt and once an id_token arrives, after the
 * approval. Loaded with import(), ncc puts it in a chunk of its own (dist/NNN.index.js), and the
 * code reaches the screen without node parsing it first.
 */
const loadJose = () => __nccwpck_require__.e(/* import() */ 460).then(__nccwpck_require__.bind(__nccwpck_require__, 6460));

;// CONCATENATED MODULE: ./src/oauth/client-auth.ts


const client_auth_CLIENT_AUTH_METHODS = [
    'none',
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt'
];
/** The client's private key cannot sign an assertion. */
class ClientKeyError extends errors/* ActionError */.lZ {
    name = 'ClientKeyError';
}
/**
 * Adds client authentication to a form request. `audience` is the URL of the endpoint being
 * called, which is what a private_key_jwt assertion is addressed to (RFC 7523 §3).
 */
async function authenticate(client, params, audience, nowMs) {
    const body = new URLSearchParams(params);
    const headers = {};
    switch (client.method) {
        case 'none':
            // RFC 8628 §3.1 / RFC 6749 §3.2.1: a public client identifies itself with client_id.
            body.set('client_id', client.clientId);
            break;
        case 'client_secret_basic':
            // RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded.
            headers['Authorization'] = `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(requireSecret(client))}`).toString('base64')}`;
            break;
        case 'client_secret_post':
            body.set('client_id', client.clientId);
            body.set('client_secret', requireSecret(client));
            break;
        case 'private_key_jwt':
            body.set('client_id', client.clientId);
            body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
            body.set('client_assertion', await clientAssertion(client, assertionAudienceOf(client, audience), nowMs));
            break;
    }
    return { params: body, headers };
}
/** Whom this request's assertion is addressed to: see ClientCredentials.assertionAudience. */
function assertionAudienceOf(client, calledUrl) {
    if (client.audienceFallback?.addressToCalledUrl)
        return calledUrl;
    return client.assertionAudience ?? calledUrl;
}
function requireSecret(client) {
    if (client.clientSecret === undefined)
        throw new Error(`${client.method} needs a client secret`);
    return client.clientSecret;
}
/** application/x-www-form-urlencoded, as URLSearchParams writes it (spaces as +). */
function formEncode(value) {
    return new URLSearchParams({ v: value }).toString().slice(2);
}
/** RFC 7523 §3: a short-lived JWT signed with the client's key, usable once (jti). */
async function clientAssertion(client, audience, nowMs) {
    const issuedAt = Math.floor(nowMs / 1000);
    try {
        const { SignJWT } = await loadJose();
        const { key, alg, kid } = await loadSigningKey(client);
        return await new SignJWT({})
            // The kid tells a provider holding several registered keys which one verifies the assertion.
            .setProtectedHeader({ alg, typ: 'JWT', ...(kid && { kid }) })
            .setIssuer(client.clientId)
            .setSubject(client.clientId)
            .setAudience(audience)
            // The global Web Crypto: node:crypto is loaded when first needed, not at start-up.
            .setJti(crypto.randomUUID())
            .setIssuedAt(issuedAt)
            .setExpirationTime(issuedAt + 60)
            .sign(key);
    }
    catch (error) {
        // A key that cannot sign is a wrong key, not a bug (the runner reports any other error as
        // "Unexpected error, please report this"); the flow names the input it came from.
        const why = error instanceof Error ? error.message : String(error);
        throw new ClientKeyError(`cannot sign the client assertion (RFC 7523): ${why}.`);
    }
}
/** Reads a PKCS#8 PEM or a private JWK and picks the algorithm the key implies. */
async function loadSigningKey(client) {
    const { importJWK, importPKCS8 } = await loadJose();
    const text = (client.privateKey ?? '').trim();
    if (text.startsWith('{')) {
        let jwk;
        try {
            jwk = JSON.parse(text);
        }
        catch {
            // Not the SyntaxError itself: its message quotes the text around the fault, key material.
            throw new Error('the private key looks like a JWK but is not valid JSON');
        }
        const alg = client.assertionAlg ?? jwk.alg ?? algorithmForJwk(jwk);
        const key = await importJWK(jwk, alg);
        return { key, alg, ...(jwk.kid && { kid: jwk.kid }) };
    }
    const alg = client.assertionAlg ?? algorithmForPem(text);
    return { key: await importPKCS8(text, alg), alg };
}
function algorithmForJwk(jwk) {
    if (jwk.kty === 'RSA')
        return 'RS256';
    if (jwk.kty === 'EC')
        return jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256';
    if (jwk.kty === 'OKP')
        return 'EdDSA';
    throw new Error(`a JWK of type ${String(jwk.kty)} cannot sign a client assertion`);
}
/** The key type is inside the PKCS#8 structure; its algorithm OID tells RSA from EC from Ed25519. */
function algorithmForPem(pem) {
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64').toString('hex');
    if (der.includes('2a864886f70d010101'))
        return 'RS256'; // rsaEncryption
    if (der.includes('2a8648ce3d0201')) {
        if (der.includes('2b81040022'))
            return 'ES384'; // secp384r1
        if (der.includes('2b81040023'))
            return 'ES512'; // secp521r1
        return 'ES256';
    }
    if (der.includes('2b6570'))
        return 'EdDSA'; // Ed25519
    throw new Error('the private key is not an RSA, EC or Ed25519 key in PKCS#8 PEM form');
}

;// CONCATENATED MODULE: ./src/oauth/deviations.ts
/**
 * Known departures from the RFCs that the action tolerates, each named for the providers that
 * make it and each with a test in __tests__/oauth/deviations.test.ts. Everything else in
 * src/oauth follows RFC 8628, RFC 6749, RFC 8414 and OpenID Connect Discovery to the letter.
 *
 * Deviations handled elsewhere, because they are properties of a request rather than of a field:
 * - Errors with HTTP 200 (GitHub), 403 (Auth0 pending, Google slow_down and access_denied,
 *   PingAM), 428 (Google pending), 429 (Auth0 slow_down): response.ts reads `error` whatever the
 *   status.
 * - Form-encoded answers (GitHub): response.ts, and exchange.ts asks for JSON.
 * - GitHub's endpoints, error codes and comma-separated scopes: providers/github.ts.
 * - Advice for the consoles of Entra ID, Google, Auth0, Okta and Keycloak, and the providers' own
 *   names for a denial or a dead refresh token: providers/*.ts.
 */
/**
 * A private_key_jwt assertion is addressed to the token endpoint (RFC 7523 §3, OIDC Core §9), the
 * one audience Entra ID accepts, at every endpoint. Glewlwyd 2.7 accepts at its device
 * authorization endpoint only an assertion addressed to that endpoint's own URL, and answers
 * 401 unauthorized_client otherwise. So when an endpoint other than the token endpoint refuses
 * the client's authentication (invalid_client or unauthorized_client), the request is sent once
 * more with the assertion addressed to the URL being called; if that is accepted, the choice is
 * kept for the rest of the run (ClientCredentials.audienceFallback). Returns whether to retry.
 */
function shouldRetryAssertionAudience(client, calledUrl, error) {
    return (client.method === 'private_key_jwt' &&
        client.audienceFallback !== undefined &&
        !client.audienceFallback.addressToCalledUrl &&
        client.assertionAudience !== undefined &&
        client.assertionAudience !== calledUrl &&
        (error.error === 'invalid_client' || error.error === 'unauthorized_client'));
}
/**
 * RFC 6749 §5.2 answers a refused refresh token with 400 and `invalid_grant`. Glewlwyd 2.7 sends
 * HTTP 400 with an empty body instead, and others send a bare 401. During a refresh (and only
 * then: the grant is the only thing sent besides the client), a 400 or 401 that carries no
 * readable OAuth error is read as "the refresh token was refused".
 */
function isBareRefreshRefusal(status) {
    return status === 400 || status === 401;
}
/** RFC 8628 §3.2 names it verification_uri; Google and Entra ID v1 send verification_url. */
function verificationUriOf(fields) {
    return fields['verification_uri'] ?? fields['verification_url'];
}
/** Same for the complete URI (verification_url_complete is rare, but seen alongside _url). */
function verificationUriCompleteOf(fields) {
    return fields['verification_uri_complete'] ?? fields['verification_url_complete'];
}
/**
 * A number of seconds. JSON numbers per the RFC; numeric strings too, because Entra ID (v1
 * endpoints) sends `"expires_in": "3599"` (MicrosoftDocs/azure-docs#54997). Anything else is
 * reported as invalid, never guessed; what counts as usable is decided by the caller (device.ts:
 * interval and expires_in, token.ts: expires_in and slow_down's interval).
 */
function secondsOf(value) {
    if (value === undefined || value === null)
        return { kind: 'absent' };
    if (typeof value === 'number') {
        return Number.isFinite(value)
            ? { kind: 'number', seconds: value }
            : { kind: 'invalid', shown: String(value) };
    }
    if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
        return { kind: 'number', seconds: Number(value) };
    }
    return {
        kind: 'invalid',
        shown: typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value
    };
}
/**
 * OpenID Connect Discovery §4.3 requires the document's issuer to equal the issuer asked for.
 * Entra ID's multi-tenant documents (common, organizations, consumers) publish a template,
 * https://login.microsoftonline.com/{tenantid}/v2.0, which stands for any tenant.
 */
function issuerMatches(expected, published) {
    if (expected === published)
        return true;
    const template = /^https:\/\/login\.microsoftonline\.com\/\{tenantid\}(\/v2\.0)?$/;
    const match = template.exec(published);
    if (!match)
        return false;
    return new RegExp(`^https://login\\.microsoftonline\\.com/[^/{}]+${match[1] ? '/v2\\.0' : ''}$`).test(expected);
}
const ENTRA_MULTI_TENANT = /^https:\/\/login\.microsoftonline\.com\/(common|organizations|consumers|\{tenantid\})\/v2\.0$/;
const ENTRA_TENANT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/;
/** The tenant of personal Microsoft accounts, the only one behind the consumers endpoint. */
const ENTRA_CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
/**
 * The issuer an id_token must name (OpenID Connect Core §3.1.3.7 step 2). Always the configured
 * issuer, except for Entra ID's multi-tenant endpoints (common, organizations, consumers, or the
 * {tenantid} template their documents publish): the token names the approver's own tenant,
 * https://login.microsoftonline.com/<tenant-id>/v2.0, which is then the issuer to check against
 * (limited to the personal-account tenant for consumers, and excluding it for organizations).
 * Source: https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference (iss).
 */
function idTokenIssuerFor(configured, claimed) {
    const alias = ENTRA_MULTI_TENANT.exec(configured)?.[1];
    const tenant = typeof claimed === 'string' ? ENTRA_TENANT_ISSUER.exec(claimed)?.[1] : undefined;
    if (!alias || !tenant)
        return configured;
    const personal = tenant === ENTRA_CONSUMERS_TENANT;
    const allowed = alias === 'consumers' ? personal : alias === 'organizations' ? !personal : true;
    return allowed ? claimed : configured;
}
/** Above this, an interval is honoured but reported: Keycloak 17 sent 600 s (keycloak#12327). */
const SUSPICIOUS_INTERVAL_SECONDS = 60;

// EXTERNAL MODULE: ./src/oauth/http.ts
var http = __nccwpck_require__(2075);
// EXTERNAL MODULE: ./src/oauth/response.ts
var oauth_response = __nccwpck_require__(2612);
;// CONCATENATED MODULE: ./src/oauth/wording.ts


/** The error for a response that is neither the expected answer nor an OAuth error. */
function unusableResponse(endpoint, read, expected) {
    const what = read.unreadable ?? 'the body is a JSON object without the expected fields';
    const hint = read.kind === 'html'
        ? ' A web page usually means a wrong URL, or a proxy, firewall or login page answering instead of the identity provider.'
        : (0,oauth_response/* isTransientStatus */.Dm)(read.status)
            ? ' The provider seems to be failing; try again later.'
            : '';
    return new errors/* ProviderResponseError */.Zr(endpoint, read.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} answered HTTP ${read.status}, but ${what}; expected ${expected}.${hint}`);
}
function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

// EXTERNAL MODULE: ./src/text/safe-text.ts
var safe_text = __nccwpck_require__(8844);
;// CONCATENATED MODULE: ./src/oauth/exchange.ts





const FORM_HEADERS = {
    'Content-Type': 'application/x-www-form-urlencoded',
    // Deviation (GitHub): without this it answers form-encoded.
    Accept: 'application/json'
};
/** POSTs a form. Never follows a redirect: one could carry the client secret elsewhere. */
async function postForm(ctx, endpoint, params, headers = {}, timeoutMs = ctx.requestTimeoutMs) {
    const read = await send(ctx, endpoint, { method: 'POST', headers: { ...FORM_HEADERS, ...headers }, body: params.toString() }, timeoutMs);
    if (REDIRECT_STATUSES.includes(read.status))
        throw postRedirected(endpoint, read);
    return read;
}
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
/**
 * A 307/308 would resend the body (client secret, device code, refresh token) to wherever the
 * provider points; a 301-303 would turn the POST into a GET. Neither is followed: the endpoint is
 * configured wrong, and the message says where it points.
 */
function postRedirected(endpoint, read) {
    const target = read.location && URL.canParse(read.location, endpoint.url)
        ? `to ${(0,safe_text/* safeText */.Hk)(new URL(read.location, endpoint.url).href, { maxLength: 300 })}`
        : read.location
            ? 'to a Location that is not a URL'
            : 'without a Location header';
    return new errors/* ProviderResponseError */.Zr(endpoint, read.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} redirected (HTTP ${read.status}) ${target}, and the action does not follow redirects for POSTs: set the endpoint to the final URL.`);
}
/**
 * A request to a JSON API (GitHub's REST API): the body, when there is one, is sent as JSON.
 * Never follows a redirect, for the same reason as postForm: the Authorization header would go
 * along.
 */
async function sendJson(ctx, endpoint, method, headers, body) {
    return send(ctx, endpoint, {
        method,
        headers: {
            Accept: 'application/json',
            ...(body !== undefined && { 'Content-Type': 'application/json' }),
            ...headers
        },
        ...(body !== undefined && { body: JSON.stringify(body) })
    });
}
async function send(ctx, endpoint, request, timeoutMs = ctx.requestTimeoutMs) {
    if (ctx.signal?.aborted)
        throw new errors/* CancelledError */.cc();
    try {
        const response = await ctx.http({
            ...request,
            url: endpoint.url,
            timeoutMs,
            ...(ctx.signal && { signal: ctx.signal })
        });
        const secrets = [...secretsSent(request), ...(ctx.secrets?.() ?? [])];
        const read = redactQuotable((0,oauth_response/* readResponse */.Uk)(response, ctx.clock.now(), secrets), secrets);
        // A Location is quoted in messages too (a redirected POST): no secret in it either.
        const location = response.headers['location'];
        return location ? { ...read, location: (0,safe_text/* redact */.E$)(location, secrets) } : read;
    }
    catch (error) {
        if (ctx.signal?.aborted)
            throw new errors/* CancelledError */.cc();
        if (error instanceof http/* TransportFailure */.Az)
            throw networkError(endpoint, error, timeoutMs);
        throw error;
    }
}
/** The members of an answer that messages quote (RFC 6749 §5.2, Entra's message, a mismatched issuer), and the HTML title. */
const QUOTED_FIELDS = ['error', 'error_description', 'error_uri', 'message', 'issuer'];
/** Request parameters that carry a secret (RFC 6749, RFC 7523, RFC 8628). */
const SECRET_PARAMS = [
    'client_secret',
    'client_assertion',
    'device_code',
    'refresh_token',
    'code',
    'code_verifier',
    'assertion'
];
/** What this request carries that must never come back in a message. */
function secretsSent(request) {
    const secrets = [];
    if (request.body !== undefined) {
        const params = new URLSearchParams(request.body);
        for (const name of SECRET_PARAMS)
            secrets.push(...params.getAll(name));
    }
    for (const [name, value] of Object.entries(request.headers)) {
        if (name.toLowerCase() !== 'authorization')
            continue;
        const [scheme, credentials = ''] = value.split(' ', 2);
        secrets.push(credentials);
        if (scheme?.toLowerCase() === 'basic') {
            // RFC 6749 §2.3.1: form-encoded id and secret, base64 of "id:secret".
            const decoded = Buffer.from(credentials, 'base64').toString('utf8');
            const secret = decoded.slice(decoded.indexOf(':') + 1);
            secrets.push(secret, decodeFormComponent(secret));
        }
    }
    return secrets.filter((secret) => secret.length > 0);
}
function decodeFormComponent(text) {
    try {
        return decodeURIComponent(text.replace(/\+/g, ' '));
    }
    catch {
        return text;
    }
}
/**
 * Cuts every known secret out of the fields of an answer that a message may quote (the HTML
 * title is done as it is read), before any of it is escaped for the log: a provider echoing the client secret or the device code in
 * error_description must not get it printed, even where the escaping changed it so that the
 * runner's mask no longer matches. The token fields are left alone (a refresh token may rightly
 * come back unchanged).
 */
function redactQuotable(read, secrets) {
    if (secrets.length === 0)
        return read;
    const fields = read.fields;
    let redactedFields = fields;
    if (fields) {
        for (const name of QUOTED_FIELDS) {
            const value = fields[name];
            if (typeof value !== 'string')
                continue;
            const cut = (0,safe_text/* redact */.E$)(value, secrets);
            if (cut !== value)
                redactedFields = { ...redactedFields, [name]: cut };
        }
    }
    return redactedFields === fields
        ? read
        : { ...read, ...(redactedFields && { fields: redactedFields }) };
}
function networkError(endpoint, failure, timeoutMs) {
    const where = (0,errors/* describeEndpoint */.N2)(endpoint);
    switch (failure.kind) {
        case 'too-large':
            return new errors/* ProviderResponseError */.Zr(endpoint, undefined, failure.detail === http/* HEADERS_TOO_LARGE */.kB
                ? `${capitalize(where)} sent response headers larger than Node.js accepts (16 KiB; HPE_HEADER_OVERFLOW); an identity provider's headers are far smaller. Check that the URL points at the identity provider, and not at a proxy or a page that sets huge cookies.`
                : `${capitalize(where)} sent a response larger than ${http/* MAX_RESPONSE_BYTES */.nB / 1024 / 1024} MiB; an OAuth response is a few kilobytes. Check that the URL points at the identity provider.`);
        case 'timeout':
            return new errors/* NetworkError */.Dr(endpoint, 'timeout', true, `${capitalize(where)} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
        case 'reset':
            return new errors/* NetworkError */.Dr(endpoint, 'reset', true, `The connection to ${where} was reset before a complete answer arrived.`);
        default: {
            const detail = (0,safe_text/* safeText */.Hk)(failure.detail, { maxLength: 300 });
            const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(detail)
                ? ' The TLS certificate is not trusted: for a private certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file.'
                : ' Check the URL, and that the runner can reach it (proxies are read from https_proxy, http_proxy and no_proxy).';
            return new errors/* NetworkError */.Dr(endpoint, 'connection', failure.maybeDelivered, `Could not reach ${where}: ${detail}.${tls}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/oauth/backoff.ts
const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 60_000 };
function backoffDelayMs(attempt, policy, random) {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
    // Never zero: half the ceiling is fixed, the other half random.
    return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

;// CONCATENATED MODULE: ./src/oauth/retry.ts




/** The longest single wait between retries before the prompt, whatever Retry-After says. */
const MAX_RETRY_WAIT_MS = 60_000;
/**
 * Runs a request again after network failures and transient statuses (with backoff, or as long as
 * Retry-After says). Used for discovery and the device authorization request; the poll loop has
 * its own policy, bounded by the code's lifetime.
 */
async function withRetries(ctx, endpoint, attempt, options) {
    for (let n = 1;; n++) {
        let reason;
        let retryAfterMs;
        let lastRead;
        let lastError;
        try {
            const read = await attempt();
            lastRead = read;
            // An OAuth error is the provider's answer; an API-style `error` object on a 503 is not.
            if (!(0,oauth_response/* isTransientStatus */.Dm)(read.status) || (0,oauth_response/* oauthErrorOf */.zi)(read) || n >= options.attempts)
                return read;
            reason = `HTTP ${read.status}`;
            retryAfterMs = read.retryAfterMs;
        }
        catch (error) {
            const retryable = error instanceof errors/* NetworkError */.Dr &&
                (options.retryMaybeDelivered || !error.maybeDelivered) &&
                n < options.attempts;
            if (!retryable)
                throw error;
            lastError = error;
            reason = error.message;
        }
        // Retry-After is advice (RFC 9110 §10.2.3): before the prompt nobody sees a code yet, so a
        // provider's "come back in an hour" is cut to a minute, and never runs past the timeout.
        const wantedMs = retryAfterMs ?? backoffDelayMs(n, DEFAULT_BACKOFF, ctx.clock.random());
        // Only an answer carries Retry-After; backoff delays stay far below any sensible limit.
        if (lastRead && options.maxDelayMs !== undefined && wantedMs > options.maxDelayMs)
            return lastRead;
        const leftMs = (ctx.retriesEndAtMs ?? Infinity) - ctx.clock.now();
        if (leftMs <= 0) {
            if (lastRead)
                return lastRead;
            throw lastError;
        }
        const delayMs = Math.min(wantedMs, MAX_RETRY_WAIT_MS, leftMs);
        const said = retryAfterMs !== undefined && delayMs < retryAfterMs
            ? ` (the provider asked for ${Math.round(retryAfterMs / 1000)} s with Retry-After; waiting at most ${Math.round(delayMs / 1000)} s)`
            : '';
        const onRetry = options.onRetry ?? ctx.onRetry;
        onRetry?.(`${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))}: ${reason}${said}`, delayMs);
        await ctx.clock.sleep(delayMs, ctx.signal);
    }
}

;// CONCATENATED MODULE: ./src/oauth/explain.ts



/**
 * The OAuthError for an error response: what the provider said and where, as data and as a
 * sentence. What to do about it is added where errors are reported (src/flow/advice.ts), which
 * knows the provider and the inputs; the protocol code knows neither.
 */
function oauthError(endpoint, status, body, request) {
    // Quoted provider text: known secrets were cut out as the answer was read (exchange.ts), and
    // safeText keeps it to one line that no runner command can be read from. The description's own
    // closing full stop is dropped: the sentence ends with ours.
    const said = body.errorDescription
        ? `: ${(0,safe_text/* safeText */.Hk)(body.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, '')}`
        : '';
    const message = `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} answered "${(0,safe_text/* safeText */.Hk)(body.error)}" (HTTP ${status})${said}.`;
    return new errors/* OAuthError */.W5(endpoint, status, body, request, message);
}
/** The provider's error_uri, when it is one a person can safely open (https). */
function errorPageOf(body) {
    return body.errorUri && /^https:\/\//.test(body.errorUri)
        ? (0,safe_text/* safeText */.Hk)(body.errorUri, { maxLength: 300 })
        : undefined;
}

;// CONCATENATED MODULE: ./src/oauth/authenticated-post.ts







/**
 * A form POST with client authentication, retried on transient failures, whose answer is either
 * the fields of a 200 or a thrown error a person can act on (the provider's OAuth error with
 * advice, or a description of the unusable answer). The assertion is signed anew for every try:
 * a private_key_jwt assertion may be used once only.
 */
async function postAuthenticated(ctx, endpoint, client, params, options) {
    const read = await sendAuthenticated(ctx, endpoint, client, params, {
        retryMaybeDelivered: options.retryMaybeDelivered
    });
    const error = (0,oauth_response/* oauthErrorOf */.zi)(read);
    if (error)
        throw oauthError(endpoint, read.status, error, options.kind);
    if (read.status !== 200 || !read.fields)
        throw unusableResponse(endpoint, read, options.expected);
    return read.fields;
}
/**
 * The same request, with the answer as it came: for a caller that decides on statuses and OAuth
 * errors itself (token revocation, whose failures are results, not thrown errors).
 */
async function sendAuthenticated(ctx, endpoint, client, params, options) {
    const send = () => withRetries(ctx, endpoint, async () => {
        const auth = await authenticate(client, params, endpoint.url, ctx.clock.now());
        return postForm(ctx, endpoint, auth.params, auth.headers);
    }, {
        attempts: 3,
        retryMaybeDelivered: options.retryMaybeDelivered,
        ...(options.maxDelayMs !== undefined && { maxDelayMs: options.maxDelayMs })
    });
    let read = await send();
    const refused = (0,oauth_response/* oauthErrorOf */.zi)(read);
    if (refused &&
        client.audienceFallback &&
        shouldRetryAssertionAudience(client, endpoint.url, refused)) {
        // Deviation (Glewlwyd): see deviations.ts. Kept only if the endpoint accepts it.
        client.audienceFallback.addressToCalledUrl = true;
        read = await send();
        if ((0,oauth_response/* oauthErrorOf */.zi)(read))
            client.audienceFallback.addressToCalledUrl = false;
    }
    return read;
}

;// CONCATENATED MODULE: ./src/oauth/named-urls.ts
// Only the start of the text is looked at: what is shown is cut to a few hundred characters.
const SCANNED_LENGTH = 4000;
// Dots as people and browsers read them in a host name: ASCII, ideographic and fullwidth.
const DOT = '[.\u3002\uff0e\uff61]';
/**
 * scheme://anything up to a space or quote; or a host (labels of letters, digits and hyphens,
 * then a top-level label of two or more letters) with an optional port and path. Each
 * alternative moves forward on every character it matches, so the scan stays linear in practice
 * on the bounded text.
 */
const NAMED = new RegExp(`[a-z][a-z0-9+.-]{0,30}://[^\\s"'<>]+|(?<![\\p{L}\\p{N}-])[\\p{L}\\p{N}-]{1,63}(?:${DOT}[\\p{L}\\p{N}-]{1,63}){0,10}${DOT}\\p{L}{2,63}(?::\\d{1,5})?(?:/[^\\s"'<>]*)?`, 'giu');
/** Every URL or host the text names, in order. */
function namedUrlsOf(text) {
    const found = [];
    for (const match of text.slice(0, SCANNED_LENGTH).matchAll(NAMED)) {
        // Trailing punctuation belongs to the sentence, not the URL.
        const display = match[0].replace(/[.,;:!?)\]}'"\u3002]+$/u, '');
        const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(display)
            ? display
            : `https://${display.replace(new RegExp(DOT, 'gu'), '.')}`;
        if (!URL.canParse(absolute)) {
            // Not even a URL, yet it looks like one to a reader: count it as somewhere else.
            found.push({ display, url: new URL('https://invalid.invalid/') });
            continue;
        }
        found.push({ display, url: new URL(absolute) });
    }
    return found;
}
/** Same scheme, host and port: where a browser would keep the same cookies and origin. */
function sameSite(a, b) {
    return a.origin === b.origin;
}

;// CONCATENATED MODULE: ./src/oauth/secret-shape.ts
/**
 * RFC 6749 §10.10 and RFC 8628 §5.2 ask for tokens and device codes that cannot be guessed. The
 * action cannot measure entropy, but a value that is tiny ("e", "https") or holds a space is
 * surely not one; masking it would also censor every log line that contains those letters
 * ("***://github.com"). Such values are refused with a message saying which field it was.
 */
const MIN_SECRET_LENGTH = 16;
/** Why the value cannot be a secret, or undefined when it may be one. */
function secretShapeProblem(value) {
    if (/\s/.test(value))
        return 'contains a space';
    if (value.length < MIN_SECRET_LENGTH)
        return `is ${value.length} characters long, too short to be unguessable (at least ${MIN_SECRET_LENGTH} expected)`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/oauth/token.ts










/**
 * RFC 6749 §7.1: a client must not use a token whose type it does not understand; §5.1 makes
 * token_type required, and RFC 6750 §4 names it Bearer (compared without case, RFC 6749 §5.1).
 */
function usableAsBearer(tokens) {
    return tokens.tokenType?.toLowerCase() === 'bearer';
}
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const MAX_TOKEN_LENGTH = 64 * 1024;
/** The longest lifetime read as one: a hundred years. */
const MAX_LIFETIME_SECONDS = 100 * 365 * 24 * 3600;
/** One request to the token endpoint. Throws only for answers that are neither tokens nor errors. */
async function requestToken(ctx, endpoint, client, grant, timeoutMs) {
    let read;
    try {
        const auth = await authenticate(client, grant, endpoint.url, ctx.clock.now());
        // The caller may ask for less time (the poll, near its deadline), never for more than the
        // configured limit: a hung endpoint must not hold a poll for 30 s when the limit is 1.5 s.
        const limitMs = Math.min(timeoutMs ?? ctx.requestTimeoutMs, ctx.requestTimeoutMs);
        read = await postForm(ctx, endpoint, auth.params, auth.headers, limitMs);
    }
    catch (error) {
        if (error instanceof errors/* NetworkError */.Dr) {
            return { kind: 'transient', reason: error.message };
        }
        throw error;
    }
    const retry = read.retryAfterMs !== undefined ? { retryAfterMs: read.retryAfterMs } : {};
    const error = (0,oauth_response/* oauthErrorOf */.zi)(read);
    if (error) {
        const interval = secondsOf(read.fields?.['interval']);
        const newInterval = interval.kind === 'number' && interval.seconds >= 1
            ? { intervalSeconds: interval.seconds }
            : {};
        return { kind: 'oauth-error', status: read.status, body: error, ...retry, ...newInterval };
    }
    if (read.status === 200 && read.fields)
        return { kind: 'tokens', tokens: parseTokenResponse(read.fields, endpoint) };
    if ((0,oauth_response/* isTransientStatus */.Dm)(read.status)) {
        return {
            kind: 'transient',
            status: read.status,
            reason: unusableResponse(endpoint, read, 'tokens').message,
            ...retry
        };
    }
    throw unusableResponse(endpoint, read, 'a JSON object with access_token');
}
/** Checks every field of a successful token response (RFC 6749 §5.1). */
function parseTokenResponse(fields, endpoint) {
    const fail = failing((problem) => new errors/* ProviderResponseError */.Zr(endpoint, 200, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} answered without usable tokens: ${problem}.`));
    const token = (name, required) => {
        const value = fields[name];
        if (value === undefined || value === null || (value === '' && !required)) {
            return required ? fail(`${name} is missing`) : undefined;
        }
        if (value === '')
            return fail(`${name} is empty`);
        if (typeof value !== 'string')
            return fail(`${name} is a ${typeof value}, not a string`);
        if (value.length > MAX_TOKEN_LENGTH || !/^[\x20-\x7E]+$/.test(value)) {
            return fail(`${name} is longer than ${MAX_TOKEN_LENGTH} characters or has characters a token cannot have`);
        }
        const shape = secretShapeProblem(value);
        if (shape)
            fail(`${name} ${shape} (RFC 6749 §10.10 asks for tokens that cannot be guessed)`);
        return value;
    };
    const text = (name) => {
        const value = fields[name];
        return typeof value === 'string' && /^[\x20-\x7E]{1,2000}$/.test(value) ? value : undefined;
    };
    const seconds = (name) => {
        const value = secondsOf(fields[name]);
        // Above a century it is a "never" sentinel (Long.MAX_VALUE) or garbage, not a lifetime; as a
        // date it would be nonsense (+033715-…) or not a date at all (RangeError in expires-at).
        return value.kind === 'number' && value.seconds > 0 && value.seconds <= MAX_LIFETIME_SECONDS
            ? value.seconds
            : undefined;
    };
    const accessToken = token('access_token', true) ?? fail('access_token is missing');
    const refreshToken = token('refresh_token', false);
    const idToken = token('id_token', false);
    const tokenType = text('token_type');
    const scope = text('scope');
    const expiresInSeconds = seconds('expires_in');
    const refreshTokenExpiresInSeconds = seconds('refresh_token_expires_in');
    return {
        accessToken,
        ...(tokenType !== undefined && { tokenType }),
        ...(refreshToken !== undefined && { refreshToken }),
        ...(idToken !== undefined && { idToken }),
        ...(expiresInSeconds !== undefined && { expiresInSeconds }),
        ...(scope !== undefined && { scope }),
        ...(refreshTokenExpiresInSeconds !== undefined && { refreshTokenExpiresInSeconds })
    };
}
/**
 * RFC 6749 §6: trades a refresh token for new tokens. A 5xx or a request that surely never left
 * is retried; a connection lost mid-request is not, because the provider may already have
 * rotated the refresh token, and a retry with the old one could revoke the whole family.
 */
async function refreshTokens(ctx, endpoint, client, refreshToken, scope) {
    const grant = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    if (scope)
        grant.set('scope', scope);
    let fields;
    try {
        fields = await postAuthenticated(ctx, endpoint, client, grant, {
            kind: 'refresh',
            // Not retried once it may have arrived: the provider may already have rotated the token.
            retryMaybeDelivered: false,
            expected: 'a JSON object with access_token'
        });
    }
    catch (error) {
        // Deviation (Glewlwyd and others): a refusal without RFC 6749 §5.2's error body.
        if (error instanceof errors/* ProviderResponseError */.Zr && isBareRefreshRefusal(error.status)) {
            throw new RefreshRefusedError(endpoint, error.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} refused the stored refresh token: it answered HTTP ${error.status} without an OAuth error (RFC 6749 §5.2 would say invalid_grant), which means the refresh token is expired, revoked or already used.`);
        }
        throw error;
    }
    return parseTokenResponse(fields, endpoint);
}
/** A refresh answered 400 or 401 without a readable OAuth error: the refresh token was refused. */
class RefreshRefusedError extends errors/* ProviderResponseError */.Zr {
    name = 'RefreshRefusedError';
}

;// CONCATENATED MODULE: ./src/oauth/url-policy.ts
const MAX_URL_LENGTH = 2048;
function checkSecureUrl(value) {
    if (value.length > MAX_URL_LENGTH)
        return { ok: false, problem: `is longer than ${MAX_URL_LENGTH} characters` };
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return {
            ok: false,
            problem: 'is not an absolute URL (expected something like https://id.example.com)'
        };
    }
    if (url.username || url.password) {
        return {
            ok: false,
            problem: 'contains a user name or password; pass credentials as client-id and client-secret instead'
        };
    }
    if (url.hash)
        return {
            ok: false,
            problem: 'has a #fragment, which OAuth endpoints and issuers must not have'
        };
    if (url.protocol === 'https:')
        return { ok: true, url };
    if (url.protocol === 'http:') {
        if (isLoopbackHost(url.hostname))
            return { ok: true, url };
        return {
            ok: false,
            problem: 'uses http://, which would send tokens in clear text; use https:// (http is allowed only for 127.0.0.1, ::1 and localhost)'
        };
    }
    return {
        ok: false,
        problem: `uses ${url.protocol.replace(/:$/, '')}://; only https:// is accepted`
    };
}
/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
function isLoopbackHost(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host === '::1')
        return true;
    const octets = host.split('.');
    return (octets.length === 4 &&
        octets[0] === '127' &&
        octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255));
}

;// CONCATENATED MODULE: ./src/oauth/device.ts










/** RFC 8628 §3.5: without an interval from the provider, poll every 5 seconds. */
const DEFAULT_INTERVAL_SECONDS = 5;
const MAX_USER_CODE_LENGTH = 64;
/** A code a person types still needs a few characters to be guessed at all (RFC 8628 §6.1). */
const MIN_USER_CODE_CHARACTERS = 4;
const MAX_DEVICE_CODE_LENGTH = 4096;
const MAX_MESSAGE_LENGTH = 500;
/** RFC 8628 §3.1: asks for a device code and user code. */
async function requestDeviceAuthorization(ctx, endpoint, client, request) {
    const params = new URLSearchParams();
    if (request.scope)
        params.set('scope', request.scope);
    if (request.audience)
        params.set('audience', request.audience);
    for (const resource of request.resources)
        params.append('resource', resource);
    for (const [key, value] of request.extraParams)
        params.append(key, value);
    // Asking for a new code twice is harmless (the first is never shown), so failures are retried.
    const fields = await postAuthenticated(ctx, endpoint, client, params, {
        kind: 'device-authorization',
        retryMaybeDelivered: true,
        expected: 'a JSON object with device_code, user_code and verification_uri'
    });
    return parseDeviceAuthorization(fields, endpoint);
}
/** Checks every field of the device authorization response (RFC 8628 §3.2). */
function parseDeviceAuthorization(fields, endpoint) {
    const fail = failing((problem) => new errors/* ProviderResponseError */.Zr(endpoint, 200, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} answered without a usable device code: ${problem}.`));
    const notes = [];
    const deviceCode = fields['device_code'];
    if (typeof deviceCode !== 'string' || deviceCode === '')
        fail('device_code is missing or not a string');
    if (deviceCode.length > MAX_DEVICE_CODE_LENGTH || !/^[\x20-\x7E]+$/.test(deviceCode)) {
        fail(`device_code is longer than ${MAX_DEVICE_CODE_LENGTH} characters or has characters outside printable ASCII`);
    }
    const shape = secretShapeProblem(deviceCode);
    if (shape)
        fail(`device_code ${shape} (RFC 8628 §5.2 asks for a high-entropy device code)`);
    const userCode = fields['user_code'];
    if (typeof userCode !== 'string' || userCode.trim() === '')
        fail('user_code is missing or not a string');
    if (userCode.length > MAX_USER_CODE_LENGTH) {
        fail(`user_code is ${userCode.length} characters long; a code a person types is at most ${MAX_USER_CODE_LENGTH}`);
    }
    if (/[\u0000-\u001F\u007F-\u009F<>`[\]]/.test(userCode)) {
        fail('user_code contains control characters or markup');
    }
    const shownUserCode = (0,safe_text/* safeText */.Hk)(userCode.trim(), { maxLength: MAX_USER_CODE_LENGTH });
    if (shownUserCode !== userCode.trim()) {
        fail('user_code contains characters that cannot be shown as they are (line breaks, invisible or bidirectional-text characters, or workflow command syntax)');
    }
    if ((shownUserCode.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_USER_CODE_CHARACTERS) {
        fail(`user_code ${JSON.stringify(shownUserCode)} has fewer than ${MIN_USER_CODE_CHARACTERS} letters or digits, too few to be a code`);
    }
    const verificationUri = verifiedUrl(verificationUriOf(fields), 'verification_uri', fail);
    let verificationUriComplete;
    const complete = verificationUriCompleteOf(fields);
    if (complete !== undefined) {
        const check = typeof complete === 'string' ? checkSecureUrl(complete) : undefined;
        if (check && !check.ok)
            notes.push(`ignored verification_uri_complete: it ${check.problem}`);
        else if (!check)
            notes.push('ignored verification_uri_complete: it is not a string');
        else if (!sameSite(check.url, new URL(verificationUri))) {
            // A link "which fills in the code" on another site is a phishing page until proven
            // otherwise: the person is told to open verification_uri and type the code instead.
            notes.push(`ignored verification_uri_complete: it is on another site (${(0,safe_text/* safeText */.Hk)(check.url.origin)}) than verification_uri (${(0,safe_text/* safeText */.Hk)(new URL(verificationUri).origin)}), so it is not shown as a link to follow`);
        }
        else
            verificationUriComplete = (0,safe_text/* safeText */.Hk)(check.url.href, { maxLength: 2048 });
    }
    const expires = secondsOf(fields['expires_in']);
    let expiresInSeconds;
    if (expires.kind === 'number' && expires.seconds > MAX_LIFETIME_SECONDS) {
        // Not a lifetime: as a deadline it is past the last date JavaScript can show (RangeError).
        notes.push(`the provider's expires_in (${expires.seconds} s) is not a code lifetime; the wait is bounded by the timeout input`);
    }
    else if (expires.kind === 'number') {
        if (expires.seconds <= 0)
            fail(`expires_in is ${expires.seconds}: the code would be expired already`);
        expiresInSeconds = expires.seconds;
    }
    else if (expires.kind === 'invalid') {
        // safeText: JSON.stringify leaves C1 controls (\u0085, \u009B) and U+2028 as they are.
        fail(`expires_in is ${(0,safe_text/* safeText */.Hk)(expires.shown)}, not a number of seconds`);
    }
    else {
        notes.push('the provider did not say when the code expires (expires_in is missing); the wait is bounded by the timeout input');
    }
    const intervalSeconds = parseInterval(fields['interval'], notes);
    const message = shownMessage(fields['message'], [verificationUri, ...(verificationUriComplete ? [verificationUriComplete] : [])], notes, deviceCode);
    for (const [name, value] of [
        ['user_code', shownUserCode],
        ['verification_uri', verificationUri]
    ])
        if (value.includes(deviceCode))
            fail(`device_code appears in ${name}; masking it would hide what the person must see`);
    return {
        deviceCode,
        userCode: shownUserCode,
        verificationUri,
        ...(verificationUriComplete !== undefined && { verificationUriComplete }),
        ...(expiresInSeconds !== undefined && { expiresInSeconds }),
        intervalSeconds,
        ...(message && { message }),
        notes
    };
}
function verifiedUrl(value, name, fail) {
    if (typeof value !== 'string' || value === '')
        return fail(`${name} is missing or not a string`);
    const check = checkSecureUrl(value);
    if (!check.ok)
        return fail(`${name} ${check.problem}`);
    // A parsed https URL has no line break, space, fragment or bidi character left (WHATWG URL
    // percent-encodes them), so this is the URL unchanged; the type says it was checked.
    const shown = (0,safe_text/* safeText */.Hk)(check.url.href, { maxLength: 2048 });
    return shown === check.url.href ? shown : fail(`${name} cannot be shown as it is`);
}
/**
 * Entra ID's `message` repeats the URL and the code in words. It is shown only when every URL or
 * host it names is the verification URI: a message pointing elsewhere ("or sign in at
 * evil.example") would be the provider's text contradicting the prompt, so it is left out and
 * the log says why.
 */
function shownMessage(value, allowed, notes, deviceCode) {
    if (typeof value !== 'string' || value.trim() === '')
        return undefined;
    const allowedUrls = allowed.map((url) => new URL(url));
    const other = namedUrlsOf(value).find((named) => !allowedUrls.some((url) => sameDestination(named, url)));
    if (other) {
        notes.push(`left out the provider's message: it names ${(0,safe_text/* safeText */.Hk)(other.display, { maxLength: 100 })}, which is not the verification_uri`);
        return undefined;
    }
    // The device code is masked, but escaping could change it so that the mask misses: cut it out.
    return (0,safe_text/* safeText */.Hk)(value, { maxLength: MAX_MESSAGE_LENGTH, redact: [deviceCode] });
}
function sameDestination(named, allowed) {
    const path = (url) => url.pathname.replace(/\/+$/, '');
    return (named.url.hostname === allowed.hostname &&
        (named.url.port === '' || named.url.port === allowed.port) &&
        path(named.url) === path(allowed));
}
/**
 * RFC 8628 §3.2: interval is OPTIONAL, default 5. A value that cannot be a polling interval
 * (zero, negative, below one second, not a number) is replaced by the default and reported; a
 * very long one is honoured (the provider may mean it) and reported.
 */
function parseInterval(value, notes) {
    const interval = secondsOf(value);
    if (interval.kind === 'absent')
        return DEFAULT_INTERVAL_SECONDS;
    if (interval.kind === 'invalid' || interval.seconds < 1) {
        notes.push(`the provider's polling interval (${interval.kind === 'invalid' ? (0,safe_text/* safeText */.Hk)(interval.shown) : interval.seconds}) is not usable; polling every ${DEFAULT_INTERVAL_SECONDS} s as RFC 8628 says`);
        return DEFAULT_INTERVAL_SECONDS;
    }
    if (interval.seconds > SUSPICIOUS_INTERVAL_SECONDS) {
        notes.push(`the provider asks to poll only every ${interval.seconds} s, so approval may take that long to be noticed; check the provider's device flow polling interval setting`);
    }
    return interval.seconds;
}

;// CONCATENATED MODULE: ./src/oauth/redirects.ts





const MAX_REDIRECTS = 5;
/** GETs a JSON document, following up to five redirects, each only to an https:// URL. */
async function getJson(ctx, endpoint, headers = {}) {
    let url = endpoint.url;
    for (let hop = 0;; hop++) {
        const read = await send(ctx, { ...endpoint, url }, { method: 'GET', headers: { Accept: 'application/json', ...headers } });
        if (!REDIRECT_STATUSES.includes(read.status))
            return { ...read, finalUrl: url };
        const location = read.location;
        if (!location || hop >= MAX_REDIRECTS) {
            throw new errors/* ProviderResponseError */.Zr(endpoint, read.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} redirected ${location ? `more than ${MAX_REDIRECTS} times` : 'without a Location header'}. Give the final URL instead.`);
        }
        // A malformed Location would otherwise escape as a bare TypeError ("Invalid URL").
        if (!URL.canParse(location, url)) {
            throw new errors/* ProviderResponseError */.Zr(endpoint, read.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} redirected to a Location header that is not a URL. Give the final URL instead.`);
        }
        const next = new URL(location, url);
        // A bearer token goes only where it was sent: never follow it to another origin.
        const carriesToken = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
        if (carriesToken && next.origin !== new URL(url).origin) {
            throw new errors/* ProviderResponseError */.Zr(endpoint, read.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} redirected to another site (${(0,safe_text/* safeText */.Hk)(next.host)}); the access token is not sent there.`);
        }
        if (next.protocol !== 'https:' || !checkSecureUrl(next.href).ok) {
            throw new errors/* ProviderResponseError */.Zr(endpoint, read.status, `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} redirected to ${(0,safe_text/* safeText */.Hk)(`${next.protocol}//${next.host}`)}, which is not https. Redirects are followed only to https:// URLs; give the final URL instead.`);
        }
        url = next.href;
    }
}

;// CONCATENATED MODULE: ./src/oauth/id-token.ts







/** An id_token that must not be trusted: the step fails and the token is never output. */
class IdTokenError extends errors/* ActionError */.lZ {
    name = 'IdTokenError';
}
/** Seconds of clock difference tolerated between the provider and the runner. */
const CLOCK_SKEW_SECONDS = 60;
/**
 * Starts loading jose while the person reads the code, so that verifying the id_token after the
 * approval does not wait for it. A failure to load shows again, and is reported, at verification.
 */
function prepareIdTokenVerification() {
    loadJose().catch(() => undefined);
}
/**
 * OpenID Connect Core §3.1.3.7: the signature against the provider's published keys, iss equal
 * to the issuer, the client among the audiences (and azp when there are several), exp in the
 * future and iat present, with a small allowance for clock skew.
 */
async function verifyIdToken(ctx, idToken, expected) {
    const fail = failing((problem) => new IdTokenError(`The ID token from the provider failed verification: ${problem}. It was not output, and the step fails because who approved cannot be trusted.`));
    const jose = await loadJose();
    let alg;
    try {
        alg = jose.decodeProtectedHeader(idToken).alg;
    }
    catch {
        fail('it is not a JWS compact token');
    }
    if (!alg || alg === 'none')
        fail('it is not signed (alg none)');
    const options = {
        // Deviation (Entra ID multi-tenant endpoints): the token names the approver's tenant.
        issuer: idTokenIssuerFor(expected.issuer, claimedIssuer(jose, idToken)),
        audience: expected.clientId,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(ctx.clock.now()),
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat']
    };
    let payload;
    try {
        if (alg?.startsWith('HS')) {
            if (!expected.clientSecret)
                fail(`it is signed with ${alg}, which needs the client secret, and none is configured`);
            const secret = new TextEncoder().encode(expected.clientSecret);
            payload = (await jose.jwtVerify(idToken, secret, options)).payload;
        }
        else {
            const keys = jose.createLocalJWKSet(await fetchJwks(ctx, expected.jwksUri));
            payload = (await jose.jwtVerify(idToken, keys, options)).payload;
        }
    }
    catch (error) {
        if (error instanceof IdTokenError || error instanceof errors/* CancelledError */.cc)
            throw error;
        // A key set that cannot be fetched or read (HTML, unreachable) is still a failed
        // verification: say so, so that the message tells the token was withheld.
        if (error instanceof errors/* ActionError */.lZ)
            return fail(`the provider's keys could not be read (${error.message.replace(/\.$/, '')})`);
        return fail(describeJoseError(jose.errors, error));
    }
    if (Array.isArray(payload.aud) &&
        payload.aud.length > 1 &&
        payload['azp'] !== expected.clientId) {
        fail(`it has several audiences and its azp is not the client-id (OpenID Connect Core §3.1.3.7)`);
    }
    // OpenID Connect Core §3.1.3.7 step 5: an azp present must be this client. A token issued to
    // another client that lists this one as an audience was not issued to this request.
    if (payload['azp'] !== undefined && payload['azp'] !== expected.clientId) {
        fail(`its azp (authorized party) is ${(0,safe_text/* safeText */.Hk)(JSON.stringify(payload['azp']), { maxLength: 100 })}, not the client-id (OpenID Connect Core §3.1.3.7)`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '')
        fail('it has no sub claim');
    return payload;
}
/** The unverified iss claim, only to choose the issuer to verify against. */
function claimedIssuer(jose, idToken) {
    try {
        return jose.decodeJwt(idToken).iss;
    }
    catch {
        return undefined; // jwtVerify reports the malformed token
    }
}
async function fetchJwks(ctx, jwksUri) {
    const endpoint = { name: 'key set (jwks_uri)', url: jwksUri };
    const read = await getJson(ctx, endpoint);
    const keys = read.fields?.['keys'];
    if (read.status !== 200 || !Array.isArray(keys))
        throw unusableResponse(endpoint, read, 'a JSON Web Key Set with "keys"');
    return { keys };
}
function describeJoseError(joseErrors, error) {
    if (error instanceof joseErrors.JWTExpired)
        return "it has expired (exp is in the past; check the runner's clock)";
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
        return `its ${error.claim} claim is wrong or missing (${error.reason === 'check_failed' ? 'does not match' : error.reason})`;
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed)
        return "its signature does not match the provider's keys";
    if (error instanceof joseErrors.JWKSNoMatchingKey)
        return "no key in the provider's key set matches its signature";
    if (error instanceof joseErrors.JWKSMultipleMatchingKeys)
        return "it names no key (no kid in its header), and the provider's key set has several keys it could be signed with; OpenID Connect Core §10.1 requires a kid then. Ask the provider to set kid, or publish one signing key";
    if (error instanceof joseErrors.JOSEAlgNotAllowed ||
        error instanceof joseErrors.JOSENotSupported) {
        return 'it uses a signing algorithm that cannot be verified';
    }
    if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid)
        return 'it is malformed';
    return 'it could not be verified';
}

;// CONCATENATED MODULE: ./src/oauth/poll.ts



/** RFC 8628 §3.5: slow_down raises the interval by 5 s for this and all later polls. */
const SLOW_DOWN_STEP_MS = 5000;
/**
 * Added to every wait, which is counted from the end of the previous response (RFC 8628 §3.5 asks
 * for `interval` seconds between requests; the previous request's round trip is already on top of
 * that). It only has to cover a provider whose clock runs a little slower than ours.
 */
const POLL_MARGIN_MS = 25;
/**
 * The margin after the provider answered slow_down to a poll that had waited the full interval:
 * it counts time differently from us (a virtual machine's clock running fast, or a provider that
 * measures strictly, GitHub), so leave it a whole second of room for the rest of the wait.
 */
const WIDENED_POLL_MARGIN_MS = 1000;
/** Waits are cut into slices this long, so the runner can remind the person while it waits. */
const TICK_MS = 15_000;
/** Longest single token request; shortened near the deadline. */
const POLL_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Polls the token endpoint until the person approves (RFC 8628 §3.4–3.5): waits the interval
 * before the first poll and between polls (from the end of the previous response, plus a small
 * margin that widens once if the provider still finds us early), keeps waiting on
 * authorization_pending, slows down for good on slow_down, stops on any other error, and stops at
 * the deadline. Returns as soon as tokens arrive: a device code is never redeemed twice.
 */
async function pollForTokens(options) {
    const { clock, signal } = options;
    const deadlineMs = Math.min(options.expiresAtMs ?? Infinity, options.timeoutAtMs ?? Infinity);
    if (!Number.isFinite(deadlineMs))
        throw new Error('pollForTokens needs expiresAtMs or timeoutAtMs');
    const emit = (event) => options.onEvent?.(event);
    let intervalMs = options.intervalSeconds * 1000;
    let marginMs = POLL_MARGIN_MS;
    const startedMs = clock.now();
    /** When the previous response ended (or polling started): the interval counts from there. */
    let lastAnswerMs = startedMs;
    let nextPollMs = startedMs + intervalMs + marginMs;
    let polls = 0;
    let slowDowns = 0;
    let failuresInARow = 0;
    /** While the provider is failing, why: a deadline reached then is not "nobody approved". */
    let lastFailure;
    for (;;) {
        if (nextPollMs >= deadlineMs) {
            const last = finalPollTime(deadlineMs, lastAnswerMs, intervalMs, clock.now());
            if (last === undefined) {
                // No poll fits before the deadline; the code stays valid until then, so report the end
                // when it actually comes (the person may still be reading the prompt).
                await sleepUntil(clock, deadlineMs, signal, emit);
                throw deadlineReached(options, deadlineMs, lastFailure);
            }
            nextPollMs = last;
        }
        await sleepUntil(clock, nextPollMs, signal, emit);
        polls++;
        const sentMs = clock.now();
        const waitedFullInterval = sentMs - lastAnswerMs >= intervalMs;
        const result = await options.attempt(Math.max(1000, Math.min(POLL_REQUEST_TIMEOUT_MS, deadlineMs - sentMs)));
        lastAnswerMs = clock.now();
        if (result.kind === 'tokens')
            return result.tokens;
        if (result.kind === 'transient' && result.status !== 429) {
            failuresInARow++;
            lastFailure = result.reason;
            // RFC 8628 §3.5: back off exponentially, starting from the polling interval.
            const policy = { baseMs: intervalMs, maxMs: Math.max(DEFAULT_BACKOFF.maxMs, intervalMs) };
            const backoff = Math.max(intervalMs, backoffDelayMs(failuresInARow, policy, clock.random()));
            // A Retry-After shorter than the interval does not shorten it (RFC 8628 §3.5).
            const waitMs = Math.max(intervalMs, result.retryAfterMs ?? backoff);
            emit({ type: 'transient', reason: result.reason, failuresInARow, retryInMs: waitMs });
            nextPollMs = lastAnswerMs + waitMs + marginMs;
            continue;
        }
        failuresInARow = 0;
        lastFailure = undefined;
        const error = result.kind === 'oauth-error' ? result.body.error : 'slow_down'; // a bare 429 means slow down
        if (error === 'access_denied' || options.denialErrors?.has(error)) {
            throw new errors/* WaitEndedError */.Ys('denied', `The request was denied (${error}). RFC 8628 §3.5 says only that the authorization request was denied: usually the person who signed in declined it, but the provider also answers so when it refused the request itself (the account may not use this client, was disabled or removed, or the request was revoked). Ask the approver which it was; run the job again if it was a mistake.`, result.kind === 'oauth-error' ? result.body : undefined);
        }
        switch (error) {
            case 'authorization_pending':
                emit({ type: 'pending', poll: polls });
                break;
            case 'slow_down': {
                slowDowns++;
                const offered = result.kind === 'oauth-error' && result.intervalSeconds
                    ? result.intervalSeconds * 1000
                    : 0;
                // An interval the provider offers (1e308, say) is capped at the time left: past the
                // deadline there is nothing to wait for, and "every Infinity s" helps nobody. The RFC's
                // own +5 s is never cut.
                const raisedMs = intervalMs + SLOW_DOWN_STEP_MS;
                const leftMs = Math.ceil((deadlineMs - clock.now()) / 1000) * 1000;
                intervalMs = Math.min(Math.max(raisedMs, offered), Math.max(raisedMs, leftMs));
                emit({ type: 'slow-down', intervalSeconds: intervalMs / 1000, count: slowDowns });
                if (waitedFullInterval && marginMs < WIDENED_POLL_MARGIN_MS) {
                    marginMs = WIDENED_POLL_MARGIN_MS;
                    emit({ type: 'margin-widened', marginMs });
                }
                break;
            }
            case 'expired_token':
                throw new errors/* WaitEndedError */.Ys('expired', 'The code expired before anyone approved it. Run the job again and approve within the time shown.', result.kind === 'oauth-error' ? result.body : undefined);
            default:
                if (result.kind === 'oauth-error') {
                    throw oauthError(options.endpoint, result.status, result.body, 'device-token');
                }
        }
        const retryAfterMs = result.retryAfterMs ?? 0;
        nextPollMs = lastAnswerMs + Math.max(intervalMs, retryAfterMs) + marginMs;
    }
}
/**
 * When the next poll would fall after the deadline, one last poll just before it still catches
 * an approval given in the meantime, provided it keeps a decent gap from the previous poll (or
 * from the start, when there was none: an interval as long as the code's life, Keycloak 17's
 * 600 s for a 600 s code, keycloak#12327, still gets its one poll).
 */
function finalPollTime(deadlineMs, lastAnswerMs, intervalMs, nowMs) {
    const candidate = deadlineMs - 1000;
    if (candidate <= nowMs)
        return undefined;
    return candidate - lastAnswerMs >= Math.min(intervalMs, 5000) ? candidate : undefined;
}
function deadlineReached(options, deadlineMs, lastFailure) {
    const failing = lastFailure
        ? ` The token endpoint was failing when time ran out, so an approval may not have been seen: ${lastFailure}`
        : '';
    if (options.expiresAtMs !== undefined && deadlineMs >= options.expiresAtMs) {
        return new errors/* WaitEndedError */.Ys('expired', `The code expired before anyone approved it. Run the job again and approve within the time shown.${failing}`);
    }
    return new errors/* WaitEndedError */.Ys('timed-out', `Nobody approved the request within the time set by the timeout input. Run the job again, or raise timeout.${failing}`);
}
async function sleepUntil(clock, targetMs, signal, emit) {
    for (let now = clock.now(); now < targetMs; now = clock.now()) {
        await clock.sleep(Math.min(TICK_MS, targetMs - now), signal);
        emit({ type: 'tick', nowMs: clock.now() });
    }
}

;// CONCATENATED MODULE: ./src/runner/format.ts
/** Times and durations as the person reading the log wants them. */
/** "10:15:00 UTC" (with the date when it is not today's). */
function formatUtc(ms, nowMs) {
    const iso = new Date(ms).toISOString();
    const time = `${iso.slice(11, 19)} UTC`;
    return iso.slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10)
        ? time
        : `${iso.slice(0, 10)} ${time}`;
}
/** "14 min 30 s", "45 s", "2 h 5 min". */
function formatDuration(ms) {
    const total = Math.max(0, Math.round(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    if (hours > 0)
        return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
    if (minutes > 0)
        return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
    return `${seconds} s`;
}
/** ISO 8601 without milliseconds: 2026-11-24T10:15:00Z. */
function isoSeconds(ms) {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

;// CONCATENATED MODULE: ./src/runner/prompt.ts


/** How much of a run detail is shown: a 20 kB workflow name must not make a 20 kB line. */
const MAX_ORIGIN_LENGTH = 100;
function runOrigin(env) {
    // The workflow name is free text from a YAML file, and actors and repositories are names
    // people choose: none of it may fake or hide a line of the prompt, or be read as a command.
    const read = (name) => {
        const value = env[name];
        return value ? (0,safe_text/* safeText */.Hk)(value, { maxLength: MAX_ORIGIN_LENGTH }) : undefined;
    };
    // || and not ??: an empty GITHUB_SERVER_URL would make the run URL relative.
    const server = env['GITHUB_SERVER_URL'] || 'https://github.com';
    const repository = read('GITHUB_REPOSITORY');
    const runId = read('GITHUB_RUN_ID');
    const runNumber = read('GITHUB_RUN_NUMBER');
    const workflow = read('GITHUB_WORKFLOW');
    const runAttempt = read('GITHUB_RUN_ATTEMPT');
    const actor = read('GITHUB_ACTOR');
    const attempt = env['GITHUB_RUN_ATTEMPT'];
    return {
        ...(repository && { repository }),
        ...(workflow && { workflow }),
        ...(runId && { runId }),
        ...(runNumber && { runNumber }),
        ...(runAttempt && { runAttempt }),
        ...(actor && { actor }),
        ...(repository &&
            runId && {
            // The attempt's own page when the run was re-run: the one the approver sees in the log.
            runUrl: (0,safe_text/* safeText */.Hk)(`${server}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`, { maxLength: 2048 })
        })
    };
}
function describeOrigin(origin) {
    if (!origin.repository)
        return undefined;
    const parts = [origin.repository];
    if (origin.workflow)
        parts.push((0,safe_text/* safe */.gB) `workflow "${origin.workflow}"`);
    // The run number is what the Actions page shows (#17); the run id only appears in URLs.
    const run = origin.runNumber ? (0,safe_text/* safe */.gB) `#${origin.runNumber}` : origin.runId;
    if (run) {
        const attempt = origin.runAttempt && origin.runAttempt !== '1' ? (0,safe_text/* safe */.gB) ` (attempt ${origin.runAttempt})` : '';
        parts.push((0,safe_text/* safe */.gB) `run ${run}${attempt}`);
    }
    if (origin.actor)
        parts.push((0,safe_text/* safe */.gB) `started by ${origin.actor}`);
    return (0,safe_text/* joinSafe */.e)(parts, ' · ');
}
/** Policy text holds the workflow's own patterns and earlier approvers' names: foreign text. */
function shownPolicy(text) {
    return (0,safe_text/* safeText */.Hk)(text, { maxLength: 300 });
}
/** The action's own text. */
const RULE = '─'.repeat(64);
/** Times the action formats itself: its own text. */
function when(ms, nowMs) {
    return formatUtc(ms, nowMs);
}
function left(ms) {
    return formatDuration(ms);
}
/** The block printed the moment the code exists; the log is live, the summary is not. */
function promptLines(ctx, nowMs) {
    const { device } = ctx;
    const lines = [
        (0,safe_text/* safe */.gB) `┌${RULE}`,
        (0,safe_text/* safe */.gB) `│ Approval needed: sign in at the provider and enter the code.`,
        ...(ctx.approval ? [(0,safe_text/* safe */.gB) `│ ${shownPolicy(ctx.approval.heading)}.`] : []),
        (0,safe_text/* safe */.gB) `│`,
        (0,safe_text/* safe */.gB) `│   1. Open   ${device.verificationUri}`,
        (0,safe_text/* safe */.gB) `│   2. Enter  ${device.userCode}`
    ];
    if (device.verificationUriComplete) {
        lines.push((0,safe_text/* safe */.gB) `│`, (0,safe_text/* safe */.gB) `│   Or open this link, which fills in the code:`, (0,safe_text/* safe */.gB) `│     ${device.verificationUriComplete}`);
    }
    lines.push((0,safe_text/* safe */.gB) `│`, (0,safe_text/* safe */.gB) `│   Client   ${ctx.clientId}`, ctx.scope ? (0,safe_text/* safe */.gB) `│   Scope    ${ctx.scope}` : (0,safe_text/* safe */.gB) `│   Scope    (the provider's default)`);
    const origin = describeOrigin(ctx.origin);
    if (origin)
        lines.push((0,safe_text/* safe */.gB) `│   Asked by ${origin}`);
    if (ctx.origin.runUrl)
        lines.push((0,safe_text/* safe */.gB) `│            ${ctx.origin.runUrl}`);
    lines.push((0,safe_text/* safe */.gB) `│   Expires  ${when(ctx.deadlineMs, nowMs)} (in ${left(ctx.deadlineMs - nowMs)}${timeoutNote(ctx, nowMs)})`);
    if (ctx.policy?.length) {
        lines.push((0,safe_text/* safe */.gB) `│`);
        ctx.policy.forEach(({ label, text }, index) => lines.push((0,safe_text/* safe */.gB) `│   ${index === 0 ? (0,safe_text/* safe */.gB) `Policy  ` : (0,safe_text/* safe */.gB) `        `} ${shownPolicy(label)}: ${shownPolicy(text)}`));
    }
    if (device.message)
        lines.push((0,safe_text/* safe */.gB) `│`, (0,safe_text/* safe */.gB) `│   The provider says: ${device.message}`);
    lines.push((0,safe_text/* safe */.gB) `│`, (0,safe_text/* safe */.gB) `│   Approve only if you expected this request from this run.`, (0,safe_text/* safe */.gB) `└${RULE}`);
    return lines;
}
/** When the timeout input ends the wait first: both times, so nobody wonders which is right. */
function timeoutNote(ctx, nowMs) {
    return ctx.codeExpiresAtMs === undefined
        ? ''
        : (0,safe_text/* safe */.gB) `, when this step stops waiting; the code itself expires ${when(ctx.codeExpiresAtMs, nowMs)}`;
}
function noticeOf(ctx, nowMs) {
    const { device } = ctx;
    const where = device.verificationUriComplete ?? device.verificationUri;
    const origin = describeOrigin(ctx.origin);
    const scope = ctx.scope ? (0,safe_text/* safe */.gB) ` (scope: ${ctx.scope})` : '';
    const asked = origin ? (0,safe_text/* safe */.gB) ` Asked by ${origin}.` : '';
    return {
        title: ctx.approval
            ? (0,safe_text/* safe */.gB) `Approval ${ctx.approval.number} of ${ctx.approval.of}: enter code ${device.userCode}`
            : (0,safe_text/* safe */.gB) `Approval needed: enter code ${device.userCode}`,
        message: (0,safe_text/* safe */.gB) `${ctx.approval ? (0,safe_text/* safe */.gB) `${shownPolicy(ctx.approval.heading)}. ` : ''}Open ${where} and enter the code ${device.userCode} to approve client ${ctx.clientId}${scope}. Expires at ${when(ctx.deadlineMs, nowMs)}.${asked}`
    };
}
/** Repeated while waiting: someone who opens the log late may not see the first block. */
function reminderLine(ctx, nowMs) {
    const which = ctx.approval ? (0,safe_text/* safe */.gB) ` ${ctx.approval.number} of ${ctx.approval.of}` : '';
    return (0,safe_text/* safe */.gB) `Still waiting for approval${which}: open ${ctx.device.verificationUri} and enter ${ctx.device.userCode} (${left(ctx.deadlineMs - nowMs)} left).`;
}
/** Says when a reminder is due: once a minute. */
class ReminderSchedule {
    everyMs;
    lastMs;
    constructor(shownAtMs, everyMs = 60_000) {
        this.everyMs = everyMs;
        this.lastMs = shownAtMs;
    }
    due(nowMs) {
        if (nowMs - this.lastMs < this.everyMs)
            return false;
        this.lastMs = nowMs;
        return true;
    }
}

;// CONCATENATED MODULE: ./src/flow/deadlines.ts



/** Without expires_in from the provider and without the timeout input, wait this long. */
const FALLBACK_WAIT_SECONDS = 15 * 60;
/** The wait ends at whichever comes first: the code's expiry, or the timeout input. */
function deadlinesOf(device, config, startMs) {
    const expiresAtMs = device.expiresInSeconds !== undefined ? startMs + device.expiresInSeconds * 1000 : undefined;
    let timeoutAtMs = config.timeoutSeconds !== undefined ? startMs + config.timeoutSeconds * 1000 : undefined;
    let note;
    if (expiresAtMs === undefined && timeoutAtMs === undefined) {
        timeoutAtMs = startMs + FALLBACK_WAIT_SECONDS * 1000;
        note = `The provider did not say when the code expires; waiting at most ${FALLBACK_WAIT_SECONDS / 60} minutes (set the timeout input to change this).`;
    }
    return {
        ...(expiresAtMs !== undefined && { expiresAtMs }),
        ...(timeoutAtMs !== undefined && { timeoutAtMs }),
        deadlineMs: Math.min(expiresAtMs ?? Infinity, timeoutAtMs ?? Infinity),
        ...(note && { note })
    };
}
/** A timeout shorter than this is allowed, but rarely leaves a person time to approve. */
const SHORT_TIMEOUT_SECONDS = 60;
/**
 * Checks the timeout input against the code: refuses one that ends the wait before the first
 * poll (RFC 8628 §3.5: the client waits the interval before polling), since the prompt would ask
 * for an approval nobody could give; returns a warning for one shorter than a minute.
 */
function checkTimeout(config, device, deadlines) {
    const { timeoutSeconds } = config;
    if (timeoutSeconds === undefined || deadlines.timeoutAtMs !== deadlines.deadlineMs)
        return undefined;
    const shown = formatDuration(timeoutSeconds * 1000);
    if (timeoutSeconds * 1000 <= device.intervalSeconds * 1000 + POLL_MARGIN_MS) {
        throw new errors/* InputError */.dz('timeout', `is ${shown}, but the provider's polling interval is ${device.intervalSeconds} s: the wait would end before the first poll, so nobody could approve. The code was not shown. Give the person minutes (for example 10m).`);
    }
    if (timeoutSeconds < SHORT_TIMEOUT_SECONDS) {
        return `The timeout input is ${shown} (a number without a unit is seconds: 10m is ten minutes); a person rarely opens the link, signs in and approves that fast.`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/flow/device-login.ts







const LONG = { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic };
/**
 * RFC 8628 from the device code to the tokens: ask for a code (§3.1), show it (code-ready, then a
 * reminder a minute), poll until a person approves (§3.4–3.5). Ends in tokens or a thrown
 * WaitEndedError (denied, expired, timed out), CancelledError or OAuthError.
 */
async function deviceLogin(ctx, runner, events, config, metadata, client, quirks, 
/** Which approval this is, and the policy in force, for the prompt. */
shown = {}) {
    const { clock } = ctx;
    const device = await requestDeviceAuthorization(ctx, { name: 'device authorization endpoint', url: metadata.deviceAuthorizationEndpoint }, client, {
        ...(config.scope && { scope: config.scope }),
        ...(config.audience && { audience: config.audience }),
        resources: config.resources,
        extraParams: config.extraParams
    });
    runner.setSecret(device.deviceCode);
    for (const note of device.notes)
        runner.warning((0,safe_text/* safeText */.Hk)(`The provider's device authorization response: ${note}.`, LONG));
    const shownAtMs = clock.now();
    const deadlines = deadlinesOf(device, config, shownAtMs);
    if (deadlines.note)
        runner.warning((0,safe_text/* safeText */.Hk)(deadlines.note, LONG));
    const timeoutWarning = checkTimeout(config, device, deadlines);
    if (timeoutWarning)
        runner.warning((0,safe_text/* safeText */.Hk)(timeoutWarning, LONG));
    const prompt = {
        device,
        clientId: (0,safe_text/* safeText */.Hk)(config.clientId),
        ...(config.scope && { scope: (0,safe_text/* safeText */.Hk)(config.scope, { maxLength: 500 }) }),
        deadlineMs: deadlines.deadlineMs,
        ...(deadlines.expiresAtMs !== undefined &&
            deadlines.expiresAtMs > deadlines.deadlineMs && { codeExpiresAtMs: deadlines.expiresAtMs }),
        origin: runOrigin(runner.env),
        ...shown
    };
    await events.emit({ type: 'code-ready', prompt, atMs: shownAtMs });
    // The id_token is verified after the approval; load its library while the person reads the code.
    if (config.scope?.split(' ').includes('openid'))
        prepareIdTokenVerification();
    const reminders = new ReminderSchedule(shownAtMs);
    const tokenEndpoint = { name: 'token endpoint', url: metadata.tokenEndpoint };
    const grant = new URLSearchParams({
        grant_type: DEVICE_CODE_GRANT,
        device_code: device.deviceCode
    });
    const tokens = await pollForTokens({
        clock,
        ...(ctx.signal && { signal: ctx.signal }),
        endpoint: tokenEndpoint,
        intervalSeconds: device.intervalSeconds,
        ...(deadlines.expiresAtMs !== undefined && { expiresAtMs: deadlines.expiresAtMs }),
        ...(deadlines.timeoutAtMs !== undefined && { timeoutAtMs: deadlines.timeoutAtMs }),
        attempt: (timeoutMs) => requestToken(ctx, tokenEndpoint, client, grant, timeoutMs),
        denialErrors: quirks.denialErrors,
        onEvent: (event) => {
            // Listeners return at once for poll events; nothing here waits on them.
            if (event.type !== 'tick')
                void events.emit({ type: 'poll', event });
            if (reminders.due(clock.now()))
                void events.emit({ type: 'reminder', prompt, atMs: clock.now() });
        }
    });
    return { tokens, shownAtMs, approvedAtMs: clock.now() };
}

;// CONCATENATED MODULE: ./src/oauth/github-api.ts
/** GitHub's REST API, for the requests the action makes to it outside OAuth: revocation, secrets. */
/** Where the API is: the runner's GITHUB_API_URL (a GitHub Enterprise Server's /api/v3 too), else github.com's. */
function gitHubApiUrl(env) {
    return (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
}
/** https://docs.github.com/en/rest/about-the-rest-api/api-versions */
const GITHUB_API_HEADERS = {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28'
};

;// CONCATENATED MODULE: ./src/oauth/revoke.ts









const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;
/**
 * RFC 7009 §2.1: POSTs `token` and `token_type_hint` to the revocation endpoint, authenticated as
 * at the token endpoint (the same ClientCredentials). Retried on 5xx and network failures:
 * revoking twice is harmless.
 */
async function revokeToken(ctx, endpoint, client, token, tokenTypeHint, options = {}) {
    return settle(async () => {
        const read = await sendAuthenticated(ctx, endpoint, client, new URLSearchParams({ token, token_type_hint: tokenTypeHint }), {
            retryMaybeDelivered: true,
            maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS
        });
        // RFC 7009 §2.2: "The content of the response body is ignored by the client".
        if (read.status === 200)
            return { kind: 'revoked' };
        const error = (0,oauth_response/* oauthErrorOf */.zi)(read);
        // RFC 7009 §2.2.1: 503 is "try later" (with Retry-After, perhaps); so is any 5xx here.
        if (read.status >= 500 || error?.error === 'temporarily_unavailable')
            return unavailable(endpoint, read, error);
        if (error) {
            const message = providerSaid(endpoint, read.status, error);
            return error.error === 'unsupported_token_type'
                ? { kind: 'unsupported-token-type', message }
                : { kind: 'refused', message, status: read.status, error };
        }
        return { kind: 'failed', message: unusableResponse(endpoint, read, 'HTTP 200').message };
    });
}
/**
 * Deviation (GitHub): no RFC 7009 endpoint. `DELETE /applications/{client_id}/token` with the
 * app's client id and secret as Basic credentials and `{"access_token": …}` as the body; 204 when
 * done. It revokes access tokens only: a GitHub App's refresh token ends only with the whole
 * grant (DELETE /applications/{client_id}/grant), which would sign the user out of the app
 * everywhere, so the action never does that.
 * https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token
 */
async function revokeGitHubToken(ctx, apiUrl, clientId, clientSecret, accessToken, options = {}) {
    const endpoint = {
        name: 'GitHub token revocation API',
        url: `${apiUrl.replace(/\/+$/, '')}/applications/${encodeURIComponent(clientId)}/token`
    };
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    return settle(async () => {
        const read = await withRetries(ctx, endpoint, () => sendJson(ctx, endpoint, 'DELETE', { ...GITHUB_API_HEADERS, Authorization: `Basic ${basic}` }, { access_token: accessToken }), {
            attempts: 3,
            retryMaybeDelivered: true,
            maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS
        });
        if (read.status === 204 || read.status === 200)
            return { kind: 'revoked' };
        if (read.status >= 500)
            return unavailable(endpoint, read, undefined);
        const said = gitHubMessage(read);
        const where = capitalize((0,errors/* describeEndpoint */.N2)(endpoint));
        if (read.status === 401 || read.status === 403 || read.status === 404) {
            return {
                kind: 'refused',
                status: read.status,
                // GitHub answers 404 for credentials it does not accept, as for an app it does not know.
                message: `${where} answered HTTP ${read.status}${said}: GitHub did not accept the app's client credentials (its Client ID and a current client secret), or does not know the app.`
            };
        }
        if (read.status === 422) {
            return {
                kind: 'refused',
                status: read.status,
                message: `${where} answered HTTP 422${said}: GitHub did not accept the token for revocation; it may already be revoked or expired.`
            };
        }
        return { kind: 'failed', message: unusableResponse(endpoint, read, 'HTTP 204').message };
    });
}
/**
 * What the provider said, as a sentence for the log. What to do about it depends on the inputs
 * and is the caller's to add (see src/post/advice.ts).
 */
function providerSaid(endpoint, status, error) {
    const said = error.errorDescription
        ? `: ${(0,safe_text/* safeText */.Hk)(error.errorDescription, { maxLength: 500 }).replace(/[.\s]+$/, '')}`
        : '';
    return `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} answered "${(0,safe_text/* safeText */.Hk)(error.error)}" (HTTP ${status})${said}.`;
}
/** GitHub's error bodies are {"message": …, "documentation_url": …}. */
function gitHubMessage(read) {
    const message = read.fields?.['message'];
    return typeof message === 'string' && message !== ''
        ? ` ("${(0,safe_text/* safeText */.Hk)(message, { maxLength: 300 })}")`
        : '';
}
function unavailable(endpoint, read, error) {
    const later = read.retryAfterMs !== undefined
        ? ` and asked to try again in ${Math.ceil(read.retryAfterMs / 1000)} s`
        : '';
    const said = error ? ` "${(0,safe_text/* safeText */.Hk)(error.error)}"` : '';
    return {
        kind: 'unavailable',
        status: read.status,
        ...(read.retryAfterMs !== undefined && { retryAfterMs: read.retryAfterMs }),
        message: `${capitalize((0,errors/* describeEndpoint */.N2)(endpoint))} answered${said} HTTP ${read.status}${later}; the token was not revoked and stays valid until it expires.`
    };
}
/** Turns every failure into a result; a bug is reported as one, not thrown at the job's end. */
async function settle(attempt) {
    try {
        return await attempt();
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc)
            return { kind: 'failed', message: 'The revocation was cancelled.' };
        if (error instanceof ClientKeyError)
            return { kind: 'failed', message: error.message, clientKey: true };
        if (error instanceof errors/* ActionError */.lZ)
            return { kind: 'failed', message: error.message };
        const why = error instanceof Error ? error.message : String(error);
        return {
            kind: 'failed',
            message: `Unexpected error during revocation: ${(0,safe_text/* safeText */.Hk)(why, { maxLength: 300 })}. Please report this.`
        };
    }
}

;// CONCATENATED MODULE: ./src/flow/revocation-plan.ts

/**
 * Decides, as soon as tokens arrive, what the post step will revoke.
 *
 * A refresh token that outlives the job puts the access token out of reach too: RFC 7009 §2.1
 * lets a provider revoke the refresh token along with its access token, and some do (Google;
 * servers built on oidc-provider revoke the whole grant). So the access token is revoked only
 * when no refresh token survives the job: none was issued, or revoke: all revokes it as well,
 * which it never does to one that later jobs use.
 */
function planRevocation(tokens, inputs) {
    if (inputs.revoke === 'none')
        return {};
    const { refreshToken } = inputs;
    if (refreshToken && (inputs.revoke !== 'all' || inputs.refreshTokenKept)) {
        return {
            note: inputs.refreshTokenKept
                ? 'The tokens are not revoked when the job ends: the refresh token is kept for later jobs, and revoking the access token could revoke it as well (RFC 7009 §2.1 allows a provider to).'
                : 'The tokens are not revoked when the job ends: the provider also issued a refresh token, and revoking the access token could revoke it as well (RFC 7009 §2.1 allows a provider to). Set revoke: all to revoke both, or revoke: none to skip this.'
        };
    }
    const common = {
        clientId: inputs.client.clientId,
        clientAuthMethod: inputs.client.method,
        tokenEndpoint: inputs.metadata.tokenEndpoint,
        ...(tokens.expiresInSeconds !== undefined && {
            accessTokenExpiresAtMs: inputs.nowMs + tokens.expiresInSeconds * 1000
        })
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
                    api: 'github',
                    url: gitHubApiFor(inputs.metadata.tokenEndpoint, inputs.env),
                    ...common
                },
                accessToken: tokens.accessToken
            },
            ...(refreshToken && {
                note: "GitHub cannot revoke a refresh token on its own (only the app's whole authorization for the user, which the action never does): the post step revokes the access token only."
            })
        };
    }
    if (!inputs.metadata.revocationEndpoint) {
        return {
            note: 'The provider publishes no revocation_endpoint (RFC 7009), so the token is not revoked when the job ends. Set revocation-endpoint if it has one, or revoke: none to skip this.'
        };
    }
    return {
        state: {
            plan: { api: 'rfc7009', url: inputs.metadata.revocationEndpoint, ...common },
            accessToken: tokens.accessToken,
            ...(refreshToken && { refreshToken })
        }
    };
}
/**
 * The API of the GitHub server that issued the token. The runner's GITHUB_API_URL when the token
 * came from the runner's own server (github.com, GHES or a GHE.com subdomain); otherwise, for a
 * github-server-url pointing elsewhere, that server's API by GitHub's rules.
 */
function gitHubApiFor(tokenEndpoint, env) {
    const issued = new URL(tokenEndpoint);
    const runnerServer = env['GITHUB_SERVER_URL'] || 'https://github.com';
    if (URL.canParse(runnerServer) && new URL(runnerServer).origin === issued.origin)
        return gitHubApiUrl(env);
    return issued.hostname === 'github.com' ? 'https://api.github.com' : `${issued.origin}/api/v3`;
}

;// CONCATENATED MODULE: ./src/flow/discard.ts



/**
 * The longest a discard may take, whatever the step's state: it also runs after a cancel, when
 * the runner kills the process ten seconds after SIGINT.
 */
const DISCARD_BUDGET_MS = 8_000;
/**
 * Revokes tokens the run will never output (a refused approval's, the later approvals' of a
 * two-person gate), at once and where the provider allows: RFC 7009 at the revocation endpoint,
 * or GitHub's DELETE /applications/{client_id}/token, which needs the client secret. What could
 * not be revoked is said, with how long it stays valid. Never throws.
 */
async function discardTokens(discard, tokens, whose) {
    const { runner, config, metadata, client } = discard;
    // Its own signal: a cancelled step must still revoke, and must not wait long doing it.
    const ctx = {
        ...discard.ctx,
        signal: AbortSignal.timeout(DISCARD_BUDGET_MS),
        requestTimeoutMs: Math.min(discard.ctx.requestTimeoutMs, 5_000)
    };
    const lasts = lifetimeOf(tokens);
    if (config.provider.name === 'github') {
        if (!config.clientSecret) {
            runner.info(shown(`GitHub revokes a token only with the app's client secret, and client-secret is not set: ${whose} token is never output, but stays valid ${lasts} unless they revoke it (GitHub → Settings → Applications).`));
            return;
        }
        report(runner, whose, 'token', await revokeGitHubToken(ctx, gitHubApiFor(metadata.tokenEndpoint, runner.env), config.clientId, config.clientSecret, tokens.accessToken), lasts);
        return;
    }
    if (!metadata.revocationEndpoint) {
        runner.info(shown(`The provider has no revocation endpoint (revocation_endpoint in discovery, or the revocation-endpoint input): ${whose} tokens are never output, but stay valid ${lasts}.`));
        return;
    }
    const endpoint = { name: 'revocation endpoint', url: metadata.revocationEndpoint };
    // RFC 7009 §2.1: revoking the refresh token first may end the whole grant with it.
    if (tokens.refreshToken) {
        const result = await revokeToken(ctx, endpoint, client, tokens.refreshToken, 'refresh_token');
        report(runner, whose, 'refresh token', result, 'until it expires');
    }
    const result = await revokeToken(ctx, endpoint, client, tokens.accessToken, 'access_token');
    report(runner, whose, 'access token', result, lasts);
}
function report(runner, whose, what, result, lasts) {
    if (result.kind === 'revoked')
        runner.info(shown(`Revoked ${whose} ${what}; it is never output.`));
    else
        runner.warning(shown(`Could not revoke ${whose} ${what}: ${result.message} It stays valid ${lasts}.`));
}
/** Approvers' names and the provider's words are foreign text. */
function shown(text) {
    return (0,safe_text/* safeText */.Hk)(text, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic });
}
function lifetimeOf(tokens) {
    return tokens.expiresInSeconds !== undefined
        ? `until it expires (${Math.round(tokens.expiresInSeconds / 60)} min)`
        : 'until it expires';
}

;// CONCATENATED MODULE: ./src/oauth/identity.ts




/** OpenID Connect Core §2: sub is at most 255 ASCII characters. */
const MAX_SUBJECT_LENGTH = 255;
const MAX_NAME_LENGTH = 200;
class ApproverError extends errors/* ActionError */.lZ {
    name = 'ApproverError';
}
/**
 * Picks the name a person recognises: preferred_username, then email, then sub. An email counts
 * only when the provider says it verified it (email_verified: true, OpenID Connect Core §5.1):
 * anyone can type ceo@victim.example into a self-service profile. Throws when sub cannot be an
 * identifier (too long, not ASCII, or a workflow command the next step could echo).
 */
function approverFromClaims(claims, 
/** Where the claims came from, for messages: "ID token", "userinfo endpoint". */
source = 'ID token') {
    const subject = claims['sub'];
    if (typeof subject !== 'string' || subject === '')
        return undefined;
    checkSubject(subject, source);
    const username = nonEmptyString(claims['preferred_username']);
    const email = nonEmptyString(claims['email']);
    const emailVerified = claims['email_verified'] === true;
    const shownSubject = (0,safe_text/* safeText */.Hk)(subject, { maxLength: MAX_SUBJECT_LENGTH });
    let note;
    if (!username && email && !emailVerified) {
        note = `The ${source} names the email ${(0,safe_text/* safeText */.Hk)(email, { maxLength: 100 })}, but does not say it is verified (email_verified is ${claims['email_verified'] === undefined ? 'missing' : (0,safe_text/* safeText */.Hk)(JSON.stringify(claims['email_verified']), { maxLength: 20 })}), so the approver is named by sub instead.`;
    }
    const name = username ?? (emailVerified ? email : undefined);
    return {
        name: name ? (0,safe_text/* safeText */.Hk)(name, { maxLength: MAX_NAME_LENGTH }) : shownSubject,
        subject,
        shownSubject,
        ...(note && { note })
    };
}
function nonEmptyString(value) {
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
/** The subject is output whole, so it must be one that can be output and compared whole. */
function checkSubject(subject, source) {
    const problem = subject.length > MAX_SUBJECT_LENGTH
        ? `is ${subject.length} characters long; OpenID Connect allows at most ${MAX_SUBJECT_LENGTH}`
        : !/^[\x20-\x7E]+$/.test(subject)
            ? 'has characters outside printable ASCII (OpenID Connect Core §2)'
            : (0,safe_text/* safeText */.Hk)(subject, { maxLength: MAX_SUBJECT_LENGTH }) !== subject
                ? 'has workflow command syntax (## followed by [, or :: at the start) that a later step printing it would run'
                : undefined;
    if (problem) {
        throw new ApproverError(`The ${source} names the approver by a sub that ${problem}. Who approved cannot be recorded from it.`);
    }
}
/**
 * Asks the user API who owns the access token. With `expectedSubject` (from a verified id_token)
 * the answer must be about the same person (OpenID Connect Core §5.3.2).
 */
async function fetchApprover(ctx, api, accessToken, expectedSubject) {
    return approverFromUserInfo(api, await fetchUserInfo(ctx, api, accessToken, expectedSubject));
}
/** The user API's answer, for the approver's name and for an approval policy's claims. */
async function fetchUserInfo(ctx, api, accessToken, expectedSubject) {
    const read = await getJson(ctx, api.endpoint, {
        ...api.headers,
        Authorization: `Bearer ${accessToken}`
    });
    if (read.status !== 200 || !read.fields)
        throw unusableResponse(api.endpoint, read, 'a JSON object about the user');
    const fields = read.fields;
    const subject = fields[api.subjectField];
    const subjectText = typeof subject === 'number' ? String(subject) : subject;
    if (typeof subjectText !== 'string' || subjectText === '') {
        throw new errors/* ProviderResponseError */.Zr(api.endpoint, 200, `The ${api.endpoint.name} answered without ${api.subjectField}.`);
    }
    if (expectedSubject !== undefined && subjectText !== expectedSubject) {
        throw new errors/* ProviderResponseError */.Zr(api.endpoint, 200, `The ${api.endpoint.name} describes a different user than the ID token.`);
    }
    return { subject: subjectText, fields };
}
function approverFromUserInfo(api, info) {
    const claims = api.nameField === 'preferred_username'
        ? info.fields
        : { ...info.fields, preferred_username: info.fields[api.nameField] };
    return approverFromClaims({ ...claims, sub: info.subject }, api.endpoint.name);
}

;// CONCATENATED MODULE: ./src/policy/identity.ts
/**
 * The identity from a verified source's claims. `usernameField` is preferred_username for OpenID
 * Connect, login for GitHub's /user. The email counts only with email_verified: true (OpenID
 * Connect Core §5.1); GitHub's /user says nothing about verification, so it never counts there.
 */
function verifiedIdentityFrom(subject, claims, source, usernameField = 'preferred_username') {
    const username = nonEmpty(claims[usernameField]);
    const email = claims['email_verified'] === true ? nonEmpty(claims['email']) : undefined;
    return {
        subject,
        ...(username !== undefined && { username }),
        ...(email !== undefined && { email }),
        claims,
        source
    };
}
function nonEmpty(value) {
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
/**
 * What a claim holds, for required-claims and self-approval-claim: the top-level member of that
 * name, else, for a name with dots, the nested member (Keycloak's realm_access.roles).
 * A top-level name wins, so Auth0's namespaced claims (https://example.com/roles) work as written.
 */
function claimValue(claims, name) {
    if (Object.hasOwn(claims, name))
        return claims[name];
    if (!name.includes('.'))
        return undefined;
    let value = claims;
    for (const part of name.split('.')) {
        if (value === null || typeof value !== 'object' || Array.isArray(value))
            return undefined;
        if (!Object.hasOwn(value, part))
            return undefined;
        value = value[part];
    }
    return value;
}
/** The name to call the approver by in messages: the one a person recognises. */
function displayName(identity) {
    return identity_shown(identity.email ?? identity.username ?? identity.subject);
}
/**
 * Identity text as a message may quote it: one line of visible characters (no control, bidi or
 * other format characters that could fake or hide text), at most 120 characters.
 */
function identity_shown(text) {
    const visible = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').trim();
    if (visible === '')
        return '(nothing visible)';
    return visible.length > 120 ? `${visible.slice(0, 119)}…` : visible;
}

;// CONCATENATED MODULE: ./src/runner/outputs.ts

/** Masks every secret in a token set. Called the moment tokens arrive, before anything else. */
function maskTokens(runner, tokens) {
    for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
        if (secret)
            runner.setSecret(secret);
    }
}
/**
 * Which refresh token to keep. After a refresh without rotation, the one traded in still works;
 * otherwise the provider's new one. It must be stored whenever it differs from the refresh-token
 * input, whichever path led here: a rotation, a device-flow fallback from a dead token, or a
 * first run from an empty secret.
 */
function refreshTokenToStore(tokens, refreshTokenInput, refreshed) {
    const value = tokens.refreshToken ?? (refreshed ? refreshTokenInput : undefined);
    return { ...(value && { value }), mustStore: value !== undefined && value !== refreshTokenInput };
}
/** Sets the step outputs. Values the provider did not return stay unset. */
function publishTokens(runner, tokens, options) {
    maskTokens(runner, tokens);
    const refreshToken = options.refreshToken ?? refreshTokenToStore(tokens, undefined, false);
    // It may be the refresh-token input: masked here too, not only where it was read.
    if (refreshToken.value)
        runner.setSecret(refreshToken.value);
    runner.setOutput('access-token', tokens.accessToken);
    if (refreshToken.value)
        runner.setOutput('refresh-token', refreshToken.value);
    runner.setOutput('refresh-token-rotated', String(refreshToken.mustStore));
    if (tokens.idToken)
        runner.setOutput('id-token', tokens.idToken);
    if (tokens.tokenType)
        runner.setOutput('token-type', tokens.tokenType);
    if (tokens.expiresInSeconds !== undefined) {
        runner.setOutput('expires-in', String(Math.floor(tokens.expiresInSeconds)));
        runner.setOutput('expires-at', isoSeconds(options.nowMs + tokens.expiresInSeconds * 1000));
    }
    if (tokens.refreshTokenExpiresInSeconds !== undefined) {
        runner.setOutput('refresh-token-expires-at', isoSeconds(options.nowMs + tokens.refreshTokenExpiresInSeconds * 1000));
    }
    if (tokens.scope)
        runner.setOutput('scope', tokens.scope);
    if (options.approver) {
        runner.setOutput('approver', options.approver.name);
        runner.setOutput('approver-subject', options.approver.subject);
    }
    const approvers = options.approvers ?? (options.approver ? [options.approver] : []);
    // A JSON array of names: fromJSON(steps.x.outputs.approvers) in a workflow, join() for a line.
    if (approvers.length > 0)
        runner.setOutput('approvers', JSON.stringify(approvers.map((approver) => approver.name)));
}

;// CONCATENATED MODULE: ./src/flow/identify.ts







/**
 * Who approved: from the verified id_token, else the userinfo endpoint, else the provider's user
 * API (GitHub). An id_token that fails verification fails the step; one that cannot be verified
 * (no keys known) is withheld from the outputs.
 */
async function identify(ctx, runner, config, metadata, received) {
    maskTokens(runner, received);
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
                ...(config.clientSecret && { clientSecret: config.clientSecret })
            });
            approver = approverFromClaims(claims, 'ID token');
            identity = verifiedIdentityFrom(claims.sub, claims, 'ID token');
        }
        else {
            const { idToken: _withheld, ...rest } = tokens;
            tokens = rest;
            runner.warning((0,safe_text/* safe */.gB) `The provider returned an ID token, but the action cannot verify it without the provider's keys (jwks_uri, found by discovery). It is not output; set issuer so that discovery runs.`);
            noIdentityHelp =
                "The ID token could not be verified without the provider's keys (jwks_uri): set issuer so that discovery runs.";
        }
    }
    const api = userApiOf(config, metadata);
    if (!approver && api && !usableAsBearer(tokens)) {
        // RFC 6749 §7.1: a token of a type the client does not understand is not presented.
        const type = tokens.tokenType === undefined
            ? (0,safe_text/* safe */.gB) `no token_type`
            : (0,safe_text/* safe */.gB) `token_type "${(0,safe_text/* safeText */.Hk)(tokens.tokenType, { maxLength: 40 })}"`;
        runner.warning((0,safe_text/* safe */.gB) `The token endpoint answered with ${type}, not Bearer (RFC 6749 §5.1 and §7.1), so the action does not present the token itself to ask the ${(0,safe_text/* safeText */.Hk)(api.endpoint.name)} who approved. The token is output as it came.`);
        noIdentityHelp = `The token endpoint answered with ${type}, not Bearer, so the action did not ask the ${api.endpoint.name} who approved; add the openid scope for an ID token.`;
    }
    else if (!approver && api) {
        try {
            const info = await fetchUserInfo(ctx, api, tokens.accessToken);
            approver = approverFromUserInfo(api, info);
            identity = verifiedIdentityFrom(info.subject, info.fields, api.endpoint.name, api.nameField);
        }
        catch (error) {
            if (error instanceof errors/* CancelledError */.cc)
                throw error;
            const why = error instanceof Error ? error.message : String(error);
            runner.warning((0,safe_text/* safe */.gB) `Could not find out who approved: ${(0,safe_text/* safeText */.Hk)(why, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })}`);
            noIdentityHelp = `The ${api.endpoint.name} did not say who approved: ${why}`;
        }
    }
    if (approver?.note)
        runner.warning((0,safe_text/* safeText */.Hk)(approver.note, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
    if (!approver && !api) {
        runner.notice((0,safe_text/* safe */.gB) `The provider returned no ID token and has no userinfo endpoint, so who approved is not recorded. Add the openid scope to record it.`, (0,safe_text/* safe */.gB) `Approver unknown`);
    }
    return {
        tokens,
        ...(approver && { approver }),
        ...(identity && { identity }),
        ...(!identity && noIdentityHelp && { noIdentityHelp })
    };
}
/** OIDC userinfo when discovery found one, else the provider's own user API (GitHub's /user). */
function userApiOf(config, metadata) {
    if (metadata.userinfoEndpoint) {
        return {
            endpoint: { name: 'userinfo endpoint', url: metadata.userinfoEndpoint },
            nameField: 'preferred_username',
            subjectField: 'sub'
        };
    }
    return config.provider.userApi?.(metadata.tokenEndpoint);
}

;// CONCATENATED MODULE: ./src/flow/normalize.ts
/** Tokens as the provider sent them, in the RFC's form. */
function normalizeTokens(config, received) {
    const tokens = config.provider.normalizeTokens?.(received) ?? received;
    // RFC 6749 §5.1: a response without scope granted exactly the scope requested.
    return tokens.scope === undefined && config.scope ? { ...tokens, scope: config.scope } : tokens;
}

;// CONCATENATED MODULE: ./src/policy/github-membership.ts





const ORG_SCOPES = ['read:org', 'write:org', 'admin:org'];
const ATTEMPTS = 3;
const HOW_TO_GRANT = 'With an OAuth App, add read:org to the scope input; with a GitHub App, give it the "Members" organization permission (read) and install it in the organization.';
function gitHubMembership(ctx, options) {
    const base = options.apiBaseUrl.replace(/\/+$/, '');
    return {
        async check(query) {
            const org = encodeURIComponent(query.org);
            const url = query.team === undefined
                ? `${base}/user/memberships/orgs/${org}`
                : `${base}/orgs/${org}/teams/${encodeURIComponent(query.team)}/memberships/${encodeURIComponent(options.login)}`;
            const name = query.team === undefined ? `@${query.org}` : `@${query.org}/${query.team}`;
            const answer = await getWithRetries(ctx, url, options.accessToken);
            if ('failure' in answer)
                return {
                    status: 'unknown',
                    problem: `Could not ask GitHub about ${name}: ${answer.failure}.`
                };
            return interpret(answer, name);
        }
    };
}
function interpret(answer, name) {
    const { status, headers, fields } = answer;
    const message = typeof fields?.['message'] === 'string'
        ? ` GitHub says: "${(0,safe_text/* safeText */.Hk)(String(fields['message']), { maxLength: 200 })}".`
        : '';
    // An OAuth App token names its scopes in every answer; without read:org a 404 means nothing.
    const scopes = headers['x-oauth-scopes'];
    if (scopes) {
        const granted = scopes.split(',').map((scope) => scope.trim());
        if (!granted.some((scope) => ORG_SCOPES.includes(scope))) {
            return {
                status: 'unknown',
                problem: `The approver's token has the scopes ${granted.join(', ')} but not read:org, which GitHub needs to show membership of ${name}. Add read:org to the scope input.`
            };
        }
    }
    if (status === 200) {
        const state = fields?.['state'];
        if (state === 'active')
            return { status: 'member' };
        if (state === 'pending')
            return { status: 'not-member', detail: `was invited to ${name} but has not accepted` };
        return {
            status: 'unknown',
            problem: `GitHub answered about ${name} without a membership state ("active" or "pending").`
        };
    }
    if (status === 404) {
        return {
            status: 'not-member',
            detail: `is not a member of ${name} as far as GitHub shows (it answers 404 also when the team does not exist, or when the token may not see memberships: ${HOW_TO_GRANT})`
        };
    }
    if (status === 403) {
        // SAML single sign-on: the token works only once the approver authorizes it for the org.
        if (headers['x-github-sso']) {
            return {
                status: 'unknown',
                problem: `The organization of ${name} uses SAML single sign-on, and the approver's token is not authorized for it. The approver must authorize the app for the organization (GitHub → Settings → Applications) and approve again.`
            };
        }
        return {
            status: 'unknown',
            problem: `GitHub refused to show membership of ${name} (HTTP 403).${message} ${HOW_TO_GRANT} An organization with OAuth App access restrictions must also approve the app.`
        };
    }
    if (status === 401) {
        return {
            status: 'unknown',
            problem: `GitHub rejected the approver's token when asked about ${name} (HTTP 401).${message}`
        };
    }
    if (status === 301 || status === 302 || status === 307 || status === 308) {
        return {
            status: 'unknown',
            problem: `GitHub redirected the question about ${name} (HTTP ${status}); the organization or team was probably renamed. Use its current name in allowed-approvers.`
        };
    }
    return {
        status: 'unknown',
        problem: `GitHub answered HTTP ${status} when asked about ${name}.${message}`
    };
}
/** One GET, tried again on network failures, 429 and 5xx: a blip must not undo an approval. */
async function getWithRetries(ctx, url, accessToken) {
    for (let attempt = 1;; attempt++) {
        if (ctx.signal?.aborted)
            throw new errors/* CancelledError */.cc();
        let retryAfterMs;
        try {
            const response = await ctx.http({
                method: 'GET',
                url,
                headers: {
                    Accept: 'application/vnd.github+json',
                    'X-GitHub-Api-Version': '2022-11-28',
                    Authorization: `Bearer ${accessToken}`
                },
                timeoutMs: ctx.requestTimeoutMs,
                ...(ctx.signal && { signal: ctx.signal })
            });
            const read = (0,oauth_response/* readResponse */.Uk)(response, ctx.clock.now());
            const transient = response.status === 429 || response.status >= 500;
            if (!transient || attempt >= ATTEMPTS) {
                return {
                    status: response.status,
                    headers: response.headers,
                    ...(read.fields && { fields: read.fields })
                };
            }
            retryAfterMs = read.retryAfterMs;
        }
        catch (error) {
            if (ctx.signal?.aborted)
                throw new errors/* CancelledError */.cc();
            if (!(error instanceof http/* TransportFailure */.Az))
                throw error;
            if (attempt >= ATTEMPTS)
                return { failure: (0,safe_text/* safeText */.Hk)(error.detail, { maxLength: 300 }) };
        }
        // Bounded: GitHub's Retry-After on a secondary rate limit can be a minute; wait at most 10 s.
        const delayMs = Math.min(retryAfterMs ?? backoffDelayMs(attempt, DEFAULT_BACKOFF, ctx.clock.random()), 10_000);
        await ctx.clock.sleep(delayMs, ctx.signal);
    }
}

;// CONCATENATED MODULE: ./src/policy/text-match.ts
/**
 * How policy text is compared with identity text. Two directions, two strictnesses:
 * - allowed-approvers and required-claims say who MAY approve: a near miss must not let anyone
 *   in, so they compare exactly after Unicode NFC (which only unifies different encodings of the
 *   same characters, "é" as one code point or as e + accent), ignoring case only for emails.
 * - allow-self-approval says who may NOT approve: a near miss must not let the run's author
 *   through, so it compares loosely (compatibility forms, case, invisible characters ignored).
 */
/** Same characters, one encoding: "José" typed on macOS (NFD) equals "José" from a provider (NFC). */
function exact(text) {
    return text.normalize('NFC');
}
/**
 * Email addresses ignore case: domains do by definition (RFC 5321 §2.4), and no mail provider
 * hands out two mailboxes that differ only in the case of the local part.
 */
function emailForm(text) {
    return text.normalize('NFC').toLowerCase().normalize('NFC');
}
/** Format characters (zero-width space, joiners, bidi controls, BOM): invisible in a name. */
const INVISIBLE = /[\p{Cf}\p{Cc}\s]/gu;
/**
 * For a rule that refuses: fullwidth or compatibility letters as their plain form (NFKC), case
 * ignored, invisible characters and spaces dropped, so "Ｏcto\u200Bcat" is "octocat".
 */
function looseForm(text) {
    return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().normalize('NFKC');
}
/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters (none included)
 * and `?` for exactly one; every other character stands for itself. Characters are code points,
 * so `?` matches one accented letter or one emoji. Linear in practice and never exponential:
 * the classic two-pointer wildcard match that backtracks only to the last `*`.
 */
function globMatches(pattern, text) {
    const p = Array.from(pattern);
    const t = Array.from(text);
    let pi = 0;
    let ti = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (ti < t.length) {
        if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
            pi++;
            ti++;
        }
        else if (pi < p.length && p[pi] === '*') {
            starAt = pi++;
            resumeAt = ti;
        }
        else if (starAt !== -1) {
            pi = starAt + 1;
            ti = ++resumeAt;
        }
        else {
            return false;
        }
    }
    while (pi < p.length && p[pi] === '*')
        pi++;
    return pi === p.length;
}
function hasWildcard(pattern) {
    return pattern.includes('*') || pattern.includes('?');
}

;// CONCATENATED MODULE: ./src/policy/judge.ts


const NO_IDENTITY_HELP = 'The provider gave no verified identity of the approver: no ID token that could be verified, and no userinfo endpoint that answered. Add openid to the scope input, and set issuer so that the ID token can be verified.';
async function judgeApproval(policy, identity, context) {
    const findings = [];
    if (!identity) {
        for (const rule of rulesNeedingIdentity(policy, context)) {
            findings.push({
                rule,
                result: 'unknown',
                text: `${ruleInWords(rule)} cannot be judged. ${context.noIdentityHelp ?? NO_IDENTITY_HELP}`
            });
        }
        return verdictOf('the approver (identity unknown)', findings);
    }
    const who = displayName(identity);
    if (context.earlier.length > 0)
        findings.push(distinctPerson(identity, who, policy, context));
    findings.push(context.refreshed
        ? {
            rule: 'allow-self-approval',
            result: 'unchecked',
            text: 'Whether the approver started the run does not arise: the token came from a stored refresh token, and nobody approved during this run.'
        }
        : selfApproval(policy.selfApproval, identity, who));
    if (policy.allowedApprovers.length > 0) {
        const refusedAlready = findings.some((finding) => finding.result === 'broken');
        findings.push(await allowedApprover(policy, identity, who, context, refusedAlready));
    }
    for (const requirement of policy.requiredClaims)
        findings.push(requiredClaim(requirement, identity, who));
    return verdictOf(who, findings);
}
function verdictOf(approver, findings) {
    const broken = findings.find((finding) => finding.result === 'broken');
    const unknown = findings.find((finding) => finding.result === 'unknown');
    const outcome = broken ? 'refused' : unknown ? 'undecidable' : 'allowed';
    const reason = (broken ?? unknown)?.text;
    return { outcome, approver, findings, ...(reason && { reason }) };
}
function rulesNeedingIdentity(policy, context) {
    const rules = [];
    if (policy.approvals > 1)
        rules.push('approvals');
    const selfCheck = policy.selfApproval.kind === 'github-login' || policy.selfApproval.kind === 'claim';
    if (selfCheck && !context.refreshed)
        rules.push('allow-self-approval');
    if (policy.allowedApprovers.length > 0)
        rules.push('allowed-approvers');
    if (policy.requiredClaims.length > 0)
        rules.push('required-claims');
    return rules;
}
function ruleInWords(rule) {
    switch (rule) {
        case 'approvals':
            return 'Whether this is a different person from the earlier approvers (approvals)';
        case 'allow-self-approval':
            return 'Whether the approver started the run (allow-self-approval: false)';
        case 'allowed-approvers':
            return 'Whether the approver is in allowed-approvers';
        case 'required-claims':
            return 'Whether the approver has the required-claims';
    }
}
function distinctPerson(identity, who, policy, context) {
    const of = `approval ${context.approvalNumber} of ${policy.approvals}`;
    const same = context.earlier.findIndex((earlier) => earlier.subject === identity.subject);
    if (same !== -1) {
        return {
            rule: 'approvals',
            result: 'broken',
            text: `${who} already gave approval ${same + 1} of ${policy.approvals}; ${of} must come from a different person (approvals: ${policy.approvals}).`
        };
    }
    return {
        rule: 'approvals',
        result: 'holds',
        text: `${who} is a different person from ${context.earlier.map((earlier) => identity_shown(earlier.name)).join(' and ')} (${of}).`
    };
}
function selfApproval(rule, identity, who) {
    const finding = (result, text) => ({
        rule: 'allow-self-approval',
        result,
        text
    });
    switch (rule.kind) {
        case 'allowed':
            return finding('unchecked', 'The person who started the run may approve it (allow-self-approval: true).');
        case 'undetectable':
            return finding('unchecked', 'Whether the approver started the run was not checked: an OpenID Connect identity does not say which GitHub user it is. Set self-approval-claim and run-actor to check it.');
        case 'github-login': {
            const login = identity.username;
            if (login === undefined)
                return finding('unknown', `GitHub's user API gave no login for ${who}, so whether they started the run cannot be told.`);
            const actor = rule.runActors.find((candidate) => looseForm(candidate.value) === looseForm(login));
            if (actor) {
                return finding('broken', `${identity_shown(login)} started this run (${actor.from}) and may not approve it (allow-self-approval is false).`);
            }
            return finding('holds', `${identity_shown(login)} did not start this run (${rule.runActors.map((a) => `${a.from} is ${identity_shown(a.value)}`).join(', ')}).`);
        }
        case 'claim': {
            const values = selfApprovalValues(rule.claim, identity);
            if (values === undefined) {
                return finding('unknown', `${who} has no ${rule.claim === 'email' ? 'verified email address' : `${rule.claim} claim`} (self-approval-claim: ${rule.claim}), so whether they started the run cannot be told. ${claimHelp(rule.claim)}`);
            }
            const hit = rule.runActors.find((actor) => values.some((value) => looseForm(value) === looseForm(actor.value)));
            if (hit) {
                return finding('broken', `${who} started this run (their ${rule.claim} is ${identity_shown(hit.value)}, the run-actor) and may not approve it (allow-self-approval is false).`);
            }
            return finding('holds', `${who} did not start this run (their ${rule.claim} is not ${rule.runActors.map((a) => identity_shown(a.value)).join(' or ')}).`);
        }
    }
}
/** The claim's values as text; the email only when verified. undefined when absent or unusable. */
function selfApprovalValues(claim, identity) {
    if (claim === 'email')
        return identity.email === undefined ? undefined : [identity.email];
    const value = claimValue(identity.claims, claim);
    const values = (Array.isArray(value) ? value : [value]).filter(isScalar).map(String);
    return values.length > 0 ? values : undefined;
}
function isScalar(value) {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
async function allowedApprover(policy, identity, who, context, refusedAlready) {
    const finding = (result, text) => ({
        rule: 'allowed-approvers',
        result,
        text
    });
    for (const entry of policy.allowedApprovers) {
        const matched = patternMatch(entry, identity, policy.provider);
        if (matched)
            return finding('holds', `${who} is in allowed-approvers (${matched}).`);
    }
    const memberships = policy.allowedApprovers.filter((entry) => entry.kind !== 'pattern');
    const unknowns = [];
    if (memberships.length > 0 && refusedAlready) {
        return finding('unchecked', `GitHub was not asked whether ${who} is in ${memberships.map((e) => e.text).join(', ')}: another rule already refused them.`);
    }
    const notMember = [];
    for (const entry of memberships) {
        if (!context.membership || identity.username === undefined) {
            unknowns.push(`GitHub could not be asked whether ${who} is in ${entry.text}: the approver's login and token are needed.`);
            continue;
        }
        const answer = await context.membership.check(entry.kind === 'team' ? { org: entry.org, team: entry.team } : { org: entry.org });
        if (answer.status === 'member')
            return finding('holds', `${who} is an active member of ${entry.text} (allowed-approvers).`);
        if (answer.status === 'unknown')
            unknowns.push(answer.problem);
        else
            notMember.push(`${identity_shown(identity.username)} ${answer.detail}`);
    }
    const emailEntries = policy.allowedApprovers.filter((entry) => entry.kind === 'pattern' && entry.matches === 'email');
    if (emailEntries.length > 0 && identity.email === undefined) {
        unknowns.unshift(`${who} has no verified email address in the ${identity.source}, so the email entries of allowed-approvers (${emailEntries.map((e) => e.text).join(', ')}) cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`);
    }
    if (unknowns.length > 0)
        return finding('unknown', unknowns.join(' '));
    return finding('broken', `${who} is not in allowed-approvers (compared: ${comparedFields(identity)}${notMember.length > 0 ? `; ${notMember.join('; ')}` : ''}).`);
}
/** Which entry matched, in words, or undefined. */
function patternMatch(entry, identity, provider) {
    if (entry.kind !== 'pattern')
        return undefined;
    if (entry.matches === 'email') {
        if (identity.email === undefined)
            return undefined;
        return globMatches(emailForm(entry.text), emailForm(identity.email))
            ? `email matches ${entry.text}`
            : undefined;
    }
    // GitHub logins ignore case (Octocat is octocat); other usernames and every sub are compared exactly.
    const username = identity.username;
    if (username !== undefined) {
        const form = provider === 'github' ? emailForm : exact;
        if (globMatches(form(entry.text), form(username)))
            return `username matches ${entry.text}`;
    }
    if (globMatches(exact(entry.text), exact(identity.subject)))
        return `subject matches ${entry.text}`;
    return undefined;
}
function comparedFields(identity) {
    const fields = [
        ...(identity.email !== undefined ? [`email ${identity_shown(identity.email)}`] : ['no verified email']),
        ...(identity.username !== undefined ? [`username ${identity_shown(identity.username)}`] : []),
        `subject ${identity_shown(identity.subject)}`
    ];
    return fields.join(', ');
}
function requiredClaim(requirement, identity, who) {
    const finding = (result, text) => ({
        rule: 'required-claims',
        result,
        text
    });
    const { claim, value: wanted } = requirement;
    // The email only as verified: a bare email claim may be whatever the person typed at sign-up.
    if (claim === 'email') {
        if (identity.email === undefined) {
            return finding('unknown', `${who} has no verified email address, so required-claims ${requirement.text} cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`);
        }
        return emailForm(identity.email) === emailForm(wanted)
            ? finding('holds', `${who} has email ${identity_shown(wanted)} (required-claims).`)
            : finding('broken', `${who} does not have email ${identity_shown(wanted)} (required-claims: ${requirement.text}).`);
    }
    const value = claimValue(identity.claims, claim);
    if (value === undefined || value === null) {
        return finding('unknown', `${who} has no ${claim} claim (looked for in the ${identity.source}), so required-claims ${requirement.text} cannot be judged. ${claimHelp(claim)}`);
    }
    if (Array.isArray(value)) {
        const held = value.filter(isScalar).map(String);
        if (held.some((item) => exact(item) === exact(wanted)))
            return finding('holds', `${who}'s ${claim} includes ${identity_shown(wanted)} (required-claims).`);
        return finding('broken', `${who}'s ${claim} (${listed(held)}) does not include ${identity_shown(wanted)} (required-claims: ${requirement.text}).`);
    }
    if (!isScalar(value)) {
        return finding('unknown', `${who}'s ${claim} claim is an object, not a value, so required-claims ${requirement.text} cannot be judged. Name a member inside it with a dot (for example realm_access.roles=release).`);
    }
    if (exact(String(value)) === exact(wanted))
        return finding('holds', `${who}'s ${claim} is ${identity_shown(wanted)} (required-claims).`);
    return finding('broken', `${who}'s ${claim} is ${identity_shown(String(value))}, not ${identity_shown(wanted)} (required-claims: ${requirement.text}).`);
}
function listed(values) {
    if (values.length === 0)
        return 'empty';
    const first = values.slice(0, 10).map(identity_shown).join(', ');
    return values.length > 10 ? `${first} and ${values.length - 10} more` : first;
}
/** How to get a claim that is missing: the well-known ones have well-known answers. */
function claimHelp(claim) {
    switch (claim) {
        case 'amr':
            return 'amr (RFC 8176) says how the person signed in, and only some providers send it: Entra ID and Okta do; Auth0 sends it only after multi-factor sign-in; Google sends none.';
        case 'groups':
            return 'Have the provider put the groups claim into the ID token or userinfo (Okta: a groups claim on the authorization server; Entra ID: groupMembershipClaims in the app manifest; Keycloak: a group membership mapper), and ask for the scope that carries it.';
        case 'email':
            return 'Add email to the scope input; the provider must mark the address verified (email_verified).';
        default:
            return `Have the provider add the ${claim} claim to the ID token or userinfo (a claim mapping at the provider), and ask for the scope that carries it.`;
    }
}

;// CONCATENATED MODULE: ./src/flow/policy.ts








/** The approval policy refused an approval, or could not judge it (which it refuses too). */
class ApprovalRefusedError extends errors/* ActionError */.lZ {
    approver;
    rule;
    name = 'ApprovalRefusedError';
    constructor(message, approver, rule) {
        super(message);
        this.approver = approver;
        this.rule = rule;
    }
}
/**
 * identity → policy: judges the approval on the verified identity. Accepted, it returns the
 * verdict. Refused or not judgeable, it revokes the approval's tokens where the provider allows,
 * tells the listeners who tried and which rule refused them, and throws ApprovalRefusedError:
 * the step fails and no token is output.
 */
async function checkPolicy(gate, identified, place) {
    const { policy } = gate;
    let identity = identified.identity;
    const judge = (who) => judgeApproval(policy, who, {
        approvalNumber: place.turn.number,
        earlier: place.earlier,
        ...(place.refreshed && { refreshed: true }),
        ...(identified.noIdentityHelp && { noIdentityHelp: identified.noIdentityHelp }),
        ...(who && membershipOf(gate, who, identified))
    });
    let verdict = await judge(identity);
    // OpenID Connect Core §5.4: claims may be at the userinfo endpoint rather than in the ID token.
    if (verdict.outcome === 'undecidable' && identity?.source === 'ID token') {
        const fuller = await withUserinfoClaims(gate, identity, identified.tokens.accessToken);
        if (fuller) {
            identity = fuller;
            verdict = await judge(identity);
        }
    }
    if (verdict.outcome === 'allowed')
        return verdict;
    const refusal = verdict.findings.find((finding) => finding.result === 'broken') ??
        verdict.findings.find((finding) => finding.result === 'unknown');
    const message = verdict.outcome === 'refused'
        ? `The approval by ${verdict.approver} was refused: ${verdict.reason}`
        : `The approval by ${verdict.approver} was refused because the approval policy cannot be judged: ${verdict.reason}`;
    await gate.events.emit({
        type: 'refused',
        atMs: gate.ctx.clock.now(),
        ...(identified.approver && { approver: identified.approver }),
        reason: verdict.reason ?? message,
        ...(refusal && { rule: refusal.rule }),
        findings: verdict.findings,
        turn: place.turn
    });
    await discardTokens(gate, identified.tokens, `the refused approval's (${verdict.approver})`);
    throw new ApprovalRefusedError(message, verdict.approver, refusal?.rule);
}
/** @org and @org/team entries are asked of GitHub's API with the approver's own token. */
function membershipOf(gate, identity, identified) {
    const needed = gate.policy.allowedApprovers.some((entry) => entry.kind !== 'pattern');
    const userApi = userApiOf(gate.config, gate.metadata);
    if (!needed || gate.policy.provider !== 'github' || !userApi || identity.username === undefined)
        return {};
    return {
        membership: gitHubMembership(gate.ctx, {
            apiBaseUrl: userApi.endpoint.url.replace(/\/user$/, ''),
            accessToken: identified.tokens.accessToken,
            login: identity.username
        })
    };
}
/**
 * The ID token's claims with what userinfo adds, for the same subject; the ID token's own
 * claims win. email and email_verified come as a pair from one source, never mixed.
 */
async function withUserinfoClaims(gate, identity, accessToken) {
    const userinfo = gate.metadata.userinfoEndpoint;
    if (!userinfo)
        return undefined;
    let fields;
    try {
        const info = await fetchUserInfo(gate.ctx, {
            endpoint: { name: 'userinfo endpoint', url: userinfo },
            nameField: 'preferred_username',
            subjectField: 'sub'
        }, accessToken, identity.subject);
        fields = info.fields;
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc)
            throw error;
        gate.runner.warning((0,safe_text/* safe */.gB) `The userinfo endpoint did not add the claims the approval policy needs: ${(0,safe_text/* safeText */.Hk)(error instanceof Error ? error.message : error, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })}`);
        return undefined;
    }
    const claims = { ...fields, ...identity.claims };
    if (identity.claims['email_verified'] !== true && fields['email_verified'] === true) {
        claims['email'] = fields['email'];
        claims['email_verified'] = true;
    }
    return verifiedIdentityFrom(identity.subject, claims, 'ID token and userinfo endpoint');
}

;// CONCATENATED MODULE: ./src/flow/revocation-state.ts

const STATE_PLAN = 'revocation-plan';
const STATE_ACCESS_TOKEN = 'revoke-access-token';
const STATE_REFRESH_TOKEN = 'revoke-refresh-token';
/** The main step's side: saves what the post step should revoke (the tokens already masked). */
function saveRevocationState(save, state) {
    save(STATE_PLAN, JSON.stringify(state.plan));
    if (state.accessToken)
        save(STATE_ACCESS_TOKEN, state.accessToken);
    if (state.refreshToken)
        save(STATE_REFRESH_TOKEN, state.refreshToken);
}
/**
 * The post step's side: the saved state, or undefined when there is nothing to revoke (the main
 * step ended before tokens arrived, or revoke: none) or the state is not the action's own.
 */
function readRevocationState(read) {
    const text = read(STATE_PLAN);
    if (!text)
        return undefined;
    let plan;
    try {
        plan = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (!isPlan(plan))
        return undefined;
    const accessToken = read(STATE_ACCESS_TOKEN);
    const refreshToken = read(STATE_REFRESH_TOKEN);
    if (!accessToken && !refreshToken)
        return undefined;
    return {
        plan,
        ...(accessToken && { accessToken }),
        ...(refreshToken && { refreshToken })
    };
}
function isPlan(value) {
    if (value === null || typeof value !== 'object')
        return false;
    const plan = value;
    return ((plan['api'] === 'rfc7009' || plan['api'] === 'github') &&
        typeof plan['url'] === 'string' &&
        /^https?:\/\//.test(plan['url']) &&
        typeof plan['clientId'] === 'string' &&
        typeof plan['tokenEndpoint'] === 'string' &&
        CLIENT_AUTH_METHODS.includes(plan['clientAuthMethod']) &&
        (plan['accessTokenExpiresAtMs'] === undefined ||
            typeof plan['accessTokenExpiresAtMs'] === 'number'));
}

;// CONCATENATED MODULE: ./src/flow/post-state.ts



/**
 * The stage that runs the moment tokens arrive, before anything that could fail or be cancelled:
 * it leaves the post step what to revoke (RFC 7009 or GitHub's API) in the step state. The
 * tokens are masked already (they are masked as they arrive); the client secret is not saved.
 */
function saveForPostStep(runner, config, metadata, client, tokens, refreshed, nowMs) {
    // After a refresh without rotation, the input is the refresh token that lives on.
    const refreshToken = tokens.refreshToken ?? (refreshed ? config.refreshToken : undefined);
    const plan = planRevocation(tokens, {
        revoke: config.revoke,
        github: config.provider.name === 'github',
        client,
        metadata,
        ...(refreshToken && { refreshToken }),
        refreshTokenKept: refreshToken !== undefined &&
            (config.storeRefreshToken !== undefined || refreshToken === config.refreshToken),
        env: runner.env,
        nowMs
    });
    if (plan.note)
        runner.info((0,safe_text/* safeText */.Hk)(plan.note, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
    if (!plan.state)
        return;
    // Masked again here: what goes into the state file must be masked whoever masked it first.
    for (const token of [plan.state.accessToken, plan.state.refreshToken])
        if (token)
            runner.setSecret(token);
    saveRevocationState((name, value) => runner.saveState(name, value), plan.state);
}

;// CONCATENATED MODULE: ./src/policy/describe.ts

/**
 * The lines to show: none when nothing is in force (no policy input and an OpenID Connect
 * provider, where self-approval cannot be seen), so a run without a gate looks as it always did.
 */
function policyInForce(policy) {
    const enforced = policy.configured || policy.selfApproval.kind === 'github-login';
    return enforced ? describePolicy(policy) : [];
}
function describePolicy(policy) {
    const lines = [
        {
            label: 'Who may approve',
            text: policy.allowedApprovers.length === 0
                ? 'anyone who can sign in at the provider'
                : policy.allowedApprovers.map(entryInWords).join(', ')
        }
    ];
    if (policy.requiredClaims.length > 0) {
        lines.push({
            label: 'Must have',
            text: policy.requiredClaims
                .map(({ claim, value }) => claim === 'email' ? `verified email ${value}` : `${claim} = ${value}`)
                .join(' and ')
        });
    }
    lines.push({ label: 'Self-approval', text: selfApprovalInWords(policy.selfApproval) });
    if (policy.approvals > 1) {
        lines.push({
            label: 'Approvals',
            text: `${policy.approvals} different people, one after the other`
        });
    }
    return lines;
}
function entryInWords(entry) {
    switch (entry.kind) {
        case 'pattern':
            return entry.text;
        case 'org':
            return `members of ${entry.text}`;
        case 'team':
            return `members of team ${entry.text}`;
    }
}
function selfApprovalInWords(rule) {
    switch (rule.kind) {
        case 'allowed':
            return 'allowed (the person who started the run may approve it)';
        case 'undetectable':
            return 'not checked (an OpenID Connect identity does not say which GitHub user it is; see self-approval-claim)';
        case 'github-login':
            return `not allowed: not ${rule.runActors.map((actor) => identity_shown(actor.value)).join(' or ')}, who started the run`;
        case 'claim':
            return `not allowed: the approver's ${rule.claim} must not be ${rule.runActors.map((actor) => identity_shown(actor.value)).join(' or ')}`;
    }
}
/** The heading of each prompt after the first: "Approval 2 of 2: a different person". */
function approvalHeading(approvalNumber, approvals, earlierNames) {
    if (approvals <= 1)
        return undefined;
    if (approvalNumber === 1)
        return `Approval 1 of ${approvals}`;
    return `Approval ${approvalNumber} of ${approvals}: a different person (not ${earlierNames.map(identity_shown).join(' or ')})`;
}

;// CONCATENATED MODULE: ./src/flow/grant.ts








/** refresh → identity → policy: the token's owner must still be someone the policy accepts. */
async function refreshedGrant(stage, refreshed) {
    const received = normalizeTokens(stage.config, refreshed);
    keepForPostStep(stage, received, true, stage.ctx.clock.now());
    const { approver, tokens } = await identifyAndCheck(stage, received, {
        turn: { number: 1, of: 1 },
        earlier: [],
        refreshed: true
    });
    const atMs = stage.ctx.clock.now();
    await stage.events.emit({ type: 'refreshed', atMs, ...(approver && { approver }) });
    return { tokens, atMs, ...(approver && { approver }) };
}
/**
 * (device code → prompt → poll → identity → policy) once per person the approvals input asks
 * for; the first approver's tokens are the ones output.
 */
async function approvedGrant(stage) {
    const { policy } = stage;
    const approved = await approveInTurn(policy.approvals, async (turn, earlier) => {
        const login = await deviceLogin(stage.ctx, stage.runner, stage.events, stage.config, stage.metadata, stage.client, stage.quirks, promptPolicy(policy, turn, earlier));
        const received = normalizeTokens(stage.config, login.tokens);
        // Only the first approver's tokens can be output; the later ones are revoked right here.
        if (turn.number === 1)
            keepForPostStep(stage, received, false, login.approvedAtMs);
        const { tokens, approver, identity, verdict } = await identifyAndCheck(stage, received, {
            turn,
            earlier
        });
        await stage.events.emit({
            type: 'approved',
            atMs: login.approvedAtMs,
            shownAtMs: login.shownAtMs,
            ...(approver && { approver }),
            turn,
            ...(worthSaying(policy, verdict) && { findings: verdict.findings })
        });
        return {
            tokens,
            ...(approver && { approver }),
            ...(identity && { subject: identity.subject }),
            shownAtMs: login.shownAtMs,
            approvedAtMs: login.approvedAtMs
        };
    }, (tokens, whose) => discardTokens(stage, tokens, whose));
    const { approver, tokens } = approved.first;
    return {
        tokens,
        atMs: approved.all.at(-1)?.approvedAtMs ?? stage.ctx.clock.now(),
        ...(approver && { approver }),
        ...(policy.approvals > 1 && {
            approvers: approved.all.flatMap((approval) => approval.approver ?? [])
        })
    };
}
/**
 * At once, before anything can fail or be cancelled: the post step revokes from this (and a
 * refusal revokes at once, too).
 */
function keepForPostStep(stage, tokens, refreshed, atMs) {
    const { runner, config, metadata, client } = stage;
    saveForPostStep(runner, config, metadata, client, tokens, refreshed, atMs);
}
/** identity → policy; a refused approval throws ApprovalRefusedError (see src/flow/policy.ts). */
async function identifyAndCheck(stage, received, place) {
    const { ctx, runner, config, metadata } = stage;
    const identified = await identify(ctx, runner, config, metadata, received);
    const verdict = await checkPolicy(stage, identified, place);
    return { ...identified, verdict };
}
/** What the prompt says about the policy: which approval this is, and the rules in force. */
function promptPolicy(policy, turn, earlier) {
    const heading = approvalHeading(turn.number, turn.of, earlier.map((approval) => approval.name));
    const lines = policyInForce(policy);
    return {
        ...(heading && { approval: { ...turn, heading } }),
        ...(lines.length > 0 && { policy: lines })
    };
}
/** Findings go to the log when a policy was asked for, or when a rule held or broke anyway. */
function worthSaying(policy, verdict) {
    return policy.configured || verdict.findings.some((finding) => finding.result !== 'unchecked');
}

;// CONCATENATED MODULE: ./src/flow/advice.ts
/** What to do about the errors RFC 6749 §5.2, RFC 8628 §3.5, RFC 8707 and RFC 7009 define. */
function standardAdvice(body, kind) {
    switch (body.error) {
        case 'invalid_client':
            return kind === 'device-authorization' || kind === 'device-token'
                ? 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method. With private_key_jwt, the assertion is addressed to the token endpoint; a provider that wants the URL being called instead refuses it.'
                : 'The provider did not accept the client credentials: check client-id, client-secret (or client-private-key) and client-auth-method.';
        case 'unauthorized_client':
            return kind === 'refresh'
                ? 'The client may not use refresh tokens: enable the refresh token grant for it at the provider.'
                : 'The client may not use the device flow: enable the OAuth 2.0 Device Authorization Grant for it at the provider. With private_key_jwt, the provider may also be refusing the assertion (its audience).';
        case 'invalid_scope':
            return 'The client may not ask for these scopes: check the scope input against what the client is allowed.';
        case 'invalid_target':
            return 'The provider does not know the requested resource: check the resource and audience inputs.';
        case 'unsupported_grant_type':
            return kind === 'refresh'
                ? 'The provider does not support refresh tokens for this client.'
                : 'The provider does not support the device flow for this client.';
        case 'unsupported_token_type':
            return 'The provider cannot revoke this kind of token (RFC 7009 §2.2.1).';
        case 'invalid_grant':
            return kind === 'refresh'
                ? 'The stored refresh token is expired, revoked, or was already used (rotated). Run the device flow again (on-refresh-failure: device asks a person when this happens) and store the new refresh token.'
                : 'The device code is no longer valid: it expired, or was already used.';
        case 'invalid_request':
            return 'The provider rejected the request as malformed: check extra-params, audience and resource.';
        case 'server_error':
        case 'temporarily_unavailable':
            return 'The provider is failing; try again later.';
        default:
            return undefined;
    }
}
/** The provider's own advice first (its console, its codes), then the standard's. */
function adviceFor(body, kind, advisors) {
    return advisors.map((advise) => advise(body, kind)).find(Boolean) ?? standardAdvice(body, kind);
}

;// CONCATENATED MODULE: ./src/flow/failure.ts







/** Turns whatever ended the run into how it ended and what the person reading the log is told. */
function failureOf(error, quirks) {
    if (error instanceof errors/* CancelledError */.cc)
        return { ending: 'cancelled', message: error.message };
    if (error instanceof errors/* WaitEndedError */.Ys)
        return { ending: error.ending, message: error.message };
    if (error instanceof ApprovalRefusedError) {
        return {
            ending: 'refused',
            message: error.message,
            refusal: {
                approver: error.approver,
                ...(error.rule && { rule: error.rule }),
                reason: error.message
            }
        };
    }
    if (error instanceof errors/* ActionError */.lZ)
        return { ending: 'failed', message: explainError(error, quirks) };
    return {
        ending: 'failed',
        message: `Unexpected error: ${(0,safe_text/* safeText */.Hk)(error instanceof Error ? error.message : error, { maxLength: 500 })}. Please report this with the debug log (re-run with debug logging).`,
        ...(error instanceof Error && error.stack && { stack: error.stack })
    };
}
/**
 * An error's message with what to do about it. The protocol code says what happened; the advice
 * depends on the provider and the inputs, which only the flow knows.
 */
function explainError(error, quirks) {
    if (error instanceof ClientKeyError)
        return new errors/* InputError */.dz('client-private-key', error.message).message;
    if (error instanceof RefreshRefusedError) {
        return `${error.message} Set on-refresh-failure: device to ask a person instead when this happens, and store the new refresh token.`;
    }
    if (error instanceof errors/* OAuthError */.W5) {
        const advice = adviceFor(error.body, error.request, quirks?.advisors ?? []);
        const page = errorPageOf(error.body);
        return [error.message, advice, page && `More: ${page}`].filter(Boolean).join(' ');
    }
    return error.message;
}

;// CONCATENATED MODULE: ./src/flow/refresh.ts




/**
 * The refresh path (RFC 6749 §6): new tokens from the stored refresh token, or undefined when a
 * person must be asked instead (mode: device, no refresh token to use, or a dead one with
 * on-refresh-failure: device). Every other failure is thrown. An empty refresh-token where the
 * workflow meant to refresh was refused in readConfig, or arrives here as refreshTokenMissing.
 */
async function refreshIfPossible(ctx, runner, config, client, tokenEndpoint, quirks) {
    if (config.mode === 'device') {
        if (config.refreshToken !== undefined)
            runner.info((0,safe_text/* safe */.gB) `mode: device asks a person; the refresh-token input is not exchanged, only compared with the new refresh token (refresh-token-rotated).`);
        return undefined;
    }
    if (config.refreshTokenMissing) {
        runner.warning((0,safe_text/* safe */.gB) `The refresh-token input is empty, so there is nothing to refresh: asking a person with the device flow instead (on-refresh-failure: device). If this step was meant to refresh, the secret is empty or missing: check its name (a misspelt \${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets). Store the refresh token this run returns.`);
        return undefined;
    }
    if (config.refreshToken === undefined)
        return undefined;
    try {
        const tokens = await refreshTokens(ctx, tokenEndpoint, client, config.refreshToken, config.scope);
        maskTokens(runner, tokens);
        return tokens;
    }
    catch (error) {
        if (!isDeadRefreshToken(error, quirks) || config.onRefreshFailure !== 'device')
            throw error;
        runner.warning((0,safe_text/* safeText */.Hk)(`${error.message} Starting the device flow instead (on-refresh-failure: device): store the new refresh token this run returns.`, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
        return undefined;
    }
}
/** The provider says the refresh token is no good, as opposed to anything else going wrong. */
function isDeadRefreshToken(error, quirks) {
    if (error instanceof RefreshRefusedError)
        return true;
    return error instanceof errors/* OAuthError */.W5 && quirks.deadRefreshTokenErrors.has(error.error);
}

;// CONCATENATED MODULE: ./src/runner/escape.ts

/**
 * Provider text reaches the job summary, which GitHub renders as Markdown with HTML. Everything
 * from outside is first made log-safe (one line, no invisible or bidi characters, bounded: the
 * summary is also masked and read line by line by the runner), then escaped so that a provider
 * cannot add a link, an image or markup to it.
 */
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '[': '&#91;',
    ']': '&#93;',
    '(': '&#40;',
    ')': '&#41;',
    '*': '&#42;',
    _: '&#95;',
    '`': '&#96;',
    '|': '&#124;',
    '\\': '&#92;',
    '!': '&#33;',
    '~': '&#126;',
    '#': '&#35;'
};
/** The longest value a summary cell shows: an error message with a quoted description fits. */
const MAX_SUMMARY_TEXT_LENGTH = 2000;
function escapeHtml(text, maxLength = MAX_SUMMARY_TEXT_LENGTH) {
    return (0,safe_text/* safeText */.Hk)(text, { maxLength }).replace(/[&<>"'[\]()*_`|\\!~#]/g, (c) => ENTITIES[c]);
}
/** A link to a URL already checked to be https (or loopback http). */
function escape_link(url, text = url) {
    return `<a href="${escapeHtml(url, 2048)}">${escapeHtml(text)}</a>`;
}

;// CONCATENATED MODULE: ./src/flow/refresh-token-expiry.ts



const DAY_MS = 24 * 3600 * 1000;
/**
 * When the refresh token later jobs will use expires, if anyone says: the provider, for the one
 * it just issued (GitHub Apps: refresh_token_expires_in), or the refresh-token-expires-at input
 * for the stored one, while it is still the one in use (not rotated).
 */
function refreshTokenExpiresAtMs(config, tokens, nowMs) {
    if (tokens.refreshTokenExpiresInSeconds !== undefined)
        return nowMs + tokens.refreshTokenExpiresInSeconds * 1000;
    const stillTheStoredOne = tokens.refreshToken === undefined || tokens.refreshToken === config.refreshToken;
    return stillTheStoredOne ? config.refreshTokenExpiresAtMs : undefined;
}
/**
 * A warning when the refresh token expires within the warning window
 * (refresh-token-expiry-warning-days), so the team approves again before the nightly job fails.
 */
function expiryWarning(expiresAtMs, warningDays, nowMs) {
    if (expiresAtMs === undefined || warningDays <= 0)
        return undefined;
    const leftMs = expiresAtMs - nowMs;
    if (leftMs > warningDays * DAY_MS)
        return undefined;
    const when = leftMs <= 0
        ? 'has expired'
        : `expires at ${isoSeconds(expiresAtMs)}, in ${leftMs < DAY_MS ? 'less than a day' : `${Math.floor(leftMs / DAY_MS)} day${leftMs < 2 * DAY_MS ? '' : 's'}`}`;
    return `The refresh token ${when}. Run the workflow with the device flow before then (on-refresh-failure: device, or without refresh-token) so that a person approves again and the new refresh token is stored; jobs that start from the old one will fail.`;
}
/**
 * The stage after the outputs: warns in the log and the summary when the refresh token later
 * jobs use expires within refresh-token-expiry-warning-days.
 */
async function warnIfRefreshTokenExpires(runner, config, tokens, nowMs) {
    const warning = expiryWarning(refreshTokenExpiresAtMs(config, tokens, nowMs), config.expiryWarningDays, nowMs);
    if (!warning)
        return;
    runner.warning((0,safe_text/* safeText */.Hk)(warning, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
    if (!config.summary)
        return;
    try {
        await runner.appendSummary(`<p>⚠️ ${escapeHtml(warning)}</p>\n`);
    }
    catch (error) {
        runner.warning((0,safe_text/* safe */.gB) `Could not write the job summary: ${(0,safe_text/* safeText */.Hk)(error instanceof Error ? error.message : error, { maxLength: 500 })}`);
    }
}

;// CONCATENATED MODULE: ./src/secrets/seal.ts
/**
 * libsodium's sealed box (crypto_box_seal), as GitHub's REST API requires for secret values:
 * https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api
 * Loaded with import() only when a secret is stored, so the bundle's first chunk stays small and
 * the prompt reaches the log without waiting for half a megabyte of WebAssembly-free JavaScript.
 */
async function sealForGitHub(value, publicKeyBase64) {
    const { default: sodium } = await __nccwpck_require__.e(/* import() */ 768).then(__nccwpck_require__.bind(__nccwpck_require__, 4768));
    await sodium.ready;
    const publicKey = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
    if (publicKey.length !== sodium.crypto_box_PUBLICKEYBYTES) {
        throw new Error(`the public key is ${publicKey.length} bytes, not the ${sodium.crypto_box_PUBLICKEYBYTES} of a Curve25519 key`);
    }
    const sealed = sodium.crypto_box_seal(value, publicKey);
    return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

;// CONCATENATED MODULE: ./src/secrets/target.ts

const INPUT = 'store-refresh-token';
const FORMS = 'Write NAME (a repository secret), environment/ENVIRONMENT/NAME or org/NAME (a secret of the organization that owns the repository).';
/**
 * Reads store-refresh-token: `NAME`, `environment/ENVIRONMENT/NAME` or `org/NAME`. The
 * environment is named, because a job's environment is not in any variable the runner sets; it
 * is what lies between the prefix and the last slash (a secret name has no slash).
 */
function parseSecretTarget(value) {
    const text = value.trim();
    const environment = /^environment\/(.+)\/([^/]*)$/.exec(text);
    if (environment) {
        const env = environment[1].trim();
        if (env === '' || /[\u0000-\u001F\u007F]/.test(env) || env.length > 255) {
            throw new errors/* InputError */.dz(INPUT, `"${target_shown(text)}" names no usable environment. ${FORMS}`);
        }
        return { scope: 'environment', environment: env, name: secretName(environment[2]) };
    }
    if (/^environment\//.test(text)) {
        throw new errors/* InputError */.dz(INPUT, `"${target_shown(text)}" needs the environment and the secret name. ${FORMS}`);
    }
    const org = /^org\/([^/]*)$/.exec(text);
    if (org)
        return { scope: 'organization', name: secretName(org[1]) };
    const repository = /^(?:repo\/)?([^/]*)$/.exec(text);
    if (repository)
        return { scope: 'repository', name: secretName(repository[1]) };
    throw new errors/* InputError */.dz(INPUT, `"${target_shown(text)}" is not a secret name. ${FORMS}`);
}
/**
 * GitHub's rules for secret names: letters, digits and underscores, not starting with a digit or
 * with GITHUB_ (https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#naming-your-secrets).
 */
function secretName(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,199}$/.test(name)) {
        throw new errors/* InputError */.dz(INPUT, `"${target_shown(name)}" is not a secret name GitHub accepts: letters, digits and _ only, not starting with a digit. ${FORMS}`);
    }
    if (/^GITHUB_/i.test(name)) {
        throw new errors/* InputError */.dz(INPUT, `"${name}": secret names may not start with GITHUB_.`);
    }
    return name;
}
function target_shown(text) {
    return text.replace(/[\u0000-\u001F\u007F]/g, ' ').slice(0, 100);
}
/** For messages: "the repository secret NAME of owner/repo". */
function describeTarget(target, repository, owner) {
    switch (target.scope) {
        case 'repository':
            return `the repository secret ${target.name} of ${repository}`;
        case 'environment':
            return `the secret ${target.name} of the environment "${target.environment}" of ${repository}`;
        case 'organization':
            return `the organization secret ${target.name} of ${owner}`;
    }
}

;// CONCATENATED MODULE: ./src/secrets/github-secrets.ts









/** Storing the secret failed; the message says why and what to change. */
class SecretStoreError extends errors/* ActionError */.lZ {
    status;
    name = 'SecretStoreError';
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}
/**
 * Writes `value` into the secret: reads the store's public key, seals the value with it
 * (libsodium sealed box) and PUTs the result with the key's id. GitHub never sees the value
 * unsealed in transit to the API, and neither does anything that logs requests.
 * https://docs.github.com/en/rest/actions/secrets
 */
async function storeSecret(ctx, store, target, value) {
    const description = describeTarget(target, store.repository, store.owner);
    const paths = pathsOf(store, target);
    const headers = { ...GITHUB_API_HEADERS, Authorization: `Bearer ${store.token}` };
    const keyEndpoint = { name: 'GitHub secrets API', url: paths.publicKey };
    const keyRead = await withRetries(ctx, keyEndpoint, () => getJson(ctx, keyEndpoint, headers), {
        attempts: 3,
        retryMaybeDelivered: true
    });
    if (keyRead.status !== 200)
        throw apiError(keyRead, keyEndpoint, target, description, 'read the public key of');
    const key = keyRead.fields?.['key'];
    const keyId = keyRead.fields?.['key_id'];
    if (typeof key !== 'string' || typeof keyId !== 'string' || key === '' || keyId === '') {
        throw new SecretStoreError(200, unusableResponse(keyEndpoint, keyRead, 'a JSON object with key and key_id').message);
    }
    let encrypted;
    try {
        encrypted = await sealForGitHub(value, key);
    }
    catch (error) {
        throw new SecretStoreError(200, `${capitalize((0,errors/* describeEndpoint */.N2)(keyEndpoint))} sent a public key that cannot seal the secret: ${error instanceof Error ? (0,safe_text/* safeText */.Hk)(error.message) : 'unknown error'}.`);
    }
    const secretEndpoint = { name: 'GitHub secrets API', url: paths.secret };
    const body = { encrypted_value: encrypted, key_id: keyId };
    if (target.scope === 'organization')
        Object.assign(body, await organizationVisibility(ctx, store, secretEndpoint, headers));
    // The same sealed value PUT twice is the same secret: safe to retry.
    const put = await withRetries(ctx, secretEndpoint, () => sendJson(ctx, secretEndpoint, 'PUT', headers, body), { attempts: 3, retryMaybeDelivered: true });
    if (put.status === 201 || put.status === 204)
        return { description, created: put.status === 201 };
    throw apiError(put, secretEndpoint, target, description, 'write');
}
function pathsOf(store, target) {
    const api = store.apiUrl.replace(/\/+$/, '');
    const repo = store.repository.split('/').map(encodeURIComponent).join('/');
    const base = target.scope === 'repository'
        ? `${api}/repos/${repo}/actions/secrets`
        : target.scope === 'environment'
            ? `${api}/repos/${repo}/environments/${encodeURIComponent(target.environment)}/secrets`
            : `${api}/orgs/${encodeURIComponent(store.owner)}/actions/secrets`;
    return { publicKey: `${base}/public-key`, secret: `${base}/${target.name}` };
}
/**
 * An organization secret's PUT must say who may read it. An existing secret keeps its
 * visibility (and, for "selected", its repositories: the list is left out); a new one is visible
 * to this repository only, the least a stored refresh token should be.
 */
async function organizationVisibility(ctx, store, endpoint, headers) {
    const read = await withRetries(ctx, endpoint, () => getJson(ctx, endpoint, headers), {
        attempts: 3,
        retryMaybeDelivered: true
    });
    const visibility = read.fields?.['visibility'];
    if (read.status === 200 && typeof visibility === 'string')
        return { visibility };
    if (store.repositoryId === undefined) {
        throw new SecretStoreError(read.status, 'Cannot create a new organization secret without GITHUB_REPOSITORY_ID, the repository it would be visible to. Create the secret once by hand (Organization settings → Secrets and variables → Actions), then the action keeps it up to date.');
    }
    return { visibility: 'selected', selected_repository_ids: [store.repositoryId] };
}
/** The permission secrets-token needs, as GitHub names it, for the target's scope. */
function permissionFor(target) {
    switch (target.scope) {
        case 'repository':
            return 'the "Secrets" repository permission set to "Read and write" (a classic personal access token: the repo scope)';
        case 'environment':
            return 'the "Environments" and "Secrets" repository permissions set to "Read and write" (a classic personal access token: the repo scope)';
        case 'organization':
            return 'the "Secrets" organization permission set to "Read and write" (a classic personal access token: the admin:org scope)';
    }
}
function apiError(read, endpoint, target, description, action) {
    const message = read.fields?.['message'];
    const said = typeof message === 'string' && message !== ''
        ? ` ("${(0,safe_text/* safeText */.Hk)(message, { maxLength: 300 })}")`
        : '';
    const failed = `Could not ${action} ${description}: GitHub answered HTTP ${read.status}${said}.`;
    const advice = (() => {
        switch (read.status) {
            case 401:
                return 'GitHub did not accept secrets-token: it is expired, revoked or mistyped. Give a current token.';
            case 403:
                return `secrets-token may not write this secret. The workflow's GITHUB_TOKEN never can (no permissions: setting grants access to secrets): set secrets-token to a fine-grained personal access token or a GitHub App token with ${permissionFor(target)}.`;
            case 404:
                return target.scope === 'environment'
                    ? `Either the environment "${target.environment}" does not exist (create it under Settings → Environments), or secrets-token cannot see the repository (a fine-grained token must list it under Repository access) or lacks ${permissionFor(target)}.`
                    : target.scope === 'organization'
                        ? `secrets-token cannot see the organization's secrets: it needs ${permissionFor(target)}, and the repository must belong to an organization, not a personal account.`
                        : `secrets-token cannot see the repository (a fine-grained token must list it under Repository access) or lacks ${permissionFor(target)}.`;
            case 422:
                return `GitHub rejected the request: check the secret name in store-refresh-token (letters, digits and _), and run the job again if the store's key changed meanwhile.`;
            default:
                return read.status >= 500 ? 'GitHub is failing; run the job again later.' : undefined;
        }
    })();
    if (advice) {
        return new SecretStoreError(read.status, `${failed} ${advice} The new refresh token is still in the refresh-token output (masked).`);
    }
    return new SecretStoreError(read.status, `${unusableResponse(endpoint, read, 'HTTP 201 or 204').message} The new refresh token is still in the refresh-token output (masked).`);
}

;// CONCATENATED MODULE: ./src/flow/store-refresh-token.ts






/**
 * The stage after the outputs: writes the refresh token back into the secret
 * (store-refresh-token) when it differs from the one the job started from
 * (refreshTokenToStore in src/runner/outputs.ts decides). Failing to store
 * fails the step, since the next job would start from a dead token; the token stays in the
 * refresh-token output (masked) either way.
 */
async function storeRefreshToken(ctx, runner, config, toStore, nowMs) {
    const store = config.storeRefreshToken;
    if (!store)
        return;
    const where = secretStoreOf(runner.env, store.token);
    const description = describeTarget(store.target, where.repository, where.owner);
    if (!toStore.value) {
        runner.warning((0,safe_text/* safeText */.Hk)(`The provider returned no refresh token, so ${description} was not updated. Ask for a refresh token (often the offline_access scope), or remove store-refresh-token.`, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
        return;
    }
    if (!toStore.mustStore) {
        runner.info((0,safe_text/* safeText */.Hk)(`The refresh token was not rotated: ${description} still holds the one in use.`, {
            maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic
        }));
        runner.setOutput('refresh-token-stored', 'false');
        return;
    }
    const stored = await storeSecret(ctx, where, store.target, toStore.value);
    const at = isoSeconds(nowMs());
    runner.setOutput('refresh-token-stored', 'true');
    runner.info((0,safe_text/* safeText */.Hk)(`${stored.created ? 'Created' : 'Updated'} ${stored.description} with the new refresh token at ${at}.`, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
    if (config.summary) {
        try {
            await runner.appendSummary(`<p>Refresh token stored in ${escapeHtml(stored.description)} at ${at}.</p>\n`);
        }
        catch (error) {
            runner.warning((0,safe_text/* safe */.gB) `Could not write the job summary: ${(0,safe_text/* safeText */.Hk)(error instanceof Error ? error.message : error, { maxLength: 500 })}`);
        }
    }
}
/** The repository and API from the runner's variables; GitHub Enterprise Server included. */
function secretStoreOf(env, token) {
    const repository = env['GITHUB_REPOSITORY'] ?? '';
    if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
        throw new SecretStoreError(undefined, 'store-refresh-token needs GITHUB_REPOSITORY (owner/repo), which the runner sets in every job; it is missing or malformed here.');
    }
    const id = Number(env['GITHUB_REPOSITORY_ID']);
    return {
        apiUrl: gitHubApiUrl(env),
        repository,
        owner: env['GITHUB_REPOSITORY_OWNER'] || repository.split('/')[0],
        ...(Number.isSafeInteger(id) && id > 0 && { repositoryId: id }),
        token
    };
}

;// CONCATENATED MODULE: ./src/notify/foreign-text.ts

/**
 * Text from outside the action (provider fields, claims, names from the environment) as a
 * message may carry it: the one safe-text rule of the log (one line, breaks and invisible
 * characters shown, no command syntax, bounded). Each format then escapes its own markup on top
 * (see slack.ts, teams.ts, discord.ts).
 */
function plainText(text, maxLength = 200) {
    return (0,safe_text/* safeText */.Hk)(text, { maxLength });
}

;// CONCATENATED MODULE: ./src/notify/notification.ts

/** The headline of a message: what happened, in a few words. */
function headlineOf(notification) {
    if (notification.event === 'code-ready')
        return 'Approval needed';
    if (notification.event === 'reminder')
        return 'Still waiting for approval';
    const ending = notification.outcome?.ending ?? 'failed';
    return OUTCOME_HEADLINES[ending];
}
const OUTCOME_HEADLINES = {
    approved: 'Approved',
    refreshed: 'Refreshed without asking',
    denied: 'Denied',
    refused: 'Refused by the approval policy',
    expired: 'The code expired',
    'timed-out': 'Timed out',
    cancelled: 'Cancelled',
    failed: 'Failed'
};
/**
 * One sentence for the body. No provider or error text: an outcome's details stay in the run's
 * log, where they are masked; the message links there.
 */
function sentenceOf(notification) {
    const outcome = notification.outcome;
    switch (notification.event) {
        case 'code-ready':
            return 'A workflow run asks you to sign in and approve. Open the link, check the code, and approve only if you expected this run.';
        case 'reminder':
            return 'The run is still waiting. Open the link and enter the code before it expires.';
        case 'ended':
            switch (outcome?.ending) {
                case 'approved':
                    return outcome.approver
                        ? `Approved by ${plainText(outcome.approver, 100)}. The run goes on with that token.`
                        : 'Approved. The run goes on with that token.';
                case 'denied':
                    return 'The request was denied at the sign-in page. The run stopped.';
                case 'expired':
                    return 'Nobody approved before the code expired. The run stopped.';
                case 'timed-out':
                    return 'Nobody approved within the timeout. The run stopped.';
                case 'cancelled':
                    return 'The run was cancelled. The code can no longer be used.';
                case 'refreshed':
                    return 'A stored refresh token was used; nobody needed to approve.';
                default:
                    return 'The run failed; its log says why. The code can no longer be used.';
            }
    }
}
/** Whether the code is still worth opening: only while the run waits. */
function isWaiting(notification) {
    return notification.event !== 'ended';
}

;// CONCATENATED MODULE: ./src/notify/wording.ts




function wordingOf(notification) {
    const { origin } = notification;
    const askedBy = describeOrigin(origin);
    return {
        link: notification.verificationUriComplete ?? notification.verificationUri,
        userCode: plainText(notification.userCode, 64),
        expires: `${formatUtc(notification.expiresAtMs, notification.atMs)} (in ${formatDuration(notification.expiresAtMs - notification.atMs)})`,
        ...(askedBy && { askedBy: plainText(askedBy, 300) }),
        // A link the message makes clickable must be one the action would open itself.
        ...(origin.runUrl && checkSecureUrl(origin.runUrl).ok && { runUrl: origin.runUrl }),
        clientId: plainText(notification.clientId, 200),
        ...(notification.scope && { scope: plainText(notification.scope, 300) })
    };
}

;// CONCATENATED MODULE: ./src/notify/discord.ts


/**
 * A Discord webhook message: one embed whose title links to the sign-in page. Discord renders
 * Markdown in descriptions and field values, so every piece of text gets a backslash before each
 * ASCII punctuation character (Discord shows the character itself, unformatted): no link, mention,
 * heading, spoiler or auto-linked URL can come from a name. `allowed_mentions` with no `parse`
 * entries means nobody is pinged whatever the text says.
 */
const COLORS = { waiting: 0x1f6feb, approved: 0x1a7f37, ended: 0xcf222e };
function discordMessage(notification) {
    const words = wordingOf(notification);
    const waiting = isWaiting(notification);
    const approved = notification.outcome?.ending === 'approved';
    const fields = [
        ...(waiting
            ? [
                { name: 'Code', value: escapeMarkdown(words.userCode), inline: true },
                { name: 'Expires', value: escapeMarkdown(words.expires), inline: true },
                { name: 'Client', value: escapeMarkdown(words.clientId), inline: true }
            ]
            : []),
        ...(words.askedBy ? [{ name: 'Asked by', value: escapeMarkdown(words.askedBy) }] : []),
        ...(words.runUrl ? [{ name: 'Run', value: markdownLink('Open the run', words.runUrl) }] : [])
    ];
    const description = waiting
        ? `${escapeMarkdown(sentenceOf(notification))}\n\n${markdownLink('Open the sign-in page', words.link)}`
        : escapeMarkdown(sentenceOf(notification));
    return {
        content: escapeMarkdown(waiting ? `${headlineOf(notification)}: enter ${words.userCode}` : headlineOf(notification)),
        embeds: [
            {
                title: headlineOf(notification),
                ...(waiting && { url: words.link }),
                description,
                color: waiting ? COLORS.waiting : approved ? COLORS.approved : COLORS.ended,
                fields,
                timestamp: new Date(notification.atMs).toISOString()
            }
        ],
        allowed_mentions: { parse: [] }
    };
}
function escapeMarkdown(text) {
    return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
/** A URL the action already accepted (https); parentheses and spaces encoded so the link holds. */
function markdownLink(label, url) {
    const target = url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
    return `[${escapeMarkdown(label)}](${target})`;
}

;// CONCATENATED MODULE: ./src/notify/generic-json.ts



function genericMessage(notification) {
    const { origin, outcome } = notification;
    const text = (value, max = 200) => value === undefined ? null : plainText(value, max);
    return {
        event: notification.event,
        user_code: plainText(notification.userCode, 64),
        verification_uri: notification.verificationUri,
        verification_uri_complete: notification.verificationUriComplete ?? null,
        expires_at: isoSeconds(notification.expiresAtMs),
        repository: text(origin.repository),
        workflow: text(origin.workflow),
        run_id: text(origin.runId),
        run_url: text(origin.runUrl, 2048),
        actor: text(origin.actor),
        client_id: plainText(notification.clientId),
        scope: text(notification.scope, 1000),
        outcome: outcome?.ending ?? null,
        approver: text(outcome?.approver),
        text: `${headlineOf(notification)}. ${sentenceOf(notification)}`,
        sent_at: isoSeconds(notification.atMs)
    };
}

;// CONCATENATED MODULE: ./src/notify/slack.ts


/** Slack's limits: header text 150 characters, button text 75, button url 3000. */
const HEADER_MAX = 150;
function slackMessage(notification) {
    const words = wordingOf(notification);
    const headline = headlineOf(notification);
    const waiting = isWaiting(notification);
    const blocks = [
        { type: 'header', text: plain(`${emojiOf(notification)} ${headline}`.slice(0, HEADER_MAX)) },
        richText([[slack_text(sentenceOf(notification))]])
    ];
    if (waiting) {
        blocks.push(richText([
            [slack_text('Code: ', { bold: true }), slack_text(words.userCode, { code: true })],
            [slack_text('Expires: ', { bold: true }), slack_text(words.expires)],
            [slack_text('Client: ', { bold: true }), slack_text(words.clientId)],
            ...(words.scope ? [[slack_text('Scope: ', { bold: true }), slack_text(words.scope)]] : [])
        ]));
    }
    const buttons = [
        ...(waiting
            ? [{ ...slack_button('Open the sign-in page', words.link, 'open-sign-in'), style: 'primary' }]
            : []),
        ...(words.runUrl ? [slack_button('Open the run', words.runUrl, 'open-run')] : [])
    ];
    if (buttons.length > 0)
        blocks.push({ type: 'actions', elements: buttons });
    if (words.askedBy)
        blocks.push({ type: 'context', elements: [plain(`Asked by ${words.askedBy}`)] });
    const fallback = waiting
        ? `${headline}: open ${words.link} and enter ${words.userCode} (expires ${words.expires}).`
        : `${headline}. ${sentenceOf(notification)}`;
    return { text: escapeControl(fallback), mrkdwn: false, blocks };
}
function emojiOf(notification) {
    if (notification.event !== 'ended')
        return '🔐';
    return notification.outcome?.ending === 'approved' ? '✅' : '⛔';
}
function plain(value) {
    return { type: 'plain_text', text: value, emoji: false };
}
function slack_text(value, style) {
    return { type: 'text', text: value, ...(style && { style }) };
}
/** Each row its own line: rich_text sections joined by a newline text element. */
function richText(rows) {
    const elements = rows.flatMap((row, index) => (index === 0 ? row : [slack_text('\n'), ...row]));
    return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] };
}
function slack_button(label, url, actionId) {
    return { type: 'button', text: plain(label), url, action_id: actionId };
}
/** https://api.slack.com/reference/surfaces/formatting#escaping: &, < and > are control characters. */
function escapeControl(value) {
    return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

;// CONCATENATED MODULE: ./src/notify/teams.ts


/**
 * A message for a Microsoft Teams workflow webhook ("Post to a channel when a webhook request is
 * received"): one Adaptive Card attachment. Foreign text goes only into RichTextBlock TextRuns,
 * which Adaptive Cards render literally (no Markdown), so a workflow or user name cannot add a
 * link or formatting; TextBlocks (which do render Markdown) carry only the action's own words.
 */
function teamsMessage(notification) {
    const words = wordingOf(notification);
    const waiting = isWaiting(notification);
    const body = [
        {
            type: 'TextBlock',
            text: headlineOf(notification),
            size: 'Large',
            weight: 'Bolder',
            wrap: true,
            style: 'heading'
        },
        teams_richText([run(sentenceOf(notification))])
    ];
    if (waiting) {
        body.push(teams_richText([
            run('Code: ', { weight: 'Bolder' }),
            run(words.userCode, { fontType: 'Monospace', size: 'Large' })
        ]), teams_richText([run('Expires: ', { weight: 'Bolder' }), run(words.expires)]), teams_richText([run('Client: ', { weight: 'Bolder' }), run(words.clientId)]));
        if (words.scope)
            body.push(teams_richText([run('Scope: ', { weight: 'Bolder' }), run(words.scope)]));
    }
    if (words.askedBy)
        body.push(teams_richText([run(`Asked by ${words.askedBy}`, { isSubtle: true })]));
    const actions = [
        ...(waiting ? [openUrl('Open the sign-in page', words.link, 'positive')] : []),
        ...(words.runUrl ? [openUrl('Open the run', words.runUrl)] : [])
    ];
    return {
        type: 'message',
        attachments: [
            {
                contentType: 'application/vnd.microsoft.card.adaptive',
                contentUrl: null,
                content: {
                    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                    type: 'AdaptiveCard',
                    version: '1.4',
                    body,
                    ...(actions.length > 0 && { actions })
                }
            }
        ]
    };
}
function run(text, style = {}) {
    return { type: 'TextRun', text, ...style };
}
function teams_richText(inlines) {
    return { type: 'RichTextBlock', inlines };
}
function openUrl(title, url, style) {
    return { type: 'Action.OpenUrl', title, url, ...(style && { style }) };
}

;// CONCATENATED MODULE: ./src/notify/webhook-kind.ts




const KIND_NAMES = {
    slack: 'Slack',
    teams: 'Microsoft Teams',
    discord: 'Discord',
    json: 'JSON'
};
function webhookKind(url) {
    const host = url.hostname.toLowerCase();
    const path = url.pathname;
    // Slack incoming webhooks: hooks.slack.com/services/T…/B…/…; Workflow Builder triggers
    // (/triggers/…) take their own variables, which the generic object serves better.
    if ((host === 'hooks.slack.com' || host === 'hooks.slack-gov.com') &&
        path.startsWith('/services/'))
        return 'slack';
    // Teams workflows (Power Automate): the Logic Apps and Power Platform trigger hosts, and the
    // retiring Office 365 connector host, which takes the same Adaptive Card attachment.
    if ((host.endsWith('.logic.azure.com') && path.includes('/workflows/')) ||
        host.endsWith('.api.powerplatform.com') ||
        host.endsWith('.webhook.office.com'))
        return 'teams';
    if (['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'].includes(host) &&
        path.startsWith('/api/webhooks/'))
        return 'discord';
    return 'json';
}
function webhookBody(kind, notification) {
    switch (kind) {
        case 'slack':
            return slackMessage(notification);
        case 'teams':
            return teamsMessage(notification);
        case 'discord':
            return discordMessage(notification);
        case 'json':
            return genericMessage(notification);
    }
}

;// CONCATENATED MODULE: ./src/notify/inputs.ts



/** More would be a mistake, and each one is a POST at every event. */
const MAX_WEBHOOKS = 10;
/**
 * notify-webhook: one URL a line. Each is masked before it is checked: a Slack or Discord
 * webhook URL is a credential (whoever has it can post), so no message ever repeats one; a
 * problem is named by its line number.
 */
function readWebhooks(value, setSecret) {
    const lines = value
        .split(/\r?\n/)
        .map((line, index) => ({ url: line.trim(), line: index + 1 }))
        .filter(({ url }) => url !== '' && !url.startsWith('#'));
    for (const { url } of lines)
        setSecret(url);
    if (lines.length > MAX_WEBHOOKS)
        throw new errors/* InputError */.dz('notify-webhook', `has ${lines.length} URLs; at most ${MAX_WEBHOOKS} are allowed.`);
    const seen = new Map();
    return lines.map(({ url, line }) => {
        const check = checkSecureUrl(url);
        if (!check.ok) {
            // The problem, never the URL: it is a secret.
            throw new errors/* InputError */.dz('notify-webhook', `line ${line} ${check.problem.replace('which would send tokens in clear text', 'which would send the notification in clear text')}. Give the webhook's https:// URL, from a secret.`);
        }
        const earlier = seen.get(check.url.href);
        if (earlier !== undefined)
            throw new errors/* InputError */.dz('notify-webhook', `line ${line} repeats line ${earlier}; give each webhook once.`);
        seen.set(check.url.href, line);
        const kind = webhookKind(check.url);
        return {
            url,
            kind,
            label: `notify-webhook line ${line} (${KIND_NAMES[kind]}, ${check.url.host})`
        };
    });
}

;// CONCATENATED MODULE: ./src/providers/preset.ts
/** True when any of the endpoints has a host the test accepts. */
function anyHost(endpoints, test) {
    return [endpoints.issuer, endpoints.deviceAuthorizationEndpoint, endpoints.tokenEndpoint].some((url) => {
        if (!url || !URL.canParse(url))
            return false;
        return test(new URL(url).hostname.toLowerCase());
    });
}

;// CONCATENATED MODULE: ./src/providers/auth0.ts

/**
 * Auth0's Device Authorization Flow. Departures the protocol code already tolerates: pending comes
 * with HTTP 403 and slow_down with 429 (response.ts, poll.ts), and `audience` names the API (the
 * audience input). Auth0 answers `expired_token` exactly once and `invalid_grant` after that; the
 * action stops at the first. Refresh tokens come only with the `offline_access` scope and "Allow
 * Offline Access" on the API; the flow runs only for Native apps whose Token Endpoint
 * Authentication Method is None.
 *
 * Sources:
 * - https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device
 * - https://auth0.com/docs/get-started/authentication-and-authorization-flow/device-authorization-flow/call-your-api-using-the-device-authorization-flow
 *   (request tokens: the expired_token note; troubleshooting: limitations)
 */
const advise = (body, kind) => {
    switch (body.error) {
        case 'unauthorized_client':
            return 'Auth0 runs the device flow only for an application of type Native with Device Code ticked (Applications → your app → Advanced Settings → Grant Types), the OIDC Conformant toggle on, and Token Endpoint Authentication Method None (so give no client-secret).';
        case 'invalid_grant':
            return kind === 'refresh'
                ? 'Auth0 no longer accepts this refresh token: it expired, was revoked, or (with refresh token rotation) was already used, in which case Auth0 revokes the whole family. Run the device flow again (on-refresh-failure: device) and store the new refresh token.'
                : 'Auth0 answers expired_token once and invalid_grant after that: the device code has expired or was already used. Run the job again.';
        case 'access_denied':
            return kind === 'device-authorization' &&
                /service not found/i.test(body.errorDescription ?? '')
                ? 'Auth0 does not know the audience: set it to the Identifier of an API registered in the tenant (Applications → APIs).'
                : undefined;
        default:
            return undefined;
    }
};
const auth0 = {
    name: 'Auth0',
    // Tenants on a custom domain are not recognized; the protocol works the same, without this advice.
    recognizes: (endpoints) => anyHost(endpoints, (host) => host.endsWith('.auth0.com')),
    advisor: advise
};

;// CONCATENATED MODULE: ./src/providers/entra.ts

/**
 * Microsoft Entra ID puts an AADSTS code at the start of error_description. The description is
 * shown as it is; these add what to do for the codes people meet with the device flow.
 *
 * Sources:
 * - https://learn.microsoft.com/entra/identity-platform/reference-error-codes (the codes)
 * - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code (the flow, its
 *   errors authorization_declined, bad_verification_code, expired_token)
 */
const ADVICE = {
    '53003': 'Conditional Access blocked the sign-in. Many tenants block the device code flow on purpose (device code phishing); ask your Entra administrator for a Conditional Access exception for this app, or use another flow.',
    '530032': 'A Conditional Access security policy of the tenant blocked the sign-in; tenants often block the device code flow on purpose. Ask your Entra administrator.',
    '50131': 'Conditional Access refused the sign-in (device state, risk or policy); tenants often block the device code flow on purpose. Ask your Entra administrator.',
    '50097': 'Conditional Access requires a compliant or registered device; ask your Entra administrator.',
    '50076': 'Multi-factor authentication is required: the approver must complete it when signing in.',
    '65001': 'Nobody has consented to the requested scopes for this app: an administrator can grant consent in the app registration (API permissions).',
    '700016': 'The app (client-id) was not found in this tenant: check client-id and the tenant in the issuer URL.',
    '7000218': 'The app registration is confidential: turn on "Allow public client flows" in its Authentication settings, or give client-secret.',
    '700025': 'The app registration is a public client, so it must not send a secret or key: remove client-secret (or client-private-key).',
    '7000215': "The client-secret is wrong: use the secret's Value, not its Secret ID.",
    '7000222': 'The client secret has expired: create a new one in the app registration (Certificates & secrets).',
    '50194': 'The app registration is single-tenant, so the common endpoint cannot be used: put the tenant ID in the issuer (https://login.microsoftonline.com/<tenant-id>/v2.0).',
    '70019': 'The code expired before it was approved; run the job again.',
    '70018': 'The approver typed a wrong code; run the job again and enter the code exactly as shown.',
    '50196': 'Entra detected a request loop (too many identical requests): wait a few minutes before running the job again.',
    '700082': 'The refresh token expired after a period without use. Run the device flow again (on-refresh-failure: device) and store the new refresh token.',
    '50173': 'The refresh token was revoked (password change or an administrator). Run the device flow again (on-refresh-failure: device).',
    '90002': 'The tenant in the issuer URL does not exist: check it.',
    '50020': "The approver's account is not in this tenant: use the organizations or common tenant, or invite the account."
};
/** Applies to any provider: an AADSTS code in error_description is unmistakable. */
const entraAdvisor = (body) => {
    const code = /AADSTS(\d+)/.exec(body.errorDescription ?? '')?.[1];
    return code ? ADVICE[code] : undefined;
};
/**
 * Entra ID's name for access_denied (v2-oauth2-device-code, "Expected errors"). Unmistakable, so
 * read as a denial wherever it appears, like the AADSTS codes.
 */
const ENTRA_DENIAL_ERRORS = ['authorization_declined'];
/** The Microsoft clouds' sign-in hosts. */
const ENTRA_HOSTS = new Set([
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
    'login.partner.microsoftonline.cn'
]);
/** Entra ID's own error codes for the device flow (v2-oauth2-device-code, "Expected errors"). */
const entra = {
    name: 'Microsoft Entra ID',
    recognizes: (endpoints) => anyHost(endpoints, (host) => ENTRA_HOSTS.has(host)),
    advisor: (body, kind) => {
        if (body.error === 'bad_verification_code' && kind === 'device-token') {
            return 'Entra ID did not recognize the device code. This is not something to fix in the workflow: run the job again.';
        }
        return undefined;
    }
};

;// CONCATENATED MODULE: ./src/providers/github.ts
/**
 * GitHub's device flow: no discovery, fixed paths on the server (github.com or a GitHub
 * Enterprise Server), errors answered with HTTP 200, its own error codes, and the granted scopes
 * comma-separated. GitHub App user tokens expire and come with a refresh token that rotates.
 *
 * Sources:
 * - https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#device-flow
 *   (endpoints, parameters, error codes, `slow_down` with a new `interval`, scope `repo,gist`)
 * - https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 *   (refresh: client_secret required unless the token came from the device flow; rotation)
 * - https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
 *   (incorrect_client_credentials, unverified_user_email)
 */
const github_advise = (body, kind) => {
    switch (body.error) {
        case 'device_flow_disabled':
            return 'The device flow is not enabled for this app. In the app\'s settings on GitHub (Settings → Developer settings → OAuth Apps or GitHub Apps → your app), tick "Enable Device Flow" and save.';
        case 'incorrect_client_credentials':
            return "GitHub does not know this client-id (or the client-secret is wrong). Use the Client ID shown on the app's settings page (not the App ID), and a current client secret.";
        case 'incorrect_device_code':
            return 'GitHub did not recognize the device code. This is not something to fix in the workflow: run the job again.';
        case 'unsupported_grant_type':
            return kind === 'refresh'
                ? "GitHub issues refresh tokens only to GitHub Apps with expiring user tokens; an OAuth App's token does not expire and cannot be refreshed."
                : 'GitHub rejected the grant type; this is a bug in the action, please report it.';
        case 'bad_refresh_token':
            return 'The refresh token is expired, revoked, or was already used (GitHub rotates it on every refresh). Run the device flow again (on-refresh-failure: device) and store the new refresh token.';
        case 'unverified_user_email':
            return "The approver's GitHub account has no verified primary email address; they must verify it (GitHub → Settings → Emails) and approve again.";
        case 'unauthorized_client':
            return kind === 'refresh'
                ? 'GitHub refused the refresh. A refresh token from the web flow needs the client-secret as well as the client-id; one from the device flow needs only the client-id.'
                : "The app may not use this grant: check that the device flow is enabled in the app's settings.";
        default:
            return undefined;
    }
};
const github = {
    name: 'github',
    fixedEndpoints: (serverUrl) => {
        const base = serverUrl.replace(/\/+$/, '');
        return {
            deviceAuthorizationEndpoint: `${base}/login/device/code`,
            tokenEndpoint: `${base}/login/oauth/access_token`
        };
    },
    commaSeparatedScopes: true,
    // GitHub documents client_id and client_secret as form parameters.
    secretAuthMethod: 'client_secret_post',
    normalizeTokens: (tokens) => tokens.scope === undefined
        ? tokens
        : {
            ...tokens,
            scope: tokens.scope
                .split(/[,\s]+/)
                .filter(Boolean)
                .join(' ')
        },
    advisors: [github_advise],
    // GitHub's name for RFC 6749's invalid_grant on a refresh.
    deadRefreshTokenErrors: ['bad_refresh_token'],
    // GitHub issues no id_token; its REST API names the token's owner (GET /user).
    userApi: (tokenEndpoint) => {
        const server = new URL(tokenEndpoint);
        const api = server.hostname === 'github.com' ? 'https://api.github.com' : `${server.origin}/api/v3`;
        return {
            endpoint: { name: 'GitHub user API', url: `${api}/user` },
            headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
            nameField: 'login',
            subjectField: 'id'
        };
    }
};

;// CONCATENATED MODULE: ./src/providers/google.ts

/**
 * Google's "OAuth 2.0 for TV and Limited-Input Device Applications". Departures from RFC 8628 that
 * the protocol code already tolerates: the device response names the URL `verification_url`
 * (deviations.ts), the token endpoint wants the client secret (give client-secret), and errors
 * come with HTTP 428 (pending) and 403 (slow_down, access_denied) rather than 400 (response.ts
 * reads `error` from any status). What is left is advice about Google's console.
 *
 * Source: https://developers.google.com/identity/protocols/oauth2/limited-input-device
 */
const google_advise = (body, kind) => {
    const said = body.errorDescription ?? '';
    switch (body.error) {
        case 'invalid_client':
        case 'unauthorized_client':
            return 'Google runs the device flow only for an OAuth client of the type "TVs and Limited Input devices" (Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID). Use that client\'s ID as client-id and its secret as client-secret.';
        case 'invalid_scope':
            return 'Google allows only a short list of scopes in the device flow (openid, email, profile, drive.file, youtube and a few more): see https://developers.google.com/identity/protocols/oauth2/limited-input-device#allowedscopes';
        case 'invalid_request':
            return kind !== 'device-authorization' && /secret/i.test(said)
                ? 'Google\'s token endpoint wants the client secret, even for a "TVs and Limited Input devices" client: set client-secret (and client-auth-method: client_secret_post).'
                : undefined;
        case 'admin_policy_enforced':
            return "The approver's Google Workspace administrator does not allow one or more of the requested scopes for this app; ask them to allow the app (Admin console → Security → API controls), or ask for fewer scopes.";
        case 'org_internal':
            return 'The OAuth client belongs to a project whose consent screen is limited to one Google Cloud organization (user type Internal): approve with an account of that organization, or make the consent screen External.';
        default:
            return undefined;
    }
};
const google = {
    name: 'Google',
    recognizes: (endpoints) => anyHost(endpoints, (host) => host === 'accounts.google.com' || host.endsWith('.googleapis.com')),
    advisor: google_advise
};

;// CONCATENATED MODULE: ./src/providers/keycloak.ts
/**
 * Keycloak follows RFC 8628 (every error with HTTP 400). The realm is part of the issuer
 * (https://{host}/realms/{realm}), so discovery appends /.well-known/openid-configuration to it.
 * The grant is switched on per client; the code lifespan and polling interval are set per realm
 * and per client. Keycloak 17 initialized the default polling interval with the lifespan, 600 s
 * (keycloak#12327, fixed by PR #11893): such an interval is honoured and reported (device.ts).
 *
 * Sources:
 * - https://www.keycloak.org/docs/latest/server_admin/#con-oauth2-device-authorization-grant_server_administration_guide
 * - keycloak/keycloak services/.../DeviceGrantType.java and DeviceEndpoint.java (the error codes
 *   and descriptions), https://github.com/keycloak/keycloak/issues/12327
 */
const keycloak_advise = (body) => {
    const said = body.errorDescription ?? '';
    if (body.error === 'unauthorized_client' && /device authorization grant/i.test(said)) {
        return 'Switch the grant on for this client in the Keycloak admin console: Clients → your client → Settings → Capability config → OAuth 2.0 Device Authorization Grant.';
    }
    if ((body.error === 'unauthorized_client' || body.error === 'invalid_client') &&
        /invalid client/i.test(said)) {
        return 'Keycloak did not accept the client: check client-id and the realm in the issuer. A client with Client authentication on is confidential and needs client-secret; turn Client authentication off for a public client.';
    }
    return undefined;
};
/** /realms/{realm}/protocol/openid-connect/ is Keycloak's own path layout. */
function isKeycloak(endpoints) {
    return [endpoints.deviceAuthorizationEndpoint, endpoints.tokenEndpoint].some((url) => /\/realms\/[^/]+\/protocol\/openid-connect\//.test(url));
}
const keycloak = {
    name: 'Keycloak',
    recognizes: isKeycloak,
    advisor: keycloak_advise
};

;// CONCATENATED MODULE: ./src/providers/okta.ts

/**
 * Okta follows RFC 8628; what differs is where the switches are. The org authorization server
 * (issuer https://{org}.okta.com, endpoints under /oauth2/v1/) and custom authorization servers
 * (issuer https://{org}.okta.com/oauth2/{id}, endpoints under /oauth2/{id}/v1/) both run the
 * flow, for Native apps with the Device Authorization grant; a custom server's access policy rule
 * must allow the grant too. Discovery works for both: the issuer with
 * /.well-known/openid-configuration appended.
 *
 * Source: https://developer.okta.com/docs/guides/device-authorization-grant/main/
 */
const SWITCHES = 'The app must be a Native (OIDC) app with Device Authorization ticked under Grant type (Admin Console → Applications → your app → General); for a custom authorization server, its access policy rule must include Device Authorization too (Security → API → your server → Access Policies).';
const okta_advise = (body, kind) => {
    switch (body.error) {
        case 'unauthorized_client':
            return `Okta does not allow this client the device flow. ${SWITCHES}`;
        case 'access_denied':
            // During polling a denial is the approver's; before, it is the authorization server's policy.
            return kind === 'device-authorization'
                ? `Okta's authorization server policy refused the request. ${SWITCHES}`
                : undefined;
        case 'invalid_client':
            return 'Okta did not accept the client: check client-id, and give client-secret only when the app\'s Client authentication is "Client secret".';
        default:
            return undefined;
    }
};
const OKTA_DOMAINS = ['.okta.com', '.oktapreview.com', '.okta-emea.com', '.okta-gov.com'];
const okta = {
    name: 'Okta',
    // Orgs on a custom domain are not recognized; the protocol works the same, without this advice.
    recognizes: (endpoints) => anyHost(endpoints, (host) => OKTA_DOMAINS.some((domain) => host.endsWith(domain))),
    advisor: okta_advise
};

;// CONCATENATED MODULE: ./src/providers/index.ts






/** Any standards-following provider: endpoints from discovery or inputs. */
const oidc = { name: 'oidc', advisors: [] };
const PROVIDERS = { oidc, github: github };
/**
 * Providers that need no preset (discovery finds them, the protocol code tolerates their
 * departures) but whose errors deserve advice about their own consoles. Devolutions Server needs
 * nothing here: it follows RFC 8628 as its documentation describes it (see docs/providers.md).
 */
const RECOGNIZED = [entra, google, auth0, okta, keycloak];
/**
 * What the flow must know of the provider: the advice for errors (the preset's, then that of the
 * provider the endpoints belong to, then Entra's AADSTS codes, which are unmistakable wherever
 * they appear: an Entra tenant is configured as a plain OIDC provider, possibly behind a proxy or
 * custom domain), and the provider's own names for a denial and for a dead refresh token.
 */
function quirksFor(preset, endpoints) {
    const recognized = endpoints
        ? RECOGNIZED.filter((provider) => provider.recognizes(endpoints))
        : [];
    return {
        advisors: [...preset.advisors, ...recognized.map((provider) => provider.advisor), entraAdvisor],
        denialErrors: new Set(ENTRA_DENIAL_ERRORS),
        // RFC 6749 §5.2: invalid_grant is the standard's name for a refresh token that is no good.
        deadRefreshTokenErrors: new Set(['invalid_grant', ...(preset.deadRefreshTokenErrors ?? [])])
    };
}

;// CONCATENATED MODULE: ./src/inputs.ts






const MODES = ['auto', 'refresh', 'device'];
/** Parameters that extra-params may not set: they belong to the protocol or to other inputs. */
const RESERVED_PARAMS = {
    client_id: 'use the client-id input',
    client_secret: 'use the client-secret input',
    client_assertion: 'use client-private-key with client-auth-method: private_key_jwt',
    client_assertion_type: 'use client-private-key with client-auth-method: private_key_jwt',
    grant_type: 'the action sets it',
    device_code: 'the action sets it',
    refresh_token: 'use the refresh-token input',
    scope: 'use the scope input',
    audience: 'use the audience input',
    resource: 'use the resource input'
};
/** Reads and checks every input; each problem is an InputError naming the input. */
function readConfig(source) {
    // Masked first, before anything could print them.
    const clientSecret = optional(source.getInput('client-secret'));
    const refreshToken = optional(source.getInput('refresh-token'));
    const clientPrivateKey = optional(source.getInput('client-private-key'));
    const secretsToken = optional(source.getInput('secrets-token'));
    if (secretsToken)
        source.setSecret(secretsToken);
    if (clientSecret)
        source.setSecret(clientSecret);
    if (refreshToken)
        source.setSecret(refreshToken);
    if (clientPrivateKey)
        maskKey(clientPrivateKey, source);
    const webhooks = readWebhooks(source.getInput('notify-webhook'), (url) => source.setSecret(url));
    const provider = readProvider(source.getInput('provider'));
    const clientId = source.getInput('client-id');
    if (!clientId) {
        throw new errors/* InputError */.dz('client-id', 'is required. Set it to the OAuth client ID registered at your identity provider.');
    }
    if (!/^[\x21-\x7E]{1,512}$/.test(clientId)) {
        throw new errors/* InputError */.dz('client-id', 'must be printable ASCII without spaces, at most 512 characters.');
    }
    const endpoints = readEndpoints(source, provider);
    const clientAuthMethod = readClientAuthMethod(source.getInput('client-auth-method'), clientSecret, clientPrivateKey);
    if (clientPrivateKey)
        checkPrivateKey(clientPrivateKey);
    const audience = optional(source.getInput('audience'));
    const timeoutSeconds = parseTimeout(source.getInput('timeout'));
    const storeRefreshToken = readSecretStore(source.getInput('store-refresh-token'), secretsToken);
    const refreshTokenExpiresAtMs = readInstant('refresh-token-expires-at', source.getInput('refresh-token-expires-at'));
    return {
        provider,
        endpoints,
        clientId,
        ...(clientSecret && { clientSecret }),
        ...(clientPrivateKey && { clientPrivateKey }),
        clientAuthMethod,
        ...optionalField('scope', readScope(source.getInput('scope'), provider)),
        ...(audience && { audience: singleLine('audience', audience) }),
        resources: readResources(source.getInput('resource')),
        extraParams: parseExtraParams(source.getInput('extra-params')),
        ...readRefresh(source, refreshToken),
        ...(timeoutSeconds !== undefined && { timeoutSeconds }),
        summary: readBoolean('summary', source.getInput('summary'), true),
        revoke: readChoice('revoke', source.getInput('revoke') || 'access-token', [
            'access-token',
            'all',
            'none'
        ]),
        ...(storeRefreshToken && { storeRefreshToken }),
        expiryWarningDays: readDays('refresh-token-expiry-warning-days', source.getInput('refresh-token-expiry-warning-days'), 7),
        ...(refreshTokenExpiresAtMs !== undefined && { refreshTokenExpiresAtMs }),
        notify: {
            webhooks,
            reminders: readBoolean('notify-reminders', source.getInput('notify-reminders'), false)
        },
        qrCode: readBoolean('qr-code', source.getInput('qr-code'), true)
    };
}
function readSecretStore(value, token) {
    if (value === '')
        return undefined;
    const target = parseSecretTarget(value);
    if (!token) {
        throw new errors/* InputError */.dz('secrets-token', 'is required with store-refresh-token: a token that may write the secret. The workflow\'s GITHUB_TOKEN cannot write secrets; use a fine-grained personal access token or a GitHub App token with the "Secrets" permission set to "Read and write", passed from a secret.');
    }
    return { target, token };
}
/** A whole number of days from 0 to 3650. */
function readDays(input, value, fallback) {
    if (value === '')
        return fallback;
    if (!/^\d{1,4}$/.test(value) || Number(value) > 3650)
        throw new errors/* InputError */.dz(input, `"${value.slice(0, 40)}" is not a number of days (0 to 3650; 0 turns the warning off).`);
    return Number(value);
}
/** An ISO 8601 date and time with a zone, as the refresh-token-expires-at output writes it. */
function readInstant(input, value) {
    if (value === '')
        return undefined;
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
        ? Date.parse(value)
        : NaN;
    if (Number.isNaN(ms))
        throw new errors/* InputError */.dz(input, `"${value.slice(0, 40)}" is not an ISO 8601 time with a zone, such as 2027-05-01T12:00:00Z (what the refresh-token-expires-at output holds).`);
    return ms;
}
function optional(value) {
    return value === '' ? undefined : value;
}
function optionalField(key, value) {
    return (value === undefined ? {} : { [key]: value });
}
/**
 * mode, refresh-token and on-refresh-failure together. The runner passes a secret that does not
 * exist (a misspelt name, a fork, Dependabot) as an empty string, exactly like an input not set at
 * all; so an empty refresh-token is taken as "no refresh wanted" only when nothing else says the
 * workflow meant to refresh: mode: refresh, or on-refresh-failure set (action.yml gives it no
 * default, so that setting it is a statement).
 */
function readRefresh(source, refreshToken) {
    const mode = readChoice('mode', source.getInput('mode') || 'auto', MODES);
    const onFailureInput = source.getInput('on-refresh-failure');
    const onRefreshFailure = readChoice('on-refresh-failure', onFailureInput || 'fail', ['fail', 'device']);
    const emptySecret = 'the secret is empty or missing: check its name (a misspelt ${{ secrets.NAME }} is empty, not an error) and that this workflow may read it (pull requests from forks and Dependabot get no secrets)';
    if (mode === 'refresh') {
        if (onRefreshFailure === 'device') {
            throw new errors/* InputError */.dz('on-refresh-failure', 'is device, but mode: refresh never asks a person. Remove on-refresh-failure, or use mode: auto to fall back to the device flow.');
        }
        if (!refreshToken) {
            throw new errors/* InputError */.dz('refresh-token', `is empty, and mode: refresh never asks a person; ${emptySecret}. For a first run that asks a person, use mode: device once and store the refresh token it returns.`);
        }
    }
    if (mode === 'device' && onFailureInput !== '') {
        throw new errors/* InputError */.dz('on-refresh-failure', 'has no effect with mode: device, which always asks a person and never refreshes. Remove it.');
    }
    if (mode === 'auto' && !refreshToken && onFailureInput === 'fail') {
        throw new errors/* InputError */.dz('refresh-token', `is empty, but on-refresh-failure: fail says this step is meant to refresh, so ${emptySecret}. To ask a person when there is no refresh token yet, set on-refresh-failure: device.`);
    }
    return {
        mode,
        ...(refreshToken && { refreshToken }),
        onRefreshFailure,
        refreshTokenMissing: mode === 'auto' && !refreshToken && onFailureInput === 'device'
    };
}
function readProvider(value) {
    const name = (value || 'oidc').toLowerCase();
    // hasOwn: "constructor" or "__proto__" would otherwise find Object's members and pass.
    const preset = Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined;
    if (!preset) {
        throw new errors/* InputError */.dz('provider', `"${value}" is not a known provider. Use one of: ${Object.keys(PROVIDERS).join(', ')}.`);
    }
    return preset;
}
function readEndpoints(source, provider) {
    const url = (name) => {
        const value = optional(source.getInput(name));
        if (value === undefined)
            return undefined;
        const check = checkSecureUrl(value);
        if (!check.ok)
            throw new errors/* InputError */.dz(name, `"${shownUrl(value)}" ${check.problem}.`);
        return value;
    };
    const issuer = url('issuer');
    // Any '?' starts a query, even an empty one that URL.search reports as ''.
    if (issuer?.includes('?')) {
        throw new errors/* InputError */.dz('issuer', 'must not have a ?query part (RFC 8414 §2); give the issuer exactly as the provider publishes it.');
    }
    const discoveryUrl = url('discovery-url');
    let deviceAuthorizationEndpoint = url('device-authorization-endpoint');
    let tokenEndpoint = url('token-endpoint');
    const revocationEndpoint = url('revocation-endpoint');
    if (provider.fixedEndpoints) {
        const serverInput = optional(source.getInput('github-server-url'));
        // An empty GITHUB_SERVER_URL is as good as none.
        const server = serverInput ?? (source.env['GITHUB_SERVER_URL'] || 'https://github.com');
        const check = checkSecureUrl(server);
        if (!check.ok)
            throw new errors/* InputError */.dz('github-server-url', `"${shownUrl(server)}" ${check.problem}.`);
        if (issuer || discoveryUrl) {
            throw new errors/* InputError */.dz(issuer ? 'issuer' : 'discovery-url', `is not used with provider: ${provider.name}, which has no discovery; remove it (the server is set by github-server-url).`);
        }
        const fixed = provider.fixedEndpoints(check.url.origin + check.url.pathname);
        deviceAuthorizationEndpoint ??= fixed.deviceAuthorizationEndpoint;
        tokenEndpoint ??= fixed.tokenEndpoint;
    }
    else if (!issuer && !discoveryUrl && !(deviceAuthorizationEndpoint && tokenEndpoint)) {
        throw new errors/* InputError */.dz('issuer', "is required: set it to your identity provider's issuer URL (for example https://login.example.com), or set discovery-url, or set both device-authorization-endpoint and token-endpoint.");
    }
    return {
        // Kept exactly as given: OIDC Discovery §4.3 compares issuers character for character.
        ...(issuer && { issuer }),
        ...(discoveryUrl && { discoveryUrl }),
        ...(deviceAuthorizationEndpoint && { deviceAuthorizationEndpoint }),
        ...(tokenEndpoint && { tokenEndpoint }),
        ...(revocationEndpoint && { revocationEndpoint })
    };
}
/** A URL as a message may quote it: a user:password@ part is never repeated. */
function shownUrl(value) {
    return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:[/\\]*)[^/\\?#]*@/, '$1…@').slice(0, 200);
}
function readClientAuthMethod(value, secret, privateKey) {
    const method = readChoice('client-auth-method', value || 'auto', ['auto', ...client_auth_CLIENT_AUTH_METHODS]);
    if (secret && privateKey) {
        throw new errors/* InputError */.dz('client-secret', 'and client-private-key are both set; a client authenticates one way. Remove one.');
    }
    const needsSecret = method === 'client_secret_basic' || method === 'client_secret_post';
    // The wrong credential is reported before the missing one: asking for a secret when a key is
    // given would only lead to the "both set" error next.
    if (privateKey && needsSecret) {
        throw new errors/* InputError */.dz('client-auth-method', `is ${method}, but a client-private-key is given; use private_key_jwt or auto.`);
    }
    if (secret && method === 'private_key_jwt') {
        throw new errors/* InputError */.dz('client-auth-method', 'is private_key_jwt, but client-secret is given instead of client-private-key.');
    }
    if (needsSecret && !secret) {
        throw new errors/* InputError */.dz('client-secret', `is required with client-auth-method: ${method}. Set it from a secret, for example \${{ secrets.OAUTH_CLIENT_SECRET }}.`);
    }
    if (method === 'private_key_jwt' && !privateKey) {
        throw new errors/* InputError */.dz('client-private-key', 'is required with client-auth-method: private_key_jwt. Set it to a PKCS#8 PEM or a private JWK, from a secret.');
    }
    if (method === 'none' && (secret || privateKey)) {
        throw new errors/* InputError */.dz('client-auth-method', `is none, but ${secret ? 'client-secret' : 'client-private-key'} is set. Remove it, or choose a method that uses it (or auto).`);
    }
    return method;
}
function checkPrivateKey(key) {
    if (key.startsWith('{')) {
        try {
            const jwk = JSON.parse(key);
            if (typeof jwk['kty'] === 'string' && typeof jwk['d'] === 'string')
                return;
        }
        catch {
            // reported below
        }
        throw new errors/* InputError */.dz('client-private-key', 'looks like JSON but is not a private JWK (it needs "kty" and "d").');
    }
    if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(key)) {
        throw new errors/* InputError */.dz('client-private-key', 'is a PKCS#1 or SEC1 PEM; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem');
    }
    if (!/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/.test(key)) {
        throw new errors/* InputError */.dz('client-private-key', 'must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a private JWK as JSON.');
    }
}
/**
 * A multi-line secret is masked line by line by the runner, armour lines, braces and short lines
 * included; so mask the key material line by line ourselves, the whole key only when it is one
 * line, and a JWK's private members by value (they may be printed apart from their line).
 */
function maskKey(key, source) {
    if (!/[\r\n]/.test(key))
        source.setSecret(key);
    for (const line of key.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed.length >= 8 && !trimmed.startsWith('-----'))
            source.setSecret(trimmed);
    }
    let jwk;
    try {
        jwk = JSON.parse(key);
    }
    catch {
        return;
    }
    // RFC 7518 §6.2.2, §6.3.2, §6.4: the private parameters of EC, RSA and oct keys.
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
        const value = jwk?.[member];
        if (typeof value === 'string' && value.length >= 8)
            source.setSecret(value);
    }
}
function readScope(value, provider) {
    const scope = value.split(/\s+/).filter(Boolean).join(' ');
    if (scope === '')
        return undefined;
    // RFC 6749 §3.3 separates scopes with spaces; a comma is a character of one scope, so
    // "openid,profile" is a single scope nobody defined, which a provider may answer with a denial.
    if (scope.includes(',') && !provider.commaSeparatedScopes) {
        throw new errors/* InputError */.dz('scope', `"${scope.slice(0, 200)}" has commas, but scopes are separated by spaces (RFC 6749 §3.3): write scope: ${scope
            .split(/\s*,\s*|\s+/)
            .filter(Boolean)
            .join(' ')
            .slice(0, 200)}`);
    }
    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(scope)) {
        throw new errors/* InputError */.dz('scope', 'has characters a scope cannot contain (RFC 6749 §3.3: no quotes or backslashes). Separate scopes with spaces.');
    }
    return scope;
}
function readResources(value) {
    return value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .map((resource) => {
        // RFC 8707 §2: an absolute URI without a fragment.
        let url;
        try {
            url = new URL(resource);
        }
        catch {
            url = undefined;
        }
        if (!url || url.hash) {
            throw new errors/* InputError */.dz('resource', `"${resource.slice(0, 200)}" is not an absolute URI without a #fragment (RFC 8707 §2). Give one per line.`);
        }
        return resource;
    });
}
function singleLine(input, value) {
    // C0 and C1 controls (U+0085 is a line break too), and the Unicode line and paragraph separators.
    if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(value))
        throw new errors/* InputError */.dz(input, 'must be a single line without control characters.');
    return value;
}
/** extra-params: one key=value a line, added to the device authorization request. */
function parseExtraParams(value) {
    const params = [];
    value.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const where = `line ${index + 1}`;
        const equals = line.indexOf('=');
        if (equals <= 0) {
            throw new errors/* InputError */.dz('extra-params', `${where} is not key=value (for example prompt=login). Write one parameter a line.`);
        }
        const key = line.slice(0, equals).trim();
        const paramValue = line.slice(equals + 1).trim();
        if (!/^[A-Za-z0-9_.\-:[\]]{1,100}$/.test(key)) {
            throw new errors/* InputError */.dz('extra-params', `${where}: "${key.slice(0, 100)}" is not a parameter name (letters, digits, _ . - : [ ] only).`);
        }
        // hasOwn: "constructor" is a fine parameter name, not Object's constructor.
        const reserved = Object.hasOwn(RESERVED_PARAMS, key.toLowerCase())
            ? RESERVED_PARAMS[key.toLowerCase()]
            : undefined;
        if (reserved)
            throw new errors/* InputError */.dz('extra-params', `${where} sets ${key}, which extra-params may not override: ${reserved}.`);
        if (/[\u0000-\u001F\u007F]/.test(paramValue))
            throw new errors/* InputError */.dz('extra-params', `${where} has control characters in its value.`);
        // Each line is one parameter whose value is sent encoded, & included: "a=1&b=2" would send
        // a single parameter a with the value "1&b=2", never a parameter b.
        const joined = /&([A-Za-z0-9_.\-:[\]]{1,100})=/.exec(paramValue);
        if (joined) {
            throw new errors/* InputError */.dz('extra-params', `${where}: the value of ${key} contains "&${joined[1]}=", as if several parameters were joined with &; each line is one parameter, and & is sent as part of its value. Write one parameter a line (${key}=…, then ${joined[1]}=…).`);
        }
        params.push([key, paramValue]);
    });
    return params;
}
const UNIT_SECONDS = { '': 1, s: 1, m: 60, h: 3600 };
/** GitHub-hosted jobs end after 6 hours; waiting longer is always a mistake. */
const MAX_TIMEOUT_SECONDS = 6 * 3600;
/**
 * timeout: seconds, a number with s, m or h ("900", "15m", "1.5h"), or whole hours, minutes and
 * seconds in that order ("1h30m", "2m30s", "1h 5m 10s").
 */
function parseTimeout(value) {
    const text = value.trim().toLowerCase();
    if (text === '')
        return undefined;
    const single = /^(\d+(?:\.\d+)?)\s*([smh]?)$/.exec(text);
    const compound = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(text);
    let seconds = NaN;
    if (single)
        seconds = Number(single[1]) * UNIT_SECONDS[single[2]];
    else if (compound)
        seconds =
            Number(compound[1] ?? 0) * 3600 + Number(compound[2] ?? 0) * 60 + Number(compound[3] ?? 0);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
        throw new errors/* InputError */.dz('timeout', `"${value.slice(0, 40)}" is not a wait between 1 second and 6 hours. Give seconds (900), a number with s, m or h (15m), or both (1h30m).`);
    }
    return seconds;
}
function readChoice(input, value, choices) {
    if (choices.includes(value))
        return value;
    throw new errors/* InputError */.dz(input, `"${value.slice(0, 60)}" is not one of: ${choices.join(', ')}.`);
}
/** The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them. */
function readBoolean(input, value, fallback) {
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new errors/* InputError */.dz(input, `"${value.slice(0, 40)}" is not true or false.`);
}

;// CONCATENATED MODULE: ./src/policy/policy.ts
/**
 * The approval policy: who may approve, what their identity must say, whether the person who
 * started the run may approve it, and how many different people must. Read from the inputs by
 * read-policy.ts, judged by judge.ts, put in words by describe.ts.
 */
/** The most approvals one run may ask for: each is a person waited for in turn. */
const MAX_APPROVALS = 10;

;// CONCATENATED MODULE: ./src/policy/read-policy.ts


const POLICY_INPUTS = [
    'allowed-approvers',
    'required-claims',
    'allow-self-approval',
    'self-approval-claim',
    'run-actor',
    'approvals'
];
/** Reads and checks the policy inputs before any request; each problem names its input. */
function readPolicy(source, setting) {
    const allowedApprovers = parseAllowedApprovers(source.getInput('allowed-approvers'), setting.provider);
    const requiredClaims = parseRequiredClaims(source.getInput('required-claims'));
    const selfApproval = readSelfApproval(source, setting.provider);
    const approvals = parseApprovals(source.getInput('approvals'));
    if (approvals > 1 && setting.refreshToken) {
        throw new errors/* InputError */.dz('approvals', `is ${approvals}, but refresh-token is set: a stored refresh token gets a token without anyone approving, which would skip the gate. Use approvals only in a job that asks people (remove refresh-token, or set mode: device), or set approvals: 1.`);
    }
    return {
        provider: setting.provider,
        allowedApprovers,
        requiredClaims,
        selfApproval,
        approvals,
        configured: POLICY_INPUTS.some((name) => source.getInput(name) !== '')
    };
}
/** Lines that carry an entry, with their 1-based line numbers; blank lines and # comments skipped. */
function entriesOf(value) {
    const entries = [];
    value.split(/\r\n|\r|\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        entries.push({ line, where: `line ${index + 1}` });
    });
    return entries;
}
/** A line quoted in a message: one line, bounded. */
function quoted(line) {
    const shown = line.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ');
    return `"${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}"`;
}
// GitHub: an organization login is up to 39 letters, digits and single hyphens; a team slug is
// the team's name in lower case with hyphens, and may keep underscores and dots.
const GITHUB_ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const GITHUB_TEAM = /^[A-Za-z0-9_.-]{1,100}$/;
const MAX_PATTERN_LENGTH = 320;
function parseAllowedApprovers(value, provider) {
    return entriesOf(value).map(({ line, where }) => {
        const fail = (problem) => {
            throw new errors/* InputError */.dz('allowed-approvers', `${where} (${quoted(line)}) ${problem}`);
        };
        if (/[\u0000-\u001F\u007F-\u009F]/.test(line))
            fail('has control characters.');
        if (/[\s,;]/.test(line))
            fail('holds more than one entry, or spaces. Write one name, email or @team a line.');
        if (line.startsWith('@'))
            return membershipEntry(line, provider, fail);
        if (line.length > MAX_PATTERN_LENGTH)
            fail(`is longer than ${MAX_PATTERN_LENGTH} characters.`);
        if (/^[*?]+$/.test(line))
            fail('matches anyone. To let anyone who can sign in approve, remove allowed-approvers.');
        return {
            kind: 'pattern',
            text: line,
            matches: line.indexOf('@') > 0 ? 'email' : 'username-or-subject'
        };
    });
}
function membershipEntry(line, provider, fail) {
    if (provider !== 'github') {
        return fail('names a GitHub organization or team, whose members only provider: github can check. With an OpenID Connect provider, require the group with required-claims instead (for example groups=release-managers).');
    }
    const [org = '', team, extra] = line.slice(1).split('/');
    if (!GITHUB_ORG.test(org))
        fail('is not @organization or @organization/team-slug (an organization is up to 39 letters, digits and hyphens).');
    if (extra !== undefined)
        fail('has more than one /; write @organization/team-slug.');
    if (team === undefined)
        return { kind: 'org', text: line, org };
    if (!GITHUB_TEAM.test(team))
        fail("has a team that is not a team slug (the team's name in lower case with hyphens, as in its URL).");
    return { kind: 'team', text: line, org, team: team };
}
function parseRequiredClaims(value) {
    return entriesOf(value).map(({ line, where }) => {
        const fail = (problem) => {
            throw new errors/* InputError */.dz('required-claims', `${where} (${quoted(line)}) ${problem}`);
        };
        if (/[\u0000-\u001F\u007F-\u009F]/.test(line))
            fail('has control characters.');
        const equals = line.indexOf('=');
        if (equals === -1)
            fail('is not claim=value (for example groups=release-managers or amr=mfa).');
        const claim = line.slice(0, equals).trim();
        const claimValue = line.slice(equals + 1).trim();
        if (claim === '')
            fail('has no claim name before the =.');
        if (/\s/.test(claim))
            fail('has a space in the claim name.');
        if (claimValue === '')
            fail(`has no value after the =; say which value ${claim} must hold.`);
        return { text: `${claim}=${claimValue}`, claim, value: claimValue };
    });
}
function readSelfApproval(source, provider) {
    const allowInput = source.getInput('allow-self-approval');
    const allowed = read_policy_readBoolean('allow-self-approval', allowInput);
    const claim = source.getInput('self-approval-claim');
    const runActorInput = source.getInput('run-actor');
    if (claim && provider === 'github') {
        throw new errors/* InputError */.dz('self-approval-claim', "is not used with provider: github, which compares the approver's GitHub login with GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. Remove it.");
    }
    if (runActorInput && !claim) {
        throw new errors/* InputError */.dz('run-actor', provider === 'github'
            ? 'is not used with provider: github, which takes who started the run from GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR. Remove it.'
            : 'is set without self-approval-claim: name the claim of the approver to compare it with (for example self-approval-claim: email).');
    }
    if (allowed === true) {
        if (claim) {
            throw new errors/* InputError */.dz('self-approval-claim', 'is set, but allow-self-approval is true, so nothing is compared. Remove one of them.');
        }
        return { kind: 'allowed' };
    }
    if (provider === 'github') {
        const runActors = actorsFromEnv(source.env);
        if (runActors.length === 0) {
            throw new errors/* InputError */.dz('allow-self-approval', 'is false (the default), but neither GITHUB_TRIGGERING_ACTOR nor GITHUB_ACTOR is set, so who started the run is unknown. Outside GitHub Actions, set allow-self-approval: true.');
        }
        return { kind: 'github-login', runActors };
    }
    if (claim) {
        if (/[\s\u0000-\u001F\u007F-\u009F]/.test(claim))
            throw new errors/* InputError */.dz('self-approval-claim', 'must be one claim name, without spaces.');
        return { kind: 'claim', claim, runActors: parseRunActors(runActorInput) };
    }
    if (allowed === false) {
        throw new errors/* InputError */.dz('allow-self-approval', "is false, but an OpenID Connect identity does not say which GitHub user it is, so the action cannot tell whether the approver started the run. Set self-approval-claim to a claim that names them (for example email, or a github_login claim mapped at the provider) and run-actor to the run's value for it (for example ${{ github.triggering_actor }}); or remove allow-self-approval.");
    }
    return { kind: 'undetectable' };
}
/** GITHUB_TRIGGERING_ACTOR started this attempt (a re-run's is the person re-running); GITHUB_ACTOR the first. */
function actorsFromEnv(env) {
    const actors = [];
    for (const name of ['GITHUB_TRIGGERING_ACTOR', 'GITHUB_ACTOR']) {
        const value = env[name]?.trim();
        if (value && !actors.some((actor) => actor.value === value))
            actors.push({ value, from: name });
    }
    return actors;
}
function parseRunActors(value) {
    const actors = entriesOf(value).map(({ line, where }) => {
        if (/[\u0000-\u001F\u007F-\u009F]/.test(line))
            throw new errors/* InputError */.dz('run-actor', `${where} has control characters.`);
        return { value: line, from: 'run-actor' };
    });
    if (actors.length === 0) {
        throw new errors/* InputError */.dz('run-actor', "is empty, so the action cannot tell who started the run. Set it to the run's value for self-approval-claim, one a line (for example ${{ github.triggering_actor }}). When it comes from a mapping such as fromJSON(vars.EMAILS)[github.triggering_actor], the person who started the run is missing from that mapping.");
    }
    return actors;
}
function parseApprovals(value) {
    if (value === '')
        return 1;
    const count = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
    if (!(count >= 1 && count <= MAX_APPROVALS)) {
        throw new errors/* InputError */.dz('approvals', `"${value.slice(0, 20)}" is not a whole number from 1 to ${MAX_APPROVALS}: how many different people must approve, one after the other.`);
    }
    return count;
}
/** The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput reads them; '' is unset. */
function read_policy_readBoolean(input, value) {
    if (value === '')
        return undefined;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new errors/* InputError */.dz(input, `"${value.slice(0, 40)}" is not true or false.`);
}

;// CONCATENATED MODULE: ./src/oauth/endpoints.ts







/**
 * The endpoints to use: both given by hand means no discovery at all; otherwise the discovery
 * document, with any endpoint given by hand taking precedence over the one it lists.
 */
async function resolveEndpoints(ctx, inputs) {
    const { deviceAuthorizationEndpoint, tokenEndpoint, revocationEndpoint } = inputs;
    if (deviceAuthorizationEndpoint && tokenEndpoint) {
        return {
            ...(inputs.issuer && { issuer: inputs.issuer }),
            deviceAuthorizationEndpoint,
            tokenEndpoint,
            ...(revocationEndpoint && { revocationEndpoint }),
            source: (0,safe_text/* safe */.gB) `the device-authorization-endpoint and token-endpoint inputs`
        };
    }
    const { document, url } = await fetchDiscoveryDocument(ctx, inputs);
    const metadata = readDiscoveryDocument(document, url, inputs);
    return {
        ...metadata,
        ...(deviceAuthorizationEndpoint && { deviceAuthorizationEndpoint }),
        ...(tokenEndpoint && { tokenEndpoint }),
        ...(revocationEndpoint && { revocationEndpoint })
    };
}
/**
 * Where to look for the document, in order: OpenID Connect Discovery §4 appends
 * /.well-known/openid-configuration to the issuer; RFC 8414 §3.1 inserts
 * /.well-known/oauth-authorization-server between host and path; some servers instead append that
 * suffix to an issuer with a path, as OIDC does.
 */
function discoveryCandidates(issuer) {
    const url = new URL(issuer);
    const path = url.pathname.replace(/\/+$/, '');
    const base = `${url.origin}${path}`;
    const candidates = [
        `${base}/.well-known/openid-configuration`,
        `${url.origin}/.well-known/oauth-authorization-server${path}`
    ];
    if (path)
        candidates.push(`${base}/.well-known/oauth-authorization-server`);
    return candidates;
}
async function fetchDiscoveryDocument(ctx, inputs) {
    const candidates = inputs.discoveryUrl
        ? [inputs.discoveryUrl]
        : discoveryCandidates(inputs.issuer);
    const missing = [];
    for (const url of candidates) {
        const endpoint = { name: 'discovery document', url };
        let finalUrl = url;
        const read = await withRetries(ctx, endpoint, async () => {
            const answer = await getJson(ctx, endpoint);
            finalUrl = answer.finalUrl;
            return answer;
        }, { attempts: 3, retryMaybeDelivered: true });
        // Only "not here" moves on to the next place; any other failure is reported as it is.
        if ((read.status === 404 || read.status === 410) && !inputs.discoveryUrl) {
            missing.push(url);
            continue;
        }
        if (read.status !== 200 || !read.fields) {
            throw unusableResponse({ ...endpoint, url: finalUrl }, read, 'a JSON discovery document');
        }
        return { document: read.fields, url: finalUrl };
    }
    throw new errors/* ProviderResponseError */.Zr({ name: 'discovery document', url: candidates[0] }, 404, `No discovery document was found for the issuer ${inputs.issuer}: ${missing.join(' and ')} answered 404. Check the issuer input (it is the provider's base URL, without /.well-known/...), set discovery-url to the document's address, or give device-authorization-endpoint and token-endpoint.`);
}
/** Checks the discovery document (OIDC Discovery §3 and §4.3, RFC 8414 §2 and §3.3). */
function readDiscoveryDocument(document, url, inputs) {
    const endpoint = { name: 'discovery document', url };
    const fail = (problem, fix) => {
        throw new errors/* ProviderResponseError */.Zr(endpoint, 200, `${capitalize(`the discovery document at ${url}`)} ${problem}. ${fix}`);
    };
    const published = document['issuer'];
    if (typeof published !== 'string' || published === '') {
        return fail('has no issuer', 'It is not a valid OpenID Connect or RFC 8414 document; check discovery-url.');
    }
    if (inputs.issuer && !issuerMatches(inputs.issuer, published)) {
        fail(
        // Provider text in a failure message: one line, bounded (the document may be 1 MiB).
        `names the issuer ${(0,safe_text/* safeText */.Hk)(published, { maxLength: 300 })}, but the issuer input is ${(0,safe_text/* safeText */.Hk)(inputs.issuer, { maxLength: 300 })}`, 'They must be identical (OpenID Connect Discovery §4.3), or tokens from one provider could be taken for another. Set issuer to exactly the published value.');
    }
    const endpointField = (name, required, fix) => {
        const value = document[name];
        if (value === undefined || value === null || value === '')
            return required ? fail(`has no ${name}`, fix) : undefined;
        const check = typeof value === 'string' ? checkSecureUrl(value) : undefined;
        if (!check?.ok)
            return fail(`lists a ${name} that ${check ? check.problem : 'is not a string'}`, fix);
        return check.url.href;
    };
    // An endpoint given by hand replaces the listed one, so a missing or unusable listed value does
    // not matter (setting the input is what the messages below advise).
    const required = (name, fix) => endpointField(name, true, fix) ?? fail(`has no ${name}`, fix);
    const deviceAuthorizationEndpoint = inputs.deviceAuthorizationEndpoint ||
        required('device_authorization_endpoint', 'Enable the device flow (device authorization grant) for this provider or client, or set the device-authorization-endpoint input.');
    const tokenEndpoint = inputs.tokenEndpoint || required('token_endpoint', 'Set the token-endpoint input.');
    const jwksUri = endpointField('jwks_uri', false, 'Fix jwks_uri at the provider.');
    const userinfoEndpoint = endpointField('userinfo_endpoint', false, 'Fix userinfo_endpoint at the provider.');
    // RFC 8414 §2 / RFC 7009: where the post step revokes tokens.
    const revocationEndpoint = inputs.revocationEndpoint ||
        endpointField('revocation_endpoint', false, 'Fix revocation_endpoint at the provider, or set the revocation-endpoint input.');
    const methods = document['token_endpoint_auth_methods_supported'];
    return {
        issuer: inputs.issuer ?? published,
        deviceAuthorizationEndpoint,
        tokenEndpoint,
        ...(jwksUri && { jwksUri }),
        ...(userinfoEndpoint && { userinfoEndpoint }),
        ...(revocationEndpoint && { revocationEndpoint }),
        ...(Array.isArray(methods) && {
            tokenEndpointAuthMethods: methods.filter((m) => typeof m === 'string')
        }),
        source: (0,safe_text/* safe */.gB) `discovery at ${(0,safe_text/* safeText */.Hk)(url, { maxLength: 2048 })}`
    };
}

;// CONCATENATED MODULE: ./src/listeners/log.ts



/** The job log, streamed live: the prompt, reminders, what polling brings, and how it ended. */
function logListener(runner) {
    let shownAtMs;
    return {
        on(event) {
            switch (event.type) {
                case 'code-ready':
                    shownAtMs ??= event.atMs;
                    for (const line of promptLines(event.prompt, event.atMs))
                        runner.info(line);
                    break;
                case 'reminder':
                    runner.info(reminderLine(event.prompt, event.atMs));
                    break;
                case 'poll':
                    logPoll(runner, event.event);
                    break;
                case 'refreshed':
                    runner.info((0,safe_text/* safe */.gB) `Exchanged the refresh token for a new access token.`);
                    break;
                case 'refused':
                    logFindings(runner, event.findings);
                    runner.info((0,safe_text/* safe */.gB) `The approval was refused: ${(0,safe_text/* safeText */.Hk)(event.reason, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })}`);
                    break;
                case 'ended': {
                    const { outcome } = event;
                    if (outcome.ending !== 'approved')
                        break;
                    const names = (outcome.approvers ?? (outcome.approver ? [outcome.approver] : [])).map((approver) => approver.name);
                    const by = names.length > 0 ? (0,safe_text/* safe */.gB) ` by ${(0,safe_text/* joinSafe */.e)(names, ' and ')}` : '';
                    const after = shownAtMs !== undefined ? (0,safe_text/* safe */.gB) ` after ${duration(outcome.atMs - shownAtMs)}` : '';
                    runner.info((0,safe_text/* safe */.gB) `Approved${by}${after}. The tokens are in this step's outputs (masked).`);
                    break;
                }
                case 'approved': {
                    logFindings(runner, event.findings);
                    if (event.turn && event.turn.of > 1) {
                        const by = event.approver ? (0,safe_text/* safe */.gB) ` by ${event.approver.name}` : '';
                        runner.info((0,safe_text/* safe */.gB) `Approval ${event.turn.number} of ${event.turn.of} given${by}.`);
                    }
                    break;
                }
            }
        }
    };
}
const MARKS = {
    holds: '✓',
    broken: '✗',
    unknown: '?',
    unchecked: '-'
};
/** The policy's findings, rule by rule, so the log says why an approval passed or not. */
function logFindings(runner, findings) {
    for (const finding of findings ?? [])
        runner.info((0,safe_text/* safe */.gB) `  ${(0,safe_text/* safeText */.Hk)(MARKS[finding.result])} ${(0,safe_text/* safeText */.Hk)(finding.text, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })}`);
}
function logPoll(runner, event) {
    switch (event.type) {
        case 'pending':
            runner.debug((0,safe_text/* safe */.gB) `Poll ${event.poll}: authorization_pending.`);
            break;
        case 'slow-down':
            runner.info((0,safe_text/* safe */.gB) `The provider asked to poll less often (slow_down); polling every ${event.intervalSeconds} s from now on.`);
            if (event.count === 3) {
                runner.warning((0,safe_text/* safe */.gB) `The provider has asked to slow down three times. On a virtual machine this can mean the clock runs fast; the action keeps slowing down.`);
            }
            break;
        case 'margin-widened':
            runner.info((0,safe_text/* safe */.gB) `The provider asked to slow down although the full interval had passed (its clock or this machine's runs differently); leaving ${duration(event.marginMs)} more between polls from now on.`);
            break;
        case 'transient':
            runner.info((0,safe_text/* safe */.gB) `${(0,safe_text/* safeText */.Hk)(event.reason, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })} Trying again in ${duration(event.retryInMs)} (failure ${event.failuresInARow} in a row).`);
            break;
    }
}
/** A duration the action formats itself: its own text. */
function duration(ms) {
    return formatDuration(ms);
}

;// CONCATENATED MODULE: ./src/listeners/notice.ts



/**
 * Annotations on the run page, pushed while the step runs: where the approver may look first.
 * The code when it is ready, and once the wait is over, the outcome: who approved, or why it
 * ended. A run that never showed a code (a refresh, a failure before it) gets no outcome notice;
 * its error annotation says it all.
 */
function noticeListener(runner) {
    let shownAtMs;
    return {
        on(event) {
            if (event.type === 'code-ready') {
                shownAtMs ??= event.atMs;
                const notice = noticeOf(event.prompt, event.atMs);
                runner.notice(notice.message, notice.title);
            }
            else if (event.type === 'ended' && shownAtMs !== undefined) {
                const notice = outcomeNoticeOf(event.outcome, shownAtMs);
                runner.notice(notice.message, notice.title);
            }
        }
    };
}
const ENDING_TITLES = {
    refreshed: 'Refreshed',
    denied: 'Approval denied',
    refused: 'Approval refused by the approval policy',
    expired: 'Approval code expired',
    'timed-out': 'Approval timed out',
    cancelled: 'Approval cancelled',
    failed: 'Approval failed'
};
function outcomeNoticeOf(outcome, shownAtMs) {
    // Composed from safe parts (names, the failure message), and proven so once more.
    const shown = (text) => (0,safe_text/* safeText */.Hk)(text, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic });
    const when = `at ${formatUtc(outcome.atMs, outcome.atMs)}, ${formatDuration(outcome.atMs - shownAtMs)} after the code was shown`;
    if (outcome.ending === 'approved') {
        const approver = outcome.approver;
        const who = approver
            ? approver.shownSubject === approver.name
                ? approver.name
                : `${approver.name} (subject ${approver.shownSubject})`
            : undefined;
        // approvals: N names everyone; the tokens are the first one's.
        const all = outcome.approvers && outcome.approvers.length > 1 ? outcome.approvers : undefined;
        if (all) {
            const names = all.map((one) => one.name).join(' and ');
            return {
                title: shown(`Approved by ${names}`),
                message: shown(`Approved by ${names} ${when}. The tokens (${all[0]?.name}'s) are in this step's outputs (masked).`)
            };
        }
        return {
            title: shown(who ? `Approved by ${approver?.name}` : 'Approved'),
            message: shown(`${who ? `Approved by ${who}` : 'Approved (the provider did not say by whom)'} ${when}. The tokens are in this step's outputs (masked).`)
        };
    }
    return {
        title: shown(ENDING_TITLES[outcome.ending]),
        message: shown(`${outcome.detail ?? ENDING_TITLES[outcome.ending]} (${when})`)
    };
}

;// CONCATENATED MODULE: ./src/qr/encode.ts
/**
 * The QR symbol for a text, from the maintained `qrcode` library. Loaded on first use with
 * import(), so the bundler puts it in a chunk of its own, off the path to the first log line.
 */
async function encodeQr(text, errorCorrection = 'M') {
    // The encoder alone: the package's entry also loads its PNG, SVG and terminal renderers.
    const encoder = await __nccwpck_require__.e(/* import() */ 24).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4024, 19));
    // A CommonJS module: its exports arrive as named exports or under default, by bundler.
    const create = encoder.create ?? encoder.default.create;
    const symbol = create(text, { errorCorrectionLevel: errorCorrection });
    const { size } = symbol.modules;
    return { size, isDark: (x, y) => symbol.modules.get(y, x) === 1 };
}

;// CONCATENATED MODULE: ./src/qr/half-blocks.ts
const CELLS = [' ', '▄', '▀', '█'];
function drawHalfBlocks(matrix, options = {}) {
    const quietZone = options.quietZone ?? 4;
    const drawn = options.drawn ?? 'light';
    const side = matrix.size + 2 * quietZone;
    // Outside the matrix is the quiet zone, which is light.
    const dark = (x, y) => {
        const mx = x - quietZone;
        const my = y - quietZone;
        return mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size && matrix.isDark(mx, my);
    };
    const inked = (x, y) => (drawn === 'dark') === dark(x, y);
    const lines = [];
    for (let y = 0; y < side; y += 2) {
        let line = '';
        for (let x = 0; x < side; x++) {
            // An odd last row has no partner below: the quiet zone continues there.
            const top = inked(x, y);
            const bottom = y + 1 < side ? inked(x, y + 1) : drawn === 'light';
            line += CELLS[(top ? 2 : 0) + (bottom ? 1 : 0)];
        }
        lines.push(line);
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/listeners/qr.ts



/** Longer links make a code too dense to scan off a screen; the link is in the log anyway. */
const MAX_QR_TEXT_LENGTH = 300;
/**
 * A QR code of the link with the code filled in (else of the verification page) in the log,
 * right after the prompt: the approver points a phone at the screen instead of typing. The
 * summary appears only after the step, so it gets none.
 */
function qrListener(runner, enabled) {
    return {
        async on(event) {
            if (event.type !== 'code-ready' || !enabled())
                return;
            const { device } = event.prompt;
            const link = device.verificationUriComplete ?? device.verificationUri;
            if (link.length > MAX_QR_TEXT_LENGTH) {
                runner.debug((0,safe_text/* safe */.gB) `No QR code: the link is longer than ${MAX_QR_TEXT_LENGTH} characters.`);
                return;
            }
            // L: the fewest modules, so each is as large as the log's font allows; a screen is clean.
            const lines = drawHalfBlocks(await encodeQr(link, 'L'), { quietZone: 4, drawn: 'light' });
            runner.info(device.verificationUriComplete
                ? (0,safe_text/* safe */.gB) `Or scan this with a phone (it opens the link with the code filled in):`
                : (0,safe_text/* safe */.gB) `Or scan this with a phone to open the page (then enter the code):`);
            // Drawn by the action: block characters and spaces only (safeText would trim the quiet zone).
            for (const line of lines)
                runner.info(line);
        }
    };
}

;// CONCATENATED MODULE: ./src/runner/summary.ts



const HEADINGS = {
    approved: '✅ Approved',
    refreshed: '🔄 Refreshed',
    denied: '🚫 Denied',
    refused: '⛔ Refused by the approval policy',
    expired: '⌛ Expired',
    'timed-out': '⏱️ Timed out',
    cancelled: '⏹️ Cancelled',
    failed: '❌ Failed'
};
function row(label, valueHtml) {
    return `<tr><th align="left">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`;
}
function requestSection(ctx, nowMs) {
    const { device } = ctx;
    const rows = [
        row('Verification page', escape_link(device.verificationUri)),
        ...(device.verificationUriComplete
            ? [row('Link with the code', escape_link(device.verificationUriComplete))]
            : []),
        row('Code', `<code>${escapeHtml(device.userCode)}</code>`),
        row('Client', `<code>${escapeHtml(ctx.clientId)}</code>`),
        row('Scope', ctx.scope ? `<code>${escapeHtml(ctx.scope)}</code>` : "the provider's default"),
        ...originRows(ctx.origin),
        row('Code shown', formatUtc(nowMs, nowMs)),
        row('Expires', formatUtc(ctx.deadlineMs, nowMs) + escapeHtml(timeoutNote(ctx, nowMs))),
        ...(ctx.policy?.length
            ? [
                row('Policy', ctx.policy.map(({ label, text }) => escapeHtml(`${label}: ${text}`)).join('<br>'))
            ]
            : [])
    ];
    const which = ctx.approval ? ` (${escapeHtml(ctx.approval.heading)})` : '';
    return `<h2>Device authorization${which}</h2>\n<table>\n${rows.join('\n')}\n</table>\n`;
}
function originRows(origin) {
    const described = describeOrigin(origin);
    if (!described)
        return [];
    return [row('Asked by', origin.runUrl ? escape_link(origin.runUrl, described) : escapeHtml(described))];
}
function outcomeSection(outcome) {
    const rows = [row('When', formatUtc(outcome.atMs, outcome.atMs))];
    if (outcome.shownAtMs !== undefined && outcome.ending === 'approved') {
        rows.push(row('Took', formatDuration(outcome.atMs - outcome.shownAtMs)));
    }
    if (outcome.approvers && outcome.approvers.length > 1) {
        rows.push(row('Approved by', outcome.approvers.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ')));
    }
    else if (outcome.approver)
        rows.push(row('Approved by', `<code>${escapeHtml(outcome.approver)}</code>`));
    if (outcome.refusedApprover)
        rows.push(row('Who tried', `<code>${escapeHtml(outcome.refusedApprover)}</code>`));
    if (outcome.refusedBy)
        rows.push(row('Refused by', `<code>${escapeHtml(outcome.refusedBy)}</code>`));
    if (outcome.clientId)
        rows.push(row('Client', `<code>${escapeHtml(outcome.clientId)}</code>`));
    if (outcome.scope)
        rows.push(row('Granted scope', `<code>${escapeHtml(outcome.scope)}</code>`));
    if (outcome.detail)
        rows.push(row('Details', escapeHtml(outcome.detail)));
    return `<h3>Outcome: ${HEADINGS[outcome.ending]}</h3>\n<table>\n${rows.join('\n')}\n</table>\n`;
}

;// CONCATENATED MODULE: ./src/listeners/summary.ts


/**
 * The job summary, the record shown once the step ends: what was asked and how it ended. A
 * failed write is only a warning. `enabled` is read at each write: the summary input is known
 * only once the inputs are read, and an input error is recorded too.
 */
function summaryListener(runner, enabled) {
    let shownAtMs;
    const write = async (html) => {
        if (!enabled())
            return;
        try {
            await runner.appendSummary(html);
        }
        catch (error) {
            runner.warning((0,safe_text/* safe */.gB) `Could not write the job summary: ${(0,safe_text/* safeText */.Hk)(error instanceof Error ? error.message : error, { maxLength: 500 })}`);
        }
    };
    return {
        async on(event) {
            if (event.type === 'code-ready') {
                shownAtMs ??= event.atMs;
                await write(requestSection(event.prompt, event.atMs));
            }
            else if (event.type === 'ended') {
                await write(outcomeSection(recordOf(event.outcome, shownAtMs)));
            }
        }
    };
}
function recordOf(outcome, shownAtMs) {
    return {
        ending: outcome.ending,
        atMs: outcome.atMs,
        ...(shownAtMs !== undefined && { shownAtMs }),
        ...(outcome.detail && { detail: outcome.detail }),
        // The request section names the client already when a code was shown.
        ...(outcome.clientId && shownAtMs === undefined && { clientId: outcome.clientId }),
        ...(outcome.scope && { scope: outcome.scope }),
        ...(outcome.approver && { approver: describeApprover(outcome.approver) }),
        ...(outcome.approvers && { approvers: outcome.approvers.map(describeApprover) }),
        ...(outcome.refusal && {
            refusedApprover: outcome.refusal.approver,
            ...(outcome.refusal.rule && { refusedBy: outcome.refusal.rule })
        })
    };
}
/** "alice (248289761001)", or the one name when the subject is the name. */
function describeApprover(approver) {
    return approver.shownSubject === approver.name
        ? approver.name
        : `${approver.name} (${approver.shownSubject})`;
}

;// CONCATENATED MODULE: ./src/notify/sender.ts

const DEFAULT_WEBHOOK_TIMEOUT_MS = 5000;
const DEFAULT_WEBHOOK_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 1000;
/** A Retry-After longer than this is not waited for: the message would arrive too late to help. */
const MAX_RETRY_AFTER_MS = 5000;
/**
 * Posts notifications without ever holding up the flow: `send` queues and returns at once. The
 * messages to one target go in order (the outcome never overtakes the code); a failure is
 * reported and dropped, never thrown. `close` waits, bounded, for what is still on its way.
 */
class WebhookSender {
    options;
    queues = new Map();
    queued = new Map();
    warned = new Set();
    stop = new AbortController();
    timeoutMs;
    retries;
    retryDelayMs;
    constructor(options) {
        this.options = options;
        this.timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
        this.retries = options.retries ?? DEFAULT_WEBHOOK_RETRIES;
        this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    }
    send(target, body, what) {
        if (this.stop.signal.aborted)
            return;
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
            timer = setTimeout(() => resolve('late'), maxWaitMs);
        });
        const settled = new Set();
        const all = Promise.all(pending.map(([target, queue]) => queue.then(() => settled.add(target))));
        const result = await Promise.race([all.then(() => 'done'), deadline]);
        clearTimeout(timer);
        this.stop.abort();
        if (result === 'done')
            return;
        for (const [target] of pending) {
            if (!settled.has(target))
                this.report(target, `Gave up on the notification to ${target.label}: it was still being sent ${Number((maxWaitMs / 1000).toFixed(1))} s after the run ended.`);
        }
    }
    async deliver(target, json, what) {
        try {
            for (let attempt = 0;; attempt++) {
                if (this.stop.signal.aborted)
                    return;
                const result = await this.attempt(target, json);
                if (result.ok)
                    return;
                const superseded = (this.queued.get(target) ?? 0) > 1;
                if (!result.retry || attempt >= this.retries || superseded) {
                    this.report(target, `Could not send the ${what} notification to ${target.label}: ${result.problem}${attempt > 0 ? ` (after ${attempt + 1} tries)` : ''}. The run goes on without it.`);
                    return;
                }
                await this.options.clock.sleep(result.retryAfterMs ?? this.retryDelayMs * 2 ** attempt, this.stop.signal);
            }
        }
        catch {
            // Stopped by close(): reported there.
        }
        finally {
            this.queued.set(target, (this.queued.get(target) ?? 1) - 1);
        }
    }
    async attempt(target, json) {
        let response;
        try {
            response = await this.options.http({
                method: 'POST',
                url: target.url,
                headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: '*/*' },
                body: json,
                timeoutMs: this.timeoutMs,
                signal: this.stop.signal
            });
        }
        catch (error) {
            const problem = error instanceof http/* TransportFailure */.Az
                ? error.kind === 'timeout'
                    ? `no answer within ${this.timeoutMs / 1000} s`
                    : error.kind === 'connection' && /^E(NOTFOUND|AI_AGAIN)$/.test(error.detail)
                        ? `the host name did not resolve (${error.detail})`
                        : `${error.kind} (${error.detail})`
                : 'the request failed';
            return { ok: false, retry: true, problem };
        }
        if (response.status >= 200 && response.status < 300)
            return { ok: true };
        const retryAfterMs = retryAfterOf(response);
        return {
            ok: false,
            retry: response.status === 429 || response.status >= 500,
            problem: `HTTP ${response.status}${answerOf(response)}`,
            ...(retryAfterMs !== undefined && { retryAfterMs })
        };
    }
    report(target, message) {
        if (this.warned.has(target))
            this.options.info(message);
        else {
            this.warned.add(target);
            this.options.warn(message);
        }
    }
}
function retryAfterOf(response) {
    const value = response.headers['retry-after'];
    if (!value || !/^\d{1,4}$/.test(value.trim()))
        return undefined;
    const ms = Number(value.trim()) * 1000;
    return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
/** Slack and Discord answer errors with a short code ("invalid_blocks", "no_service"); quote only that. */
function answerOf(response) {
    const body = response.body.trim();
    return /^[\w .,:-]{1,80}$/.test(body) ? ` "${body}"` : '';
}

;// CONCATENATED MODULE: ./src/listeners/webhooks.ts



/** At the end, how long the step waits for notifications still on their way (the outcome, mostly). */
const WEBHOOK_CLOSE_WAIT_MS = 5000;
/**
 * The approver's chat: a POST to each notify-webhook when the code is ready, at each reminder if
 * notify-reminders asks, and once with the outcome. `on` only queues; the wait for approval goes
 * on while the POSTs are in flight, and a failing webhook is a warning (see WebhookSender).
 * A run that never showed a code (a refresh, or a failure before it) sends nothing: nobody was asked.
 */
function webhookListener(deps) {
    const sender = new WebhookSender({
        http: deps.http,
        clock: deps.clock,
        // A webhook's answer is foreign text too.
        warn: (message) => deps.runner.warning((0,safe_text/* safeText */.Hk)(message, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })),
        info: (message) => deps.runner.info((0,safe_text/* safeText */.Hk)(message, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }))
    });
    let prompt;
    const notify = (event, atMs, outcome) => {
        const config = deps.config();
        if (!prompt || !config)
            return;
        const notification = notificationOf(prompt, event, atMs, outcome);
        for (const target of config.webhooks)
            sender.send(target, webhookBody(target.kind, notification), event === 'ended' ? 'outcome' : event);
    };
    return {
        on(event) {
            switch (event.type) {
                case 'code-ready':
                    prompt = event.prompt;
                    notify('code-ready', event.atMs);
                    break;
                case 'reminder':
                    if (deps.config()?.reminders)
                        notify('reminder', event.atMs);
                    break;
                case 'ended':
                    notify('ended', event.outcome.atMs, event.outcome);
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
        ...(device.verificationUriComplete && {
            verificationUriComplete: device.verificationUriComplete
        }),
        expiresAtMs: prompt.deadlineMs,
        clientId: prompt.clientId,
        ...(prompt.scope && { scope: prompt.scope }),
        origin: prompt.origin,
        ...(outcome && {
            outcome: {
                ending: outcome.ending,
                ...(outcome.approver && { approver: outcome.approver.name })
            }
        })
    };
}

;// CONCATENATED MODULE: ./src/runner/known-secrets.ts
/**
 * Remembers every value the action masks, so that provider text quoted in a message can have
 * them cut out before it is escaped (src/oauth/exchange.ts): escaping can change a secret so that
 * the runner's mask no longer matches it.
 */
class KnownSecrets {
    values = new Set();
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
}

;// CONCATENATED MODULE: ./src/main.ts



















/**
 * inputs → endpoints → (refresh | device code → prompt → poll) → identity → policy → outputs →
 * record; with approvals: N, the device code to policy part once per person, in turn.
 * Every stage is a module of src/flow; what a person sees is a listener of src/listeners.
 * Returns how it ended; failures are reported through the runner, never thrown.
 */
async function main_run(deps) {
    const { clock } = deps;
    // Every value masked is remembered, to be cut out of provider text before it is quoted.
    const known = new KnownSecrets(deps.runner);
    const runner = known.runner;
    const startedMs = clock.now();
    let config;
    let quirks;
    const events = new FlowEvents((error) => runner.warning((0,safe_text/* safe */.gB) `A listener failed: ${(0,safe_text/* safeText */.Hk)(error instanceof Error ? error.message : error, { maxLength: 500 })}`));
    events.subscribe(...listenersFor(deps, () => config));
    try {
        config = readConfig(runner);
        // Before any request: a bad policy input must not cost anyone an approval.
        const policy = readPolicy(runner, {
            provider: config.provider.name === 'github' ? 'github' : 'oidc',
            // mode: device never refreshes, whatever refresh-token holds.
            refreshToken: config.refreshToken !== undefined && config.mode !== 'device'
        });
        const ctx = oauthContext(deps, runner, {
            secrets: () => known.all(),
            // Waits before the prompt (Retry-After on discovery or the device endpoint) count against
            // the timeout input too: nobody sits silent past it.
            ...(config.timeoutSeconds !== undefined && {
                retriesEndAtMs: startedMs + config.timeoutSeconds * 1000
            })
        });
        const metadata = await resolveEndpoints(ctx, config.endpoints);
        runner.info((0,safe_text/* safe */.gB) `Using the endpoints from ${metadata.source}.`);
        quirks = quirksFor(config.provider, metadata);
        const client = clientCredentials(config, metadata);
        const tokenEndpoint = { name: 'token endpoint', url: metadata.tokenEndpoint };
        const stage = { ctx, runner, events, config, metadata, client, quirks, policy };
        const refreshed = await refreshIfPossible(ctx, runner, config, client, tokenEndpoint, quirks);
        const granted = refreshed ? await refreshedGrant(stage, refreshed) : await approvedGrant(stage);
        const ending = refreshed ? 'refreshed' : 'approved';
        const { tokens, approver, approvers } = granted;
        const toStore = refreshTokenToStore(tokens, config.refreshToken, refreshed !== undefined);
        publishTokens(runner, tokens, {
            nowMs: granted.atMs,
            ...(approver && { approver }),
            ...(approvers && { approvers }),
            refreshToken: toStore
        });
        await warnIfRefreshTokenExpires(runner, config, tokens, clock.now());
        await storeRefreshToken(ctx, runner, config, toStore, () => clock.now());
        await events.emit({
            type: 'ended',
            outcome: {
                ending,
                atMs: granted.atMs,
                clientId: config.clientId,
                ...(tokens.scope && { scope: tokens.scope }),
                ...(approver && { approver }),
                ...(approvers && { approvers })
            }
        });
        return ending;
    }
    catch (error) {
        const failure = failureOf(error, quirks);
        if (failure.stack)
            for (const line of failure.stack.split('\n'))
                runner.debug((0,safe_text/* safeText */.Hk)(line, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
        runner.setFailed((0,safe_text/* safeText */.Hk)(failure.message, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic }));
        await events.emit({
            type: 'ended',
            outcome: {
                ending: failure.ending,
                atMs: clock.now(),
                detail: failure.message,
                ...(config && { clientId: config.clientId }),
                ...(failure.refusal && { refusal: failure.refusal })
            }
        });
        return failure.ending;
    }
    finally {
        await events.close();
    }
}
function oauthContext(deps, runner, extra) {
    return {
        http: deps.http,
        clock: deps.clock,
        signal: deps.signal,
        requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
        ...extra,
        onRetry: (reason, delayMs) => runner.info((0,safe_text/* safe */.gB) `${(0,safe_text/* safeText */.Hk)(reason, { maxLength: safe_text/* MESSAGE_MAX_LENGTH */.Ic })}; trying again in ${Math.ceil(delayMs / 1000)} s.`)
    };
}
/** Everything the person sees: one listener per way of reaching them. */
function listenersFor(deps, config) {
    const { runner } = deps;
    return [
        logListener(runner),
        qrListener(runner, () => config()?.qrCode ?? true),
        noticeListener(runner),
        summaryListener(runner, () => config()?.summary ?? true),
        webhookListener({
            runner,
            http: deps.webhookHttp ?? deps.http,
            clock: deps.clock,
            config: () => config()?.notify
        })
    ];
}


/***/ }),

/***/ 2075:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Az: () => (/* binding */ TransportFailure),
/* harmony export */   St: () => (/* binding */ createHttpTransport),
/* harmony export */   kB: () => (/* binding */ HEADERS_TOO_LARGE),
/* harmony export */   nB: () => (/* binding */ MAX_RESPONSE_BYTES)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9783);


/** Responses larger than this are refused: no legitimate OAuth response comes close. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** The detail of a 'too-large' failure for headers beyond node's limit (HPE_HEADER_OVERFLOW). */
const HEADERS_TOO_LARGE = 'the response headers are larger than 16 KiB';
class TransportFailure extends Error {
    kind;
    maybeDelivered;
    detail;
    name = 'TransportFailure';
    constructor(kind, 
    /** False when the request surely never left this machine (refused, unknown host). */
    maybeDelivered, detail) {
        super(detail);
        this.kind = kind;
        this.maybeDelivered = maybeDelivered;
        this.detail = detail;
    }
}
// Errors raised before any byte of the request reached the server.
const NOT_DELIVERED_CODES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH'
]);
/**
 * The real transport: node's http/https with the agent @actions/http-client picks, so the
 * runner's https_proxy / http_proxy / no_proxy settings apply exactly as for other actions.
 */
function createHttpTransport(userAgent) {
    const routeFor = routes(userAgent);
    return async (request) => {
        const url = new URL(request.url);
        const { send, agent } = await routeFor(url);
        return new Promise((resolve, reject) => {
            let settled = false;
            const finish = (error, response) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                request.signal?.removeEventListener('abort', onAbort);
                if (error) {
                    req.destroy();
                    reject(error);
                }
                else
                    resolve(response);
            };
            const onAbort = () => finish(new TransportFailure('aborted', true, 'cancelled'));
            const headers = { 'User-Agent': userAgent, ...request.headers };
            if (request.body !== undefined)
                headers['Content-Length'] = String(Buffer.byteLength(request.body));
            const req = send(url, { method: request.method, headers, agent }, (res) => {
                const chunks = [];
                let size = 0;
                res.on('data', (chunk) => {
                    size += chunk.length;
                    if (size > MAX_RESPONSE_BYTES) {
                        // Settle first: destroying the response emits 'aborted' at once, which would report a reset.
                        finish(new TransportFailure('too-large', true, `the response is larger than ${MAX_RESPONSE_BYTES} bytes`));
                        res.destroy();
                    }
                    else
                        chunks.push(chunk);
                });
                res.on('end', () => finish(undefined, {
                    status: res.statusCode ?? 0,
                    headers: lowerCaseHeaders(res.headers),
                    body: Buffer.concat(chunks).toString('utf8')
                }));
                res.on('error', (error) => finish(failureOf(error, true)));
                res.on('aborted', () => finish(new TransportFailure('reset', true, 'the connection closed mid-response')));
            });
            const timer = setTimeout(() => finish(new TransportFailure('timeout', true, `no complete answer within ${request.timeoutMs} ms`)), request.timeoutMs);
            req.on('error', (error) => finish(failureOf(error, false)));
            if (request.signal?.aborted)
                return onAbort();
            request.signal?.addEventListener('abort', onAbort, { once: true });
            req.end(request.body);
        });
    };
}
/**
 * How to send to a URL: node:http or node:https, and the agent. Without a proxy for the URL
 * (http-client's own no_proxy and *_proxy rules decide), a plain agent without keep-alive, which
 * is what @actions/http-client gives then too; with one, @actions/http-client's tunnelling agent.
 * Each is loaded when a request first needs it, not before every first request: node:https brings
 * tls and crypto, and @actions/http-client imports undici, the largest part of the bundle.
 */
function routes(userAgent) {
    const direct = new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent({ keepAlive: false });
    let secure;
    let proxied;
    return async (url) => {
        const tls = url.protocol === 'https:' ? await (secure ??= loadHttps()) : undefined;
        const send = tls?.send ?? node_http__WEBPACK_IMPORTED_MODULE_0__.request;
        if (!(0,_actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_1__/* .getProxyUrl */ .s)(url)?.hostname)
            return { send, agent: tls?.direct ?? direct };
        proxied ??= __nccwpck_require__.e(/* import() */ 779).then(__nccwpck_require__.bind(__nccwpck_require__, 2779)).then(({ HttpClient }) => new HttpClient(userAgent, [], { keepAlive: false }));
        return { send, agent: (await proxied).getAgent(url.href) };
    };
}
async function loadHttps() {
    const https = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4708, 23));
    return { send: https.request, direct: new https.Agent({ keepAlive: false }) };
}
function failureOf(error, responseStarted) {
    const code = error.code ?? '';
    // The proxy agent (tunnel) reports every CONNECT failure as ECONNRESET; its message has the cause.
    const tunnel = /^tunneling socket could not be established, (.{1,200})/.exec(error.message);
    if (!responseStarted && tunnel) {
        return new TransportFailure('connection', false, `the proxy refused or could not open the tunnel (${tunnel[1]}); check https_proxy and no_proxy`);
    }
    if (!responseStarted && NOT_DELIVERED_CODES.has(code)) {
        return new TransportFailure('connection', false, code ? `${code}` : error.message);
    }
    // llhttp refuses headers beyond --max-http-header-size (16 KiB): the answer is not an OAuth one.
    if (code === 'HPE_HEADER_OVERFLOW')
        return new TransportFailure('too-large', true, HEADERS_TOO_LARGE);
    if (code.startsWith('HPE_'))
        return new TransportFailure('connection', true, `the answer is not valid HTTP (${code})`);
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
        return new TransportFailure('reset', true, 'the connection was reset');
    }
    return new TransportFailure('connection', true, code || error.message);
}
function lowerCaseHeaders(headers) {
    const result = {};
    for (const [name, value] of Object.entries(headers)) {
        result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return result;
}


/***/ }),

/***/ 2612:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dm: () => (/* binding */ isTransientStatus),
/* harmony export */   Uk: () => (/* binding */ readResponse),
/* harmony export */   zi: () => (/* binding */ oauthErrorOf)
/* harmony export */ });
/* unused harmony export parseRetryAfter */
/* harmony import */ var _text_safe_text_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8844);

/**
 * Reads a response body as OAuth fields without trusting its Content-Type: providers send JSON as
 * text/plain, GitHub answers form-encoded unless asked for JSON, and proxies answer with HTML.
 */
function readResponse(response, nowMs, 
/** Cut out of any text quoted from the body (the HTML title) before it is escaped. */
secrets = []) {
    const base = {
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], nowMs)
    };
    const text = response.body.replace(/^\uFEFF/, '').trim();
    const contentType = (response.headers['content-type'] ?? '').toLowerCase();
    if (text === '')
        return { ...base, kind: 'empty', unreadable: 'the body is empty' };
    if (text.startsWith('{') || text.startsWith('[') || contentType.includes('json')) {
        return { ...base, ...readJson(text) };
    }
    // One key= and no whitespace or markup after it: the same bodies as key=value(&key=value)*,
    // since a value may hold & and =, but without the nested repetition that backtracked
    // exponentially on a hostile body ("a=&a=&a=…<": 27 parts took 1.4 s, 40 would take hours).
    if (contentType.includes('application/x-www-form-urlencoded') ||
        /^[\w.-]+=[^\s<>]*$/.test(text)) {
        // Deviation (GitHub): form-encoded answers from the device flow endpoints.
        return { ...base, kind: 'form', fields: Object.fromEntries(new URLSearchParams(text)) };
    }
    if (/^<(!doctype|html|head|body|\?xml)/i.test(text) || contentType.includes('html')) {
        return {
            ...base,
            kind: 'html',
            unreadable: `the body is an HTML page${htmlTitle(text, secrets)}, not JSON`
        };
    }
    return {
        ...base,
        kind: 'other',
        unreadable: `the body is not JSON (${describeSize(text)} of ${contentType || 'untyped'} text)`
    };
}
function readJson(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        // Never quote the body: a truncated token response would put a token in the log.
        return {
            kind: 'other',
            unreadable: `the body is not valid JSON (${describeSize(text)}; it may be truncated)`
        };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { kind: 'json', unreadable: 'the body is JSON but not an object' };
    }
    return { kind: 'json', fields: value };
}
/**
 * The OAuth error in a response, whatever its status (RFC 6749 §5.2 says 400, but GitHub answers
 * errors with 200, Auth0 uses 403 and 429, Google 428). `error` must be a string of the RFC's
 * characters to count: a random `error` object in an API's JSON is not an OAuth error.
 */
function oauthErrorOf(read) {
    const fields = read.fields;
    if (!fields)
        return undefined;
    const error = fields['error'];
    if (typeof error !== 'string' || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,200}$/.test(error))
        return undefined;
    const description = stringField(fields, 'error_description');
    const uri = stringField(fields, 'error_uri');
    return {
        error,
        ...(description !== undefined && { errorDescription: description }),
        ...(uri !== undefined && { errorUri: uri })
    };
}
function stringField(fields, name) {
    const value = fields[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
}
/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; capped at one hour. */
function parseRetryAfter(value, nowMs) {
    if (value === undefined)
        return undefined;
    const trimmed = value.trim();
    let ms;
    if (/^\d+$/.test(trimmed))
        ms = Number(trimmed) * 1000;
    else {
        // Only the HTTP-date forms (a day name, then a time): Date.parse alone reads "1.5" or "-5" as
        // dates in 2001, which would turn a garbage header into "retry at once".
        if (!/^[A-Za-z]{3,9},? .*\d{2}:\d{2}:\d{2}/.test(trimmed))
            return undefined;
        const date = Date.parse(trimmed);
        if (Number.isNaN(date))
            return undefined;
        ms = date - nowMs;
    }
    return Math.min(Math.max(ms, 0), 3600_000);
}
function htmlTitle(text, secrets) {
    // Bounded attributes: with [^>]* every unclosed "<title" scanned to the end of the body,
    // quadratic in a 1 MiB page (minutes of a blocked event loop).
    const match = /<title[^<>]{0,200}>([^<]{1,120})<\/title>/i.exec(text);
    return match?.[1] ? ` titled "${(0,_text_safe_text_js__WEBPACK_IMPORTED_MODULE_0__/* .safeText */ .Hk)(match[1], { maxLength: 120, redact: secrets })}"` : '';
}
function describeSize(text) {
    return `${Buffer.byteLength(text)} bytes`;
}
/** A status that says "try again later" rather than "no". */
function isTransientStatus(status) {
    return status === 408 || status === 429 || status >= 500;
}


/***/ }),

/***/ 5277:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  A: () => (/* binding */ actionsRunner)
});

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/runner/actions-runner.ts
// Synchronous writes to local files: a few lines each, and node:fs/promises would be one more
// module to load before the first request.


/**
 * The Runner on a GitHub Actions runner, spoken in the runner's own protocol: workflow commands
 * (`::name key=value::message`) on stdout, outputs and state appended to the GITHUB_OUTPUT and
 * GITHUB_STATE files as `name<<delimiter` blocks, the job summary appended to GITHUB_STEP_SUMMARY.
 *
 * Why not @actions/core: it imports @actions/http-client (and with it undici, most of the
 * bundle) for its OIDC token helper, and @actions/exec for its platform helper. Loading those
 * before the first request cost more than everything else the action does before the person sees
 * the code. What it writes is what @actions/core writes, to the byte but for the random
 * delimiters (__tests__/runner/actions-runner.test.ts compares the two).
 */
function actionsRunner(env = process.env, write = (text) => void process.stdout.write(text)) {
    const command = (name, message, properties = {}) => {
        const props = Object.entries(properties)
            .filter(([, value]) => value !== '')
            .map(([key, value]) => `${key}=${escapeProperty(value)}`)
            .join(',');
        write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
    };
    /** Outputs and state: the file the runner reads after the step, else the old stdout command. */
    const keyValue = (file, legacy) => {
        return (name, value) => {
            const path = env[file];
            if (!path) {
                if (legacy === 'set-output')
                    write(external_node_os_namespaceObject.EOL);
                return command(legacy, value, { name });
            }
            if (!(0,external_node_fs_namespaceObject.existsSync)(path))
                throw new Error(`The runner's ${file} file ${path} does not exist.`);
            (0,external_node_fs_namespaceObject.appendFileSync)(path, `${keyValueBlock(name, value)}${external_node_os_namespaceObject.EOL}`, { encoding: 'utf8' });
        };
    };
    return {
        env,
        // The runner passes input `client-id` as INPUT_CLIENT-ID: spaces become _, hyphens stay.
        getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
        setSecret: (value) => command('add-mask', value),
        info: (message) => write(`${message}${external_node_os_namespaceObject.EOL}`),
        debug: (message) => command('debug', message),
        notice: (message, title) => command('notice', message, { title }),
        warning: (message) => command('warning', message),
        setOutput: keyValue('GITHUB_OUTPUT', 'set-output'),
        saveState: keyValue('GITHUB_STATE', 'save-state'),
        setFailed: (message) => {
            process.exitCode = 1;
            command('error', message);
        },
        appendSummary: async (markdown) => {
            const path = env['GITHUB_STEP_SUMMARY'];
            if (!path)
                return;
            try {
                (0,external_node_fs_namespaceObject.accessSync)(path, external_node_fs_namespaceObject.constants.R_OK | external_node_fs_namespaceObject.constants.W_OK);
            }
            catch {
                throw new Error(`The job summary file ${path} (GITHUB_STEP_SUMMARY) cannot be read and written.`);
            }
            (0,external_node_fs_namespaceObject.appendFileSync)(path, `${markdown}${external_node_os_namespaceObject.EOL}`, { encoding: 'utf8' });
        }
    };
}
/** `name<<delimiter`, the value, the delimiter: a random delimiter no value can contain by chance. */
function keyValueBlock(name, value) {
    // The global Web Crypto: node:crypto is loaded here, after the code is shown, not at start-up.
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    // A value that contained the delimiter could end the block early and set other outputs.
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`The value of ${name} contains its own delimiter; it was not written.`);
    return `${name}<<${delimiter}${external_node_os_namespaceObject.EOL}${value}${external_node_os_namespaceObject.EOL}${delimiter}`;
}
/** The runner decodes %25, %0D and %0A in a command's message. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** In a property value, : and , would end the value: they are encoded too. */
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}


/***/ }),

/***/ 4676:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ traceHttp)
/* harmony export */ });
/* harmony import */ var _oauth_response_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2612);
/* harmony import */ var _text_safe_text_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8844);


/**
 * Wraps the transport to trace each exchange in the debug log: method, URL, status, timing and
 * the NAMES of the fields sent and received. Never a value: bodies carry device codes, tokens and
 * secrets, and a debug log is often shared when asking for help.
 */
function traceHttp(transport, debug, now) {
    return async (request) => {
        const sent = request.body === undefined ? '' : ` sending [${fieldNames(request.body).join(', ')}]`;
        const auth = Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization')
            ? ' with Authorization'
            : '';
        const started = now();
        try {
            const response = await transport(request);
            const read = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_0__/* .readResponse */ .Uk)(response, now());
            // The names are the provider's text too: a member named "##[stop-commands]x" is possible.
            const fields = read.fields
                ? `[${(0,_text_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeText */ .Hk)(Object.keys(read.fields).join(', '), { maxLength: 500 })}]`
                : `(${read.kind})`;
            debug(`${request.method} ${urlForLog(request.url)}${sent}${auth} → HTTP ${response.status} ${fields} in ${now() - started} ms`);
            return response;
        }
        catch (error) {
            debug(`${request.method} ${urlForLog(request.url)}${sent}${auth} → failed after ${now() - started} ms: ${error instanceof Error ? error.name : 'error'}`);
            throw error;
        }
    };
}
/**
 * The names in a form or JSON body. A JSON body read as a form would make its whole text one
 * "name", token included (GitHub's DELETE …/token and the secrets API send JSON).
 */
function fieldNames(body) {
    if (body.trimStart().startsWith('{')) {
        try {
            return Object.keys(JSON.parse(body));
        }
        catch {
            return ['(unreadable JSON)'];
        }
    }
    return [...new URLSearchParams(body).keys()];
}
/** Query strings can carry codes; the trace shows the path only. */
function urlForLog(url) {
    const parsed = new URL(url);
    return (0,_text_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeText */ .Hk)(`${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`, {
        maxLength: 2048
    });
}


/***/ }),

/***/ 8844:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   Hk: () => (/* binding */ safeText),
/* harmony export */   Ic: () => (/* binding */ MESSAGE_MAX_LENGTH),
/* harmony export */   e: () => (/* binding */ joinSafe),
/* harmony export */   gB: () => (/* binding */ safe)
/* harmony export */ });
/* unused harmony exports DEFAULT_MAX_LENGTH, REDACTED */
/** The default bound: a name, a title, a short description. */
const DEFAULT_MAX_LENGTH = 200;
/**
 * For the action's own messages, which quote foreign text already made safe (and bounded) piece
 * by piece where it was quoted: passing them again changes nothing but proves it to the type.
 */
const MESSAGE_MAX_LENGTH = 4000;
const ELLIPSIS = '…';
/** What a redacted secret is replaced by: the runner's own mask, so a log reads the same either way. */
const REDACTED = '***';
// ANSI escape sequences (ECMA-48): CSI (ESC [ or the 8-bit U+009B) with parameters and a final
// byte, OSC (ESC ]) up to BEL or ST or the end, and the two-character escapes. Each pattern is a
// single pass without nested repetition: linear on any input.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
/** Characters that end a line somewhere (the runner, a browser, Unicode's line breaking). */
const LINE_BREAKS = {
    '\n': '\\n',
    '\r': '\\r'
};
const LINE_BREAK = /[\n\r\u000b\u000c\u0085\u2028\u2029]/u;
/**
 * Shown as \u escapes: control characters (C0, C1, DEL), format characters (Cf: bidi embeddings,
 * overrides and isolates, zero-width spaces and joiners, the BOM, the soft hyphen, tags), every
 * default-ignorable code point (fillers, variation selectors) and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;
/** Spaces other than U+0020 (NBSP, en quad, ideographic space...) and tab: one plain space. */
const OTHER_SPACE = /[\t\p{Zs}]/u;
/**
 * Makes foreign text safe to print on a log line, on its own or inside the action's own text:
 * - no workflow command: the first character that is not a space, if it is `:`, and every `[`
 *   that would follow a `#` (or starts the text, where the action's text before it might end in
 *   `#`) get a backslash in front, so neither `::` at the start of a line nor `##[` anywhere can
 *   form, even where two safe texts are joined;
 * - one line: CR and LF shown as \r and \n, every other line break and every invisible or
 *   control character as a \u escape, other spaces as a space, ANSI escapes removed;
 * - bounded: at most `maxLength` code points, the last one an ellipsis when cut.
 * The result is idempotent: safe text passed again comes back the same.
 */
function safeText(text, options = {}) {
    const maxLength = Math.max(1, options.maxLength ?? DEFAULT_MAX_LENGTH);
    let raw = typeof text === 'string' ? text : text === undefined ? '' : String(text);
    // Redacted first and whole: a secret cut in two by the bound below would print its first half.
    if (options.redact)
        raw = redact(raw, options.redact);
    // Nothing past this can be shown (each shown character takes at least one of the text's; more
    // only for ANSI sequences, which are removed), so a 1 MiB body costs what its start costs.
    const scanned = maxLength * 4 + 64;
    const cut = raw.length > scanned;
    if (cut)
        raw = raw.slice(0, scanned);
    raw = raw.replace(ANSI, '');
    let out = '';
    let lastUnit = '';
    let length = 0;
    let seenVisible = false;
    for (const char of raw) {
        let unit = shown(char);
        if (unit === ' ' && !seenVisible)
            continue; // the text starts at its first visible character
        if (unit === '[' && (lastUnit.endsWith('#') || !seenVisible))
            unit = '\\[';
        else if (unit === ':' && !seenVisible)
            unit = '\\:';
        if (unit !== ' ')
            seenVisible = true;
        // An escape is ASCII; anything else is one code point.
        const unitLength = unit === char ? 1 : unit.length;
        if (length + unitLength > maxLength)
            return withEllipsis(out, lastUnit, length, maxLength);
        out += unit;
        lastUnit = unit;
        length += unitLength;
    }
    if (cut)
        return withEllipsis(out, lastUnit, length, maxLength);
    return out.trimEnd();
}
/**
 * Ends the text with an ellipsis within maxLength. At most the last unit must go to make room,
 * and it goes whole: never half an escape.
 */
function withEllipsis(out, lastUnit, length, maxLength) {
    const kept = length + 1 > maxLength ? out.slice(0, out.length - lastUnit.length) : out;
    return `${kept.trimEnd()}${ELLIPSIS}`;
}
function shown(char) {
    const code = char.charCodeAt(0);
    // Printable ASCII, the common case, without a regular expression.
    if (code >= 0x20 && code < 0x7f)
        return char;
    if (LINE_BREAK.test(char))
        return LINE_BREAKS[char] ?? escapeOf(char);
    if (OTHER_SPACE.test(char))
        return ' ';
    if (INVISIBLE.test(char))
        return escapeOf(char);
    return char;
}
function escapeOf(char) {
    const code = char.codePointAt(0);
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
/** Cuts every secret out of `text`, longest first (so that one secret inside another goes whole). */
function redact(text, secrets) {
    const sorted = [...new Set(secrets)]
        .filter((s) => s.length > 0)
        .sort((a, b) => b.length - a.length);
    let result = text;
    for (const secret of sorted)
        result = result.split(secret).join(REDACTED);
    return result;
}
/**
 * Composes safe text from the action's own literals and safe values:
 * safe`workflow "${workflow}"`. The literals are code written here, which never holds `#[` and
 * never starts with `::`; the values must already be SafeText (or numbers, or nothing: ''), so
 * a raw string does not compile.
 */
function safe(literals, ...values) {
    let result = literals[0] ?? '';
    values.forEach((value, index) => {
        result += String(value) + (literals[index + 1] ?? '');
    });
    return result;
}
/** Joins safe texts with the action's own separator. */
function joinSafe(parts, separator) {
    return parts.join(separator);
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 9783:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ getProxyUrl)
/* harmony export */ });
/* unused harmony export checkBypass */
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(9407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
