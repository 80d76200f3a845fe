import {
  getProxyUrl
} from "./chunk-UY2EH3VY.js";

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
    const { send, agent } = await routeFor(url);
    try {
      return await sendOnce(userAgent, request2, url, send, agent);
    } catch (error) {
      if (!(error instanceof StaleConnection)) throw error;
      return await sendOnce(userAgent, request2, url, send, agent);
    }
  };
}
var StaleConnection = class extends TransportFailure {
};
function sendOnce(userAgent, request2, url, send, agent) {
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
    const req = send(url, { method: request2.method, headers, agent }, (res) => {
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
    const send = tls?.send ?? http.request;
    if (!getProxyUrl(url)?.hostname) return { send, agent: tls?.direct ?? direct };
    proxied ??= import("./lib-HRGQGBAZ.js").then(
      ({ HttpClient }) => new HttpClient(userAgent, [], { keepAlive: false })
    );
    return { send, agent: (await proxied).getAgent(url.href) };
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
function joinSafe(parts, separator) {
  return parts.join(separator);
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
  const run = origin.runNumber ? safe`#${origin.runNumber}` : origin.runId;
  if (run) {
    const attempt = origin.runAttempt && origin.runAttempt !== "1" ? safe` (attempt ${origin.runAttempt})` : "";
    parts.push(safe`run ${run}${attempt}`);
  }
  if (origin.actor) parts.push(safe`started by ${origin.actor}`);
  return joinSafe(parts, " \xB7 ");
}
function shownPolicy(text) {
  return safeText(text, { maxLength: 300 });
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
      ({ label, text }, index) => lines.push(
        safe`│   ${index === 0 ? safe`Policy  ` : safe`        `} ${shownPolicy(label)}: ${shownPolicy(text)}`
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

export {
  MAX_RESPONSE_BYTES,
  HEADERS_TOO_LARGE,
  TransportFailure,
  createHttpTransport,
  MESSAGE_MAX_LENGTH,
  safeText,
  redact,
  safe,
  joinSafe,
  checkSecureUrl,
  formatUtc,
  formatDuration,
  isoSeconds,
  runOrigin,
  describeOrigin,
  promptLines,
  timeoutNote,
  noticeOf,
  reminderLine,
  ReminderSchedule
};
