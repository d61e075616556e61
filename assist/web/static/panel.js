// The agent panel: one suggestion at a time, drafts to edit, insert into the host chat
// (postMessage) or copy, feedback, and the regulation's backlog actions.
"use strict";
(function () {
  const { cfg, t, api, el, status, debounce, fail } = window.Assist;
  // Most serious first: what the specialist must act on before answering.
  const SEVERITY = [
    "conduct.ban_recommended",
    "conduct.rude",
    "out_of_scope.roadmap_estimate",
    "out_of_scope.business_scenario",
    "out_of_scope.not_product",
    "anomalous_load",
    "support_feedback",
    "off_hours",
  ];
  const CONTEXT_KEYS = ["conversation_id", "user_id", "account_id", "line", "client_ip", "received_at"];
  const state = { context: {}, suggestion: null, text: "", cards: [], focused: 0 };
  const $ = (id) => document.getElementById(id);

  // ---- the host page ---------------------------------------------------------------------
  function originAllowed(origin) {
    return cfg.hostOrigins.some((pattern) => {
      if (!pattern.includes("*")) return pattern === origin;
      const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("*", "[^.]+");
      return new RegExp("^" + escaped + "$").test(origin);
    });
  }

  function hostOrigin() {
    if (window.parent === window) return null;
    let origin = null;
    if (location.ancestorOrigins && location.ancestorOrigins.length) {
      origin = location.ancestorOrigins[0];
    } else if (document.referrer) {
      origin = new URL(document.referrer).origin;
    }
    return origin && originAllowed(origin) ? origin : null;
  }

  function toHost(message) {
    const origin = hostOrigin();
    if (origin) window.parent.postMessage(message, origin);
    return Boolean(origin);
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || !originAllowed(event.origin)) return;
    const data = event.data || {};
    if (data.type !== "assist:message" || typeof data.text !== "string") return;
    state.context = {};
    for (const key of CONTEXT_KEYS) {
      if (typeof data[key] === "string" && data[key]) state.context[key] = data[key];
    }
    $("message").value = data.text;
    suggest(data.text);
  });

  // ---- suggestion ------------------------------------------------------------------------
  async function suggest(text) {
    if (!text.trim()) return;
    status(t("loading"));
    document.body.dataset.ready = "0";
    const started = performance.now();
    let data;
    try {
      data = await api("POST", "/v1/suggest", Object.assign({ text: text }, state.context));
    } catch (error) {
      fail(error);
      return;
    }
    const answered = performance.now();
    state.text = text;
    render(data);
    const rendered = performance.now();
    requestAnimationFrame(() => {
      const painted = performance.now();
      document.body.dataset.apiMs = (answered - started).toFixed(1);
      document.body.dataset.renderMs = (rendered - answered).toFixed(1);
      document.body.dataset.paintMs = (painted - answered).toFixed(1);
      document.body.dataset.ready = "1";
    });
  }

  function render(data) {
    state.suggestion = data;
    document.body.dataset.suggestionId = data.suggestion_id;
    status("");
    renderFlags(data.flags);
    $("decision").textContent = t("decision_" + data.decision) + " — " + data.decision_reason;
    state.cards = [];
    $("drafts").replaceChildren();
    data.drafts.forEach((draft) => addDraft(draft, false));
    renderFaq(data.faq);
    renderBacklog(data.backlog);
    $("register").disabled = false;
    const business = data.flags.some((flag) => flag.code === "out_of_scope.business_scenario");
    $("transfer").hidden = !(business && lineAndUser());
  }

  // ---- a 1C-Connect conversation: `<line_id>:<user_id>`, its messages arrive by webhook ----
  const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  const LINE_CONVERSATION = new RegExp("^(" + UUID + "):(" + UUID + ")$", "i");

  function lineAndUser() {
    const match = LINE_CONVERSATION.exec(state.context.conversation_id || "");
    return match ? { line_id: match[1], user_id: match[2] } : null;
  }

  async function transfer() {
    try {
      await api("POST", "/v1/connect/transfer", lineAndUser());
      status(t("transferred"));
      $("transfer").hidden = true;
    } catch (error) {
      fail(error);
    }
  }

  // Show the newest suggestion the sidecar made for the conversation, as its webhook
  // messages come in; nothing is computed again here.
  async function follow() {
    const path = "/v1/conversations/" + encodeURIComponent(state.context.conversation_id) + "/suggestions?limit=1";
    try {
      const [latest] = await api("GET", path);
      if (latest && (!state.suggestion || latest.suggestion_id !== state.suggestion.suggestion_id)) {
        $("message").value = latest.text;
        state.text = latest.text;
        render(latest);
        document.body.dataset.ready = "1";
      }
    } catch (error) {
      // Signed out or no longer allowed: polling again would only repeat the error.
      if (error.status === 401 || error.status === 403) clearInterval(state.following);
      fail(error);
    }
  }

  function renderFlags(flags) {
    const sorted = flags.slice().sort((a, b) => rank(a.code) - rank(b.code));
    const items = sorted.map((flag) =>
      el("li", { class: "flag flag-" + flag.code.replace(/\W/g, "-"), "data-code": flag.code }, [
        el("strong", { text: t("flag_" + flag.code) }),
        el("span", { text: flag.reason }),
      ])
    );
    $("flags").replaceChildren(...(items.length ? items : [el("li", { class: "muted", text: t("none") })]));
  }

  function rank(code) {
    const at = SEVERITY.indexOf(code);
    return at < 0 ? SEVERITY.length : at;
  }

  // ---- drafts ----------------------------------------------------------------------------
  function addDraft(draft, first) {
    const index = state.cards.length;
    const number = index + 1;
    const area = el("textarea", {
      class: "draft-text",
      rows: "4",
      "aria-label": t("draft_label") + " " + number + " (" + draft.template + ")",
    });
    area.value = draft.text;
    const warnings = el("ul", { class: "warnings", "aria-live": "polite", "aria-label": t("warnings") });
    const reason = el("input", { type: "text", class: "reason", "aria-label": t("reason_label"), placeholder: t("reason_label") });
    const card = { draft: draft, area: area, warnings: warnings, reason: reason };
    const node = el("article", { class: "draft", "data-template": draft.template }, [
      el("h3", { text: number + ". " + draft.template + " · " + draft.language }),
      area,
      warnings,
      el("div", { class: "actions" }, [
        el("button", { type: "button", class: "insert", "aria-keyshortcuts": "Alt+" + number, text: t("insert"), onclick: () => insert(card) }),
        el("button", { type: "button", class: "copy", text: t("copy"), onclick: () => copy(card) }),
        el("button", { type: "button", class: "accept", text: t("accept"), onclick: () => feedback(card, null) }),
        reason,
        el("button", { type: "button", class: "reject", text: t("reject"), onclick: () => feedback(card, "rejected") }),
      ]),
    ]);
    card.node = node;
    area.addEventListener("focus", () => { state.focused = state.cards.indexOf(card); });
    area.addEventListener("input", debounce(() => check(card), 250));
    showWarnings(card, draft.warnings || []);
    if (first) {
      state.cards.unshift(card);
      $("drafts").prepend(node);
    } else {
      state.cards.push(card);
      $("drafts").append(node);
    }
  }

  async function check(card) {
    const text = card.area.value;
    if (!text.trim()) return showWarnings(card, []);
    try {
      const result = await api("POST", "/v1/check", { text: text, language: card.draft.language });
      if (card.area.value === text) showWarnings(card, result.warnings);
    } catch (error) {
      fail(error);
    }
  }

  function showWarnings(card, warnings) {
    card.warnings.replaceChildren(
      ...warnings.map((w) =>
        el("li", { class: "warning warning-" + w.code }, [
          el("strong", { text: w.code }),
          el("span", { text: w.message }),
          el("q", { text: card.area.value.slice(w.start, w.end) }),
        ])
      )
    );
  }

  function chosen(card) {
    const text = card.area.value;
    return { text: text, outcome: text === card.draft.text ? "accepted" : "edited" };
  }

  async function insert(card) {
    const pick = chosen(card);
    const sent = toHost({
      type: "assist:insert",
      text: pick.text,
      suggestion_id: state.suggestion && state.suggestion.suggestion_id,
      template: card.draft.template,
    });
    if (!sent) return copy(card);
    status(t("inserted"));
    await feedback(card, null);
  }

  async function copy(card) {
    const text = card.area.value;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      // Clipboard API refused (no focus or permission): the old way still works in iframes.
      card.area.select();
      document.execCommand("copy");
    }
    status(t("copied"));
  }

  async function feedback(card, outcome) {
    if (!state.suggestion) return;
    const pick = chosen(card);
    const body = { outcome: outcome || pick.outcome, template: card.draft.template };
    if (body.outcome !== "rejected") body.sent_text = pick.text;
    if (card.reason.value.trim()) body.reason = card.reason.value.trim();
    try {
      await api("POST", "/v1/suggestions/" + encodeURIComponent(state.suggestion.suggestion_id) + "/feedback", body);
      status(t("feedback_saved", { outcome: t(body.outcome) }));
      card.node.dataset.feedback = body.outcome;
    } catch (error) {
      fail(error);
    }
  }

  // ---- knowledge hits --------------------------------------------------------------------
  function score(value) {
    return el("span", { class: "score", title: t("score"), text: value.toFixed(2) });
  }

  function renderFaq(hits) {
    $("faq").replaceChildren(
      ...hits.map((hit) =>
        el("li", {}, [
          el("details", {}, [
            el("summary", {}, [score(hit.score), " ", hit.question]),
            el("p", { text: hit.answer }),
            el("a", { href: "/panel/faq/" + encodeURIComponent(hit.id), target: "_blank", rel: "noopener", text: t("open_entry") + " " + hit.id }),
          ]),
        ])
      )
    );
  }

  function renderBacklog(hits) {
    $("backlog").replaceChildren(
      ...hits.map((hit) =>
        el("li", { "data-task": hit.id }, [
          score(hit.score),
          " ",
          el("a", { href: "/panel/backlog/" + encodeURIComponent(hit.id), target: "_blank", rel: "noopener", text: hit.id }),
          " ",
          el("span", { text: hit.title }),
          el("span", { class: "status", text: " [" + hit.status + "]" }),
          " ",
          el("button", { type: "button", class: "attach", "aria-label": t("attach") + " " + hit.id, text: t("attach"), onclick: () => confirmThen(t("confirm_attach", { id: hit.id }), () => attach(hit.id)) }),
        ])
      )
    );
  }

  function confirmThen(question, action) {
    const box = $("confirm");
    $("confirm-text").textContent = question;
    box.hidden = false;
    $("confirm-yes").focus();
    $("confirm-yes").onclick = () => { box.hidden = true; action(); };
    $("confirm-no").onclick = () => { box.hidden = true; };
  }

  function requester() {
    return { user_id: state.context.user_id, account_id: state.context.account_id, language: state.suggestion.language === "en" ? "en" : "ru" };
  }

  async function attach(taskId) {
    try {
      const result = await api("POST", "/v1/backlog/" + encodeURIComponent(taskId) + "/watchers", requester());
      addDraft(result.draft, true);
      status(result.task.id);
    } catch (error) {
      fail(error);
    }
  }

  async function register() {
    try {
      const result = await api("POST", "/v1/backlog/register", Object.assign({ text: state.text }, requester()));
      addDraft(result.draft, true);
      status(result.task.id);
    } catch (error) {
      fail(error);
    }
  }

  // ---- keys and start-up -----------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    const card = state.cards[state.focused] || state.cards[0];
    if (event.altKey && /^Digit[1-9]$/.test(event.code)) {
      const target = state.cards[Number(event.code.slice(5)) - 1];
      if (target) { event.preventDefault(); insert(target); }
    } else if (event.altKey && card && event.code === "KeyC") {
      event.preventDefault(); copy(card);
    } else if (event.altKey && card && event.code === "KeyA") {
      event.preventDefault(); feedback(card, null);
    } else if (event.altKey && card && event.code === "KeyR") {
      event.preventDefault(); feedback(card, "rejected");
    } else if (event.key === "/" && !/^(TEXTAREA|INPUT)$/.test(document.activeElement.tagName)) {
      event.preventDefault(); $("message").focus();
    } else if (event.key === "Escape") {
      $("confirm").hidden = true;
    }
  });
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault(); suggest($("message").value);
    }
  });
  $("ask").addEventListener("submit", (event) => { event.preventDefault(); suggest($("message").value); });
  $("register").addEventListener("click", () => confirmThen(t("confirm_register"), register));
  $("transfer").addEventListener("click", () => confirmThen(t("confirm_transfer"), transfer));

  const params = new URLSearchParams(location.search);
  for (const key of CONTEXT_KEYS) {
    if (params.get(key)) state.context[key] = params.get(key);
  }
  toHost({ type: "assist:ready" });
  if (params.get("text")) {
    $("message").value = params.get("text");
    suggest(params.get("text"));
  } else if (params.get("follow") === "1" && state.context.conversation_id) {
    follow();
    state.following = setInterval(follow, 3000);
  }
})();
