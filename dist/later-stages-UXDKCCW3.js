import {
  ActionError,
  ApprovalRefusedError,
  CancelledError,
  ClientKeyError,
  DEFAULT_BACKOFF,
  MAX_LIFETIME_SECONDS,
  NetworkError,
  POLL_MARGIN_MS,
  ProviderResponseError,
  RefreshRefusedError,
  WIDENED_POLL_MARGIN_MS,
  WaitEndedError,
  authenticate,
  backoffDelayMs,
  capitalize,
  claimValue,
  describeEndpoint,
  describeTarget,
  displayName,
  escapeHtml,
  failing,
  getJson,
  idTokenIssuerFor,
  isBareRefreshRefusal,
  isTransientStatus,
  loadJose,
  oauthError,
  oauthErrorOf,
  postAuthenticated,
  postForm,
  readResponse,
  secondsOf,
  secretShapeProblem,
  sendAuthenticated,
  sendJson,
  shown,
  unusableResponse,
  verifiedIdentityFrom,
  withRetries
} from "./chunk-LWB3LOHK.js";
import {
  MESSAGE_MAX_LENGTH,
  ReminderSchedule,
  TransportFailure,
  isoSeconds,
  safe,
  safeText
} from "./chunk-YXBNQLP5.js";
import "./chunk-UY2EH3VY.js";
import "./chunk-7DQDWJI5.js";

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

