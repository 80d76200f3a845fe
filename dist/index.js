import {
  ActionError,
  ApprovalRefusedError,
  CLIENT_AUTH_METHODS,
  CancelledError,
  ClientKeyError,
  InputError,
  MAX_LIFETIME_SECONDS,
  OAuthError,
  POLL_MARGIN_MS,
  ProviderResponseError,
  RefreshRefusedError,
  SUSPICIOUS_INTERVAL_SECONDS,
  WaitEndedError,
  capitalize,
  describeEndpoint,
  errorPageOf,
  escapeHtml,
  failing,
  getJson,
  issuerMatches,
  link,
  parseSecretTarget,
  postAuthenticated,
  readResponse,
  secondsOf,
  secretShapeProblem,
  shown,
  unusableResponse,
  verificationUriCompleteOf,
  verificationUriOf,
  withRetries
} from "./chunk-LWB3LOHK.js";
import {
  MESSAGE_MAX_LENGTH,
  checkSecureUrl,
  createHttpTransport,
  describeOrigin,
  formatDuration,
  formatUtc,
  joinSafe,
  noticeOf,
  promptLines,
  reminderLine,
  runOrigin,
  safe,
  safeText,
  timeoutNote
} from "./chunk-YXBNQLP5.js";
import "./chunk-UY2EH3VY.js";
import "./chunk-7DQDWJI5.js";

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

// src/oauth/named-urls.ts
var SCANNED_LENGTH = 4e3;
var DOT = "[.\u3002\uFF0E\uFF61]";
var NAMED = new RegExp(
  `[a-z][a-z0-9+.-]{0,30}://[^\\s"'<>]+|(?<![\\p{L}\\p{N}-])[\\p{L}\\p{N}-]{1,63}(?:${DOT}[\\p{L}\\p{N}-]{1,63}){0,10}${DOT}\\p{L}{2,63}(?::\\d{1,5})?(?:/[^\\s"'<>]*)?`,
  "giu"
);
function namedUrlsOf(text) {
  const found = [];
  for (const match of text.slice(0, SCANNED_LENGTH).matchAll(NAMED)) {
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

// src/oauth/device.ts
var DEFAULT_INTERVAL_SECONDS = 5;
var MAX_USER_CODE_LENGTH = 64;
var MIN_USER_CODE_CHARACTERS = 4;
var MAX_DEVICE_CODE_LENGTH = 4096;
var MAX_MESSAGE_LENGTH = 500;
async function requestDeviceAuthorization(ctx, endpoint, client, request) {
  const params = new URLSearchParams();
  if (request.scope) params.set("scope", request.scope);
  if (request.audience) params.set("audience", request.audience);
  for (const resource of request.resources) params.append("resource", resource);
  for (const [key, value] of request.extraParams) params.append(key, value);
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
  const shown2 = safeText(check.url.href, { maxLength: 2048 });
  return shown2 === check.url.href ? shown2 : fail(`${name} cannot be shown as it is`);
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
  const shown2 = formatDuration(timeoutSeconds * 1e3);
  if (timeoutSeconds * 1e3 <= device.intervalSeconds * 1e3 + POLL_MARGIN_MS) {
    throw new InputError(
      "timeout",
      `is ${shown2}, but the provider's polling interval is ${device.intervalSeconds} s: the wait would end before the first poll, so nobody could approve. The code was not shown. Give the person minutes (for example 10m).`
    );
  }
  if (timeoutSeconds < SHORT_TIMEOUT_SECONDS) {
    return `The timeout input is ${shown2} (a number without a unit is seconds: 10m is ten minutes); a person rarely opens the link, signs in and approves that fast.`;
  }
  return void 0;
}

// src/flow/device-code.ts
var LONG = { maxLength: MESSAGE_MAX_LENGTH };
async function showDeviceCode(ctx, runner2, events, config, metadata, client, shown2 = {}) {
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
  const shownAtMs = ctx.clock.now();
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
    ...shown2
  };
  await events.emit({ type: "code-ready", prompt, atMs: shownAtMs });
  return { device, prompt, deadlines, shownAtMs };
}

// src/flow/normalize.ts
function normalizeTokens(config, received) {
  const tokens = config.provider.normalizeTokens?.(received) ?? received;
  return tokens.scope === void 0 && config.scope ? { ...tokens, scope: config.scope } : tokens;
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
      return `not allowed: not ${rule.runActors.map((actor) => shown(actor.value)).join(" or ")}, who started the run`;
    case "claim":
      return `not allowed: the approver's ${rule.claim} must not be ${rule.runActors.map((actor) => shown(actor.value)).join(" or ")}`;
  }
}
function approvalHeading(approvalNumber, approvals, earlierNames) {
  if (approvals <= 1) return void 0;
  if (approvalNumber === 1) return `Approval 1 of ${approvals}`;
  return `Approval ${approvalNumber} of ${approvals}: a different person (not ${earlierNames.map(shown).join(" or ")})`;
}

