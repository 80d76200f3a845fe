import {
  TransportFailure,
  checkSecureUrl,
  describeOrigin,
  formatDuration,
  formatUtc,
  isoSeconds,
  safeText
} from "./chunk-YXBNQLP5.js";
import "./chunk-UY2EH3VY.js";
import "./chunk-7DQDWJI5.js";

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
  const elements = rows.flatMap((row, index) => index === 0 ? row : [text("\n"), ...row]);
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

// src/notify/webhook-body.ts
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
export {
  WebhookSender,
  webhookBody
};