// src/oauth/token.ts
function usableAsBearer(tokens) {
  return tokens.tokenType?.toLowerCase() === "bearer";
}
var DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
var MAX_TOKEN_LENGTH = 64 * 1024;
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
  const text = (name) => {
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
  const tokenType = text("token_type");
  const scope = text("scope");
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

// src/flow/device-login.ts
async function pollForApproval(ctx, events, config, metadata, client, quirks, code) {
  const { clock } = ctx;
  const { device, prompt, deadlines, shownAtMs } = code;
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
  const { runner, config, metadata, client } = discard;
  const ctx = {
    ...discard.ctx,
    signal: AbortSignal.timeout(DISCARD_BUDGET_MS),
    requestTimeoutMs: Math.min(discard.ctx.requestTimeoutMs, 5e3)
  };
  const lasts = lifetimeOf(tokens);
  if (config.provider.name === "github") {
    if (!config.clientSecret) {
      runner.info(
        shown2(
          `GitHub revokes a token only with the app's client secret, and client-secret is not set: ${whose} token is never output, but stays valid ${lasts} unless they revoke it (GitHub \u2192 Settings \u2192 Applications).`
        )
      );
      return;
    }
    report(
      runner,
      whose,
      "token",
      await revokeGitHubToken(
        ctx,
        gitHubApiFor(metadata.tokenEndpoint, runner.env),
        config.clientId,
        config.clientSecret,
        tokens.accessToken
      ),
      lasts
    );
    return;
  }
  if (!metadata.revocationEndpoint) {
    runner.info(
      shown2(
        `The provider has no revocation endpoint (revocation_endpoint in discovery, or the revocation-endpoint input): ${whose} tokens are never output, but stay valid ${lasts}.`
      )
    );
    return;
  }
  const endpoint = { name: "revocation endpoint", url: metadata.revocationEndpoint };
  if (tokens.refreshToken) {
    const result2 = await revokeToken(ctx, endpoint, client, tokens.refreshToken, "refresh_token");
    report(runner, whose, "refresh token", result2, "until it expires");
  }
  const result = await revokeToken(ctx, endpoint, client, tokens.accessToken, "access_token");
  report(runner, whose, "access token", result, lasts);
}
function report(runner, whose, what, result, lasts) {
  if (result.kind === "revoked") runner.info(shown2(`Revoked ${whose} ${what}; it is never output.`));
  else
    runner.warning(
      shown2(`Could not revoke ${whose} ${what}: ${result.message} It stays valid ${lasts}.`)
    );
}
function shown2(text) {
  return safeText(text, { maxLength: MESSAGE_MAX_LENGTH });
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

// src/runner/outputs.ts
function maskTokens(runner, tokens) {
  for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
    if (secret) runner.setSecret(secret);
  }
}
function refreshTokenToStore(tokens, refreshTokenInput, refreshed) {
  const value = tokens.refreshToken ?? (refreshed ? refreshTokenInput : void 0);
  return { ...value && { value }, mustStore: value !== void 0 && value !== refreshTokenInput };
}
function publishTokens(runner, tokens, options) {
  maskTokens(runner, tokens);
  const refreshToken = options.refreshToken ?? refreshTokenToStore(tokens, void 0, false);
  if (refreshToken.value) runner.setSecret(refreshToken.value);
  runner.setOutput("access-token", tokens.accessToken);
  if (refreshToken.value) runner.setOutput("refresh-token", refreshToken.value);
  runner.setOutput("refresh-token-rotated", String(refreshToken.mustStore));
  if (tokens.idToken) runner.setOutput("id-token", tokens.idToken);
  if (tokens.tokenType) runner.setOutput("token-type", tokens.tokenType);
  if (tokens.expiresInSeconds !== void 0) {
    runner.setOutput("expires-in", String(Math.floor(tokens.expiresInSeconds)));
    runner.setOutput("expires-at", isoSeconds(options.nowMs + tokens.expiresInSeconds * 1e3));
  }
  if (tokens.refreshTokenExpiresInSeconds !== void 0) {
    runner.setOutput(
      "refresh-token-expires-at",
      isoSeconds(options.nowMs + tokens.refreshTokenExpiresInSeconds * 1e3)
    );
  }
  if (tokens.scope) runner.setOutput("scope", tokens.scope);
  if (options.approver) {
    runner.setOutput("approver", options.approver.name);
    runner.setOutput("approver-subject", options.approver.subject);
  }
  const approvers = options.approvers ?? (options.approver ? [options.approver] : []);
  if (approvers.length > 0)
    runner.setOutput("approvers", JSON.stringify(approvers.map((approver) => approver.name)));
}

// src/flow/identify.ts
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
        ...config.clientSecret && { clientSecret: config.clientSecret }
      });
      approver = approverFromClaims(claims, "ID token");
      identity = verifiedIdentityFrom(claims.sub, claims, "ID token");
    } else {
      const { idToken: _withheld, ...rest } = tokens;
      tokens = rest;
      runner.warning(
        safe`The provider returned an ID token, but the action cannot verify it without the provider's keys (jwks_uri, found by discovery). It is not output; set issuer so that discovery runs.`
      );
      noIdentityHelp = "The ID token could not be verified without the provider's keys (jwks_uri): set issuer so that discovery runs.";
    }
  }
  const api = userApiOf(config, metadata);
  if (!approver && api && !usableAsBearer(tokens)) {
    const type = tokens.tokenType === void 0 ? safe`no token_type` : safe`token_type "${safeText(tokens.tokenType, { maxLength: 40 })}"`;
    runner.warning(
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
      runner.warning(
        safe`Could not find out who approved: ${safeText(why, { maxLength: MESSAGE_MAX_LENGTH })}`
      );
      noIdentityHelp = `The ${api.endpoint.name} did not say who approved: ${why}`;
    }
  }
  if (approver?.note) runner.warning(safeText(approver.note, { maxLength: MESSAGE_MAX_LENGTH }));
  if (!approver && !api) {
    runner.notice(
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
function exact(text) {
  return text.normalize("NFC");
}
function emailForm(text) {
  return text.normalize("NFC").toLowerCase().normalize("NFC");
}
var INVISIBLE = /[\p{Cf}\p{Cc}\s]/gu;
function looseForm(text) {
  return text.normalize("NFKC").replace(INVISIBLE, "").toLowerCase().normalize("NFKC");
}
function globMatches(pattern, text) {
  const p = Array.from(pattern);
  const t = Array.from(text);
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
    text: `${who} is a different person from ${context.earlier.map((earlier) => shown(earlier.name)).join(" and ")} (${of}).`
  };
}
function selfApproval(rule, identity, who) {
  const finding = (result, text) => ({
    rule: "allow-self-approval",
    result,
    text
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
          `${shown(login)} started this run (${actor.from}) and may not approve it (allow-self-approval is false).`
        );
      }
      return finding(
        "holds",
        `${shown(login)} did not start this run (${rule.runActors.map((a) => `${a.from} is ${shown(a.value)}`).join(", ")}).`
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
          `${who} started this run (their ${rule.claim} is ${shown(hit.value)}, the run-actor) and may not approve it (allow-self-approval is false).`
        );
      }
      return finding(
        "holds",
        `${who} did not start this run (their ${rule.claim} is not ${rule.runActors.map((a) => shown(a.value)).join(" or ")}).`
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
  const finding = (result, text) => ({
    rule: "allowed-approvers",
    result,
    text
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
    else notMember.push(`${shown(identity.username)} ${answer.detail}`);
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
    ...identity.email !== void 0 ? [`email ${shown(identity.email)}`] : ["no verified email"],
    ...identity.username !== void 0 ? [`username ${shown(identity.username)}`] : [],
    `subject ${shown(identity.subject)}`
  ];
  return fields.join(", ");
}
function requiredClaim(requirement, identity, who) {
  const finding = (result, text) => ({
    rule: "required-claims",
    result,
    text
  });
  const { claim, value: wanted } = requirement;
  if (claim === "email") {
    if (identity.email === void 0) {
      return finding(
        "unknown",
        `${who} has no verified email address, so required-claims ${requirement.text} cannot be judged. Add email to the scope input; the provider must mark the address verified (email_verified).`
      );
    }
    return emailForm(identity.email) === emailForm(wanted) ? finding("holds", `${who} has email ${shown(wanted)} (required-claims).`) : finding(
      "broken",
      `${who} does not have email ${shown(wanted)} (required-claims: ${requirement.text}).`
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
      return finding("holds", `${who}'s ${claim} includes ${shown(wanted)} (required-claims).`);
    return finding(
      "broken",
      `${who}'s ${claim} (${listed(held)}) does not include ${shown(wanted)} (required-claims: ${requirement.text}).`
    );
  }
  if (!isScalar(value)) {
    return finding(
      "unknown",
      `${who}'s ${claim} claim is an object, not a value, so required-claims ${requirement.text} cannot be judged. Name a member inside it with a dot (for example realm_access.roles=release).`
    );
  }
  if (exact(String(value)) === exact(wanted))
    return finding("holds", `${who}'s ${claim} is ${shown(wanted)} (required-claims).`);
  return finding(
    "broken",
    `${who}'s ${claim} is ${shown(String(value))}, not ${shown(wanted)} (required-claims: ${requirement.text}).`
  );
}
function listed(values) {
  if (values.length === 0) return "empty";
  const first = values.slice(0, 10).map(shown).join(", ");
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
function saveForPostStep(runner, config, metadata, client, tokens, refreshed, nowMs) {
  const refreshToken = tokens.refreshToken ?? (refreshed ? config.refreshToken : void 0);
  const plan = planRevocation(tokens, {
    revoke: config.revoke,
    github: config.provider.name === "github",
    client,
    metadata,
    ...refreshToken && { refreshToken },
    refreshTokenKept: refreshToken !== void 0 && (config.storeRefreshToken !== void 0 || refreshToken === config.refreshToken),
    env: runner.env,
    nowMs
  });
  if (plan.note) runner.info(safeText(plan.note, { maxLength: MESSAGE_MAX_LENGTH }));
  if (!plan.state) return;
  for (const token of [plan.state.accessToken, plan.state.refreshToken])
    if (token) runner.setSecret(token);
  saveRevocationState((name, value) => runner.saveState(name, value), plan.state);
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
  const when = leftMs <= 0 ? "has expired" : `expires at ${isoSeconds(expiresAtMs)}, in ${leftMs < DAY_MS ? "less than a day" : `${Math.floor(leftMs / DAY_MS)} day${leftMs < 2 * DAY_MS ? "" : "s"}`}`;
  return `The refresh token ${when}. Run the workflow with the device flow before then (on-refresh-failure: device, or without refresh-token) so that a person approves again and the new refresh token is stored; jobs that start from the old one will fail.`;
}
async function warnIfRefreshTokenExpires(runner, config, tokens, nowMs) {
  const warning = expiryWarning(
    refreshTokenExpiresAtMs(config, tokens, nowMs),
    config.expiryWarningDays,
    nowMs
  );
  if (!warning) return;
  runner.warning(safeText(warning, { maxLength: MESSAGE_MAX_LENGTH }));
  if (!config.summary) return;
  try {
    await runner.appendSummary(`<p>\u26A0\uFE0F ${escapeHtml(warning)}</p>
`);
  } catch (error) {
    runner.warning(
      safe`Could not write the job summary: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
    );
  }
}

// src/secrets/seal.ts
async function sealForGitHub(value, publicKeyBase64) {
  const { default: sodium } = await import("./libsodium-wrappers-NZULRHQN.js");
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
async function storeRefreshToken(ctx, runner, config, toStore, nowMs) {
  const store = config.storeRefreshToken;
  if (!store) return;
  const where = secretStoreOf(runner.env, store.token);
  const description = describeTarget(store.target, where.repository, where.owner);
  if (!toStore.value) {
    runner.warning(
      safeText(
        `The provider returned no refresh token, so ${description} was not updated. Ask for a refresh token (often the offline_access scope), or remove store-refresh-token.`,
        { maxLength: MESSAGE_MAX_LENGTH }
      )
    );
    return;
  }
  if (!toStore.mustStore) {
    runner.info(
      safeText(`The refresh token was not rotated: ${description} still holds the one in use.`, {
        maxLength: MESSAGE_MAX_LENGTH
      })
    );
    runner.setOutput("refresh-token-stored", "false");
    return;
  }
  const stored = await storeSecret(ctx, where, store.target, toStore.value);
  const at = isoSeconds(nowMs());
  runner.setOutput("refresh-token-stored", "true");
  runner.info(
    safeText(
      `${stored.created ? "Created" : "Updated"} ${stored.description} with the new refresh token at ${at}.`,
      { maxLength: MESSAGE_MAX_LENGTH }
    )
  );
  if (config.summary) {
    try {
      await runner.appendSummary(
        `<p>Refresh token stored in ${escapeHtml(stored.description)} at ${at}.</p>
`
      );
    } catch (error) {
      runner.warning(
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
export {
  checkPolicy,
  discardTokens,
  identify,
  maskTokens,
  pollForApproval,
  publishTokens,
  refreshTokenToStore,
  refreshTokens,
  saveForPostStep,
  storeRefreshToken,
  warnIfRefreshTokenExpires
};