// src/flow/grant.ts
async function refreshedGrant(stage, refreshed) {
  const later = await stage.later.load();
  const received = normalizeTokens(stage.config, refreshed);
  keepForPostStep(later, stage, received, true, stage.ctx.clock.now());
  const { approver, tokens } = await identifyAndCheck(later, stage, received, {
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
      const code = await showDeviceCode(
        stage.ctx,
        stage.runner,
        stage.events,
        stage.config,
        stage.metadata,
        stage.client,
        promptPolicy(policy, turn, earlier)
      );
      const later = await stage.later.load();
      const login = await later.pollForApproval(
        stage.ctx,
        stage.events,
        stage.config,
        stage.metadata,
        stage.client,
        stage.quirks,
        code
      );
      const received = normalizeTokens(stage.config, login.tokens);
      if (turn.number === 1) keepForPostStep(later, stage, received, false, login.approvedAtMs);
      const { tokens: tokens2, approver: approver2, identity, verdict } = await identifyAndCheck(
        later,
        stage,
        received,
        { turn, earlier }
      );
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
    // Only ever tokens that arrived, so the stages are loaded by then.
    async (tokens2, whose) => (await stage.later.load()).discardTokens(stage, tokens2, whose)
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
function keepForPostStep(later, stage, tokens, refreshed, atMs) {
  const { runner: runner2, config, metadata, client } = stage;
  later.saveForPostStep(runner2, config, metadata, client, tokens, refreshed, atMs);
}
async function identifyAndCheck(later, stage, received, place) {
  const { ctx, runner: runner2, config, metadata } = stage;
  const identified = await later.identify(ctx, runner2, config, metadata, received);
  const verdict = await later.checkPolicy(stage, identified, place);
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
function failureOf(error, quirks) {
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

// src/flow/load-later-stages.ts
var importLaterStages = () => import("./later-stages-UXDKCCW3.js");
function laterStagesLoader(importStages = importLaterStages) {
  let loading;
  const load = () => loading ??= importStages().catch((error) => {
    throw new LaterStagesLoadError(error);
  });
  return {
    load,
    prefetch: () => {
      load().catch(() => void 0);
    }
  };
}
var LaterStagesLoadError = class extends ActionError {
  name = "LaterStagesLoadError";
  constructor(cause) {
    super(
      `The action could not load the part of itself that runs after the code (a chunk beside dist/index.js): ${cause instanceof Error ? cause.message : String(cause)}. Its dist/ folder is incomplete; use a released version of the action (a tag or a full commit SHA), and report this if that is what the workflow uses.`,
      { cause }
    );
  }
};

// src/flow/refresh.ts
async function refreshIfPossible(ctx, runner2, config, client, tokenEndpoint, quirks, later) {
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
  const { refreshTokens, maskTokens } = await later.load();
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
  const storeRefreshToken = readSecretStore(source.getInput("store-refresh-token"), secretsToken);
  const refreshTokenExpiresAtMs = readInstant(
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
    ...storeRefreshToken && { storeRefreshToken },
    expiryWarningDays: readDays(
      "refresh-token-expiry-warning-days",
      source.getInput("refresh-token-expiry-warning-days"),
      7
    ),
    ...refreshTokenExpiresAtMs !== void 0 && { refreshTokenExpiresAtMs },
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
  const text = value.trim().toLowerCase();
  if (text === "") return void 0;
  const single = /^(\d+(?:\.\d+)?)\s*([smh]?)$/.exec(text);
  const compound = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(text);
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
  const selfApproval = readSelfApproval(source, setting.provider);
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
    selfApproval,
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
  const shown2 = line.replace(/[\u0000-\u001F\u007F-\u009F]/g, " ");
  return `"${shown2.length > 80 ? `${shown2.slice(0, 80)}\u2026` : shown2}"`;
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
    const claimValue = line.slice(equals + 1).trim();
    if (claim === "") fail("has no claim name before the =.");
    if (/\s/.test(claim)) fail("has a space in the claim name.");
    if (claimValue === "") fail(`has no value after the =; say which value ${claim} must hold.`);
    return { text: `${claim}=${claimValue}`, claim, value: claimValue };
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
  const shown2 = (text) => safeText(text, { maxLength: MESSAGE_MAX_LENGTH });
  const when = `at ${formatUtc(outcome.atMs, outcome.atMs)}, ${formatDuration(outcome.atMs - shownAtMs)} after the code was shown`;
  if (outcome.ending === "approved") {
    const approver = outcome.approver;
    const who = approver ? approver.shownSubject === approver.name ? approver.name : `${approver.name} (subject ${approver.shownSubject})` : void 0;
    const all = outcome.approvers && outcome.approvers.length > 1 ? outcome.approvers : void 0;
    if (all) {
      const names = all.map((one) => one.name).join(" and ");
      return {
        title: shown2(`Approved by ${names}`),
        message: shown2(
          `Approved by ${names} ${when}. The tokens (${all[0]?.name}'s) are in this step's outputs (masked).`
        )
      };
    }
    return {
      title: shown2(who ? `Approved by ${approver?.name}` : "Approved"),
      message: shown2(
        `${who ? `Approved by ${who}` : "Approved (the provider did not say by whom)"} ${when}. The tokens are in this step's outputs (masked).`
      )
    };
  }
  return {
    title: shown2(ENDING_TITLES[outcome.ending]),
    message: shown2(`${outcome.detail ?? ENDING_TITLES[outcome.ending]} (${when})`)
  };
}

// src/qr/encode.ts
async function encodeQr(text, errorCorrection = "M") {
  const encoder = await import("./qrcode-AGFWKVAU.js");
  const create = encoder.create ?? encoder.default.create;
  const symbol = create(text, { errorCorrectionLevel: errorCorrection });
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
        ctx.policy.map(({ label, text }) => escapeHtml(`${label}: ${text}`)).join("<br>")
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

// src/listeners/webhooks.ts
var WEBHOOK_CLOSE_WAIT_MS = 5e3;
var loadDelivery = () => import("./delivery-27QBO3AK.js");
function webhookListener(deps) {
  const warn = (message) => deps.runner.warning(safeText(message, { maxLength: MESSAGE_MAX_LENGTH }));
  let outbox;
  const openOutbox = () => outbox ??= (deps.loadDelivery ?? loadDelivery)().then(
    ({ WebhookSender, webhookBody }) => ({
      sender: new WebhookSender({
        http: deps.http,
        clock: deps.clock,
        warn,
        info: (message) => deps.runner.info(safeText(message, { maxLength: MESSAGE_MAX_LENGTH }))
      }),
      bodyOf: webhookBody
    }),
    (error) => {
      warn(
        `Could not load the webhook sender, so no notify-webhook message is sent: ${error instanceof Error ? error.message : String(error)}`
      );
      return void 0;
    }
  );
  let prompt;
  const notify = (event, atMs, outcome) => {
    const config = deps.config();
    if (!prompt || !config || config.webhooks.length === 0) return;
    const notification = notificationOf(prompt, event, atMs, outcome);
    void openOutbox().then((opened) => {
      if (!opened) return;
      for (const target of config.webhooks)
        opened.sender.send(
          target,
          opened.bodyOf(target.kind, notification),
          event === "ended" ? "outcome" : event
        );
    }).catch(
      (error) => deps.runner.warning(
        safe`A listener failed: ${safeText(error instanceof Error ? error.message : error, { maxLength: 500 })}`
      )
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
    // Awaited after the last event: its sends were queued on the load before this waits on it.
    close: async () => {
      const opened = await outbox;
      await opened?.sender.close(deps.closeWaitMs ?? WEBHOOK_CLOSE_WAIT_MS);
    }
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
async function run(deps) {
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
    const refreshes = config.refreshToken !== void 0 && config.mode !== "device";
    const policy = readPolicy(runner2, {
      provider: config.provider.name === "github" ? "github" : "oidc",
      refreshToken: refreshes
    });
    const later = laterStagesLoader(deps.importLaterStages);
    if (refreshes) later.prefetch();
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
    const stage = { ctx, runner: runner2, events, config, metadata, client, quirks, policy, later };
    const refreshed = await refreshIfPossible(
      ctx,
      runner2,
      config,
      client,
      tokenEndpoint,
      quirks,
      later
    );
    const granted = refreshed ? await refreshedGrant(stage, refreshed) : await approvedGrant(stage);
    const ending = refreshed ? "refreshed" : "approved";
    const { tokens, approver, approvers } = granted;
    const { publishTokens, refreshTokenToStore, warnIfRefreshTokenExpires, storeRefreshToken } = await later.load();
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
    const failure = failureOf(error, quirks);
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
function traceHttp(transport2, debug, now) {
  return async (request) => {
    const sent = request.body === void 0 ? "" : ` sending [${fieldNames(request.body).join(", ")}]`;
    const auth = Object.keys(request.headers).some((h) => h.toLowerCase() === "authorization") ? " with Authorization" : "";
    const started = now();
    try {
      const response = await transport2(request);
      const read = readResponse(response, now());
      const fields = read.fields ? `[${safeText(Object.keys(read.fields).join(", "), { maxLength: 500 })}]` : `(${read.kind})`;
      debug(
        `${request.method} ${urlForLog(request.url)}${sent}${auth} \u2192 HTTP ${response.status} ${fields} in ${now() - started} ms`
      );
      return response;
    } catch (error) {
      debug(
        `${request.method} ${urlForLog(request.url)}${sent}${auth} \u2192 failed after ${now() - started} ms: ${error instanceof Error ? error.name : "error"}`
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
var http = traceHttp(
  transport,
  (message) => runner.debug(safeText(message, { maxLength: MESSAGE_MAX_LENGTH })),
  Date.now
);
await run({ runner, http, webhookHttp: transport, clock: systemClock, signal: controller.signal });
setTimeout(() => process.exit(), 200).unref();
