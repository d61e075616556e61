// Studio: per-template statistics with a chart, the review queue with CSAT beside it,
// and the knowledge browser (search, and checking an import file before importing it).
"use strict";
(function () {
  const { t, api, el, status, fail, dailyChart } = window.Assist;
  const $ = (id) => document.getElementById(id);
  const loaded = new Set();

  document.addEventListener("studio:tab", (event) => {
    const tab = event.detail;
    if (loaded.has(tab)) return;
    loaded.add(tab);
    if (tab === "tab-stats") showStats();
    if (tab === "tab-review") showReviews();
    if (tab === "tab-knowledge") search();
  });

  // ---- statistics ------------------------------------------------------------------------
  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }
  const today = new Date();
  $("stats-to").value = isoDay(today);
  $("stats-from").value = isoDay(new Date(today.getTime() - 29 * 86400000));

  async function showStats() {
    try {
      const query = "?start=" + $("stats-from").value + "&end=" + $("stats-to").value;
      const data = await api("GET", "/v1/studio/stats" + query);
      $("stats-total").textContent = t("suggestions") + ": " + data.suggestions;
      const legend = el("p", { class: "legend" }, ["shown", "accepted", "edited", "rejected"].map((s) => el("span", { class: s, text: "■ " + t(s) })));
      $("chart").replaceChildren(dailyChart(data.daily, t("chart")), legend);
      $("stats-table").tBodies[0].replaceChildren(
        ...data.templates.map((row) =>
          el("tr", { "data-template": row.template + "/" + row.language }, [
            el("th", { scope: "row", text: row.template }),
            el("td", { text: row.language }),
            ...["shown", "accepted", "edited", "rejected"].map((k) => el("td", { class: "num", text: String(row[k]) })),
            el("td", { class: "num", text: row.average_edit_distance === null ? "—" : String(row.average_edit_distance) }),
          ])
        )
      );
    } catch (error) {
      fail(error);
    }
  }
  $("stats-form").addEventListener("submit", (event) => { event.preventDefault(); showStats(); });

  // ---- review queue ----------------------------------------------------------------------
  // Only the latest request draws the list: an earlier answer arriving late would replace
  // cards the lead may already be typing a rating into. The list is busy until then.
  let reviewsAsked = 0;
  async function showReviews() {
    const asked = ++reviewsAsked;
    $("reviews").setAttribute("aria-busy", "true");
    try {
      const items = await api("GET", "/v1/studio/reviews?status=" + $("review-status").value);
      if (asked !== reviewsAsked) return;
      $("reviews").replaceChildren(...(items.length ? items.map(reviewCard) : [el("p", { class: "muted", text: t("nothing") })]));
    } catch (error) {
      fail(error);
    } finally {
      if (asked === reviewsAsked) $("reviews").removeAttribute("aria-busy");
    }
  }
  $("review-status").addEventListener("change", showReviews);

  function reviewCard(item) {
    const id = "review-" + item.id;
    const scoreInput = el("input", { id: id + "-score", type: "number", min: "1", max: "5", required: true, value: item.score || "" });
    const comment = el("input", { id: id + "-comment", type: "text", value: item.comment || "" });
    const draft = item.drafts.length ? item.drafts[0].text : "";
    const csat = item.csat.map((c) => c.score + "/5" + (c.comment ? " «" + c.comment + "»" : "")).join("; ");
    const form = el("form", { class: "review-form" }, [
      el("div", {}, [el("label", { for: id + "-score", text: t("rating") }), scoreInput]),
      el("div", {}, [el("label", { for: id + "-comment", text: t("comment") }), comment]),
      el("button", { type: "submit", text: t("save_review") }),
    ]);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("POST", "/v1/studio/reviews/" + item.id, { score: Number(scoreInput.value), comment: comment.value || null });
        status(t("save_review") + " ✓");
        card.dataset.reviewed = "1";
      } catch (error) {
        fail(error);
      }
    });
    const card = el("article", { class: "review", "data-suggestion": item.suggestion_id }, [
      el("h3", { text: item.sampled_at.slice(0, 16).replace("T", " ") + " · " + (item.conversation_id || "—") + " · " + item.decision }),
      el("strong", { text: t("message") }),
      el("p", { class: "message", text: item.message }),
      el("strong", { text: t("draft_label") }),
      el("p", { class: "draft-text", text: draft }),
      el("strong", { text: t("sent_reply") }),
      el("p", { class: "sent", text: item.sent_text || "—" }),
      el("p", { class: "csat", text: t("csat") + ": " + (csat || "—") }),
      form,
    ]);
    return card;
  }

  // ---- knowledge -------------------------------------------------------------------------
  async function search() {
    const name = $("kb-collection").value;
    try {
      const hits = await api("GET", "/v1/studio/knowledge/" + name + "/search?q=" + encodeURIComponent($("kb-query").value));
      $("kb-results").replaceChildren(
        ...hits.map((hit) => {
          const record = hit.record;
          const head = record.question || record.title;
          const body = record.answer || record.description;
          return el("li", { "data-id": record.id }, [
            el("details", {}, [
              el("summary", {}, [hit.score === null ? "" : hit.score.toFixed(2) + " ", el("strong", { text: record.id }), " ", head]),
              el("p", { class: "record", text: body }),
            ]),
          ]);
        })
      );
    } catch (error) {
      fail(error);
    }
  }
  $("kb-search").addEventListener("submit", (event) => { event.preventDefault(); search(); });

  let checked = null;
  async function checkFile() {
    const file = $("kb-file").files[0];
    if (!file) return;
    const text = await file.text();
    const type = text.trimStart().startsWith("[") ? "application/json" : "application/x-ndjson";
    const name = $("kb-collection").value;
    try {
      const report = await api("POST", "/v1/studio/knowledge/" + name + "/validate", text, type);
      checked = report.valid ? { name: name, text: text, type: type } : null;
      $("kb-import").disabled = !report.valid;
      renderReport(report);
    } catch (error) {
      fail(error);
    }
  }

  function renderReport(report) {
    const parts = [el("p", { class: report.valid ? "" : "error", text: report.detail })];
    if (report.valid) {
      parts.push(el("p", { text: t("new_ids") + ": " + (report.new.join(", ") || "—") }));
      parts.push(el("p", { text: t("existing_ids") + ": " + (report.existing.join(", ") || "—") }));
    }
    if (report.errors.length) {
      parts.push(
        el("table", { id: "kb-errors" }, [
          el("thead", {}, [el("tr", {}, [t("line"), "id", t("field"), t("message")].map((h) => el("th", { scope: "col", text: h })))]),
          el("tbody", {}, report.errors.map((e) =>
            el("tr", {}, [String(e.line ?? ""), e.id ?? "", e.field ?? "", e.message].map((v) => el("td", { text: String(v) })))
          )),
        ])
      );
    }
    $("kb-report").replaceChildren(...parts);
  }

  async function importFile() {
    if (!checked) return;
    try {
      const result = await api("POST", "/v1/" + checked.name + "/bulk", checked.text, checked.type);
      status(t("imported", { created: result.created.length, updated: result.updated.length }));
      $("kb-import").disabled = true;
      checked = null;
      search();
    } catch (error) {
      fail(error);
    }
  }
  $("kb-check").addEventListener("click", checkFile);
  $("kb-import").addEventListener("click", importFile);
  $("kb-collection").addEventListener("change", search);
})();
