// Studio: tabs, and the template editor (live preview, validation, save, versions, diff,
// rollback). Statistics, review and knowledge live in studio-quality.js.
"use strict";
(function () {
  const { cfg, t, api, el, status, debounce, fail } = window.Assist;
  const $ = (id) => document.getElementById(id);
  const NAMES = ["answer", "attach", "register", "off_hours", "conduct_warning", "conduct_end", "anomalous_load"];
  const state = { examples: [], current: null, previewSeq: 0, loadSeq: 0 };

  // ---- tabs (arrow keys move between them, as the ARIA pattern says) -------------------
  const tabs = Array.from(document.querySelectorAll("[role=tab]"));
  function select(tab) {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !on;
    }
    tab.focus();
    document.dispatchEvent(new CustomEvent("studio:tab", { detail: tab.id }));
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) select(tabs[(i + step + tabs.length) % tabs.length]);
    });
  });

  // ---- template editor -----------------------------------------------------------------
  function path() {
    return "/v1/studio/templates/" + $("tpl-lang").value + "/" + $("tpl-name").value;
  }

  async function load() {
    const seq = ++state.loadSeq;
    document.body.dataset.loading = "1";
    try {
      const data = await api("GET", path());
      if (seq !== state.loadSeq) return; // another template was picked meanwhile
      state.current = data;
      $("tpl-body").value = data.body;
      $("tpl-vars").textContent = t("variables") + ": " + (data.variables.join(", ") || t("none"));
      renderVersions(data);
      $("diff").replaceChildren();
      document.body.dataset.activeVersion = String(data.active_version);
      await preview();
    } catch (error) {
      fail(error);
    } finally {
      if (seq === state.loadSeq) document.body.dataset.loading = "0";
    }
  }

  function exampleBody() {
    const custom = $("custom-text").value.trim();
    const example = state.examples.find((e) => e.id === $("example").value) || state.examples[0];
    return { text: custom || example.text, received_at: example.received_at };
  }

  async function preview() {
    const seq = ++state.previewSeq;
    const body = Object.assign({ body: $("tpl-body").value }, exampleBody());
    try {
      const result = await api("POST", path() + "/preview", body);
      if (seq !== state.previewSeq) return; // a newer keystroke already asked again
      showCheck(result);
      $("preview").textContent = result.text === null ? "" : result.text;
      document.body.dataset.previewSeq = String(seq);
    } catch (error) {
      fail(error);
    }
  }

  function showCheck(result) {
    $("tpl-errors").replaceChildren(
      ...result.errors.map((p) =>
        el("li", { "data-kind": p.kind, text: p.kind + (p.line ? " (" + p.line + ")" : "") + ": " + p.message })
      )
    );
    $("tpl-warnings").replaceChildren(
      ...result.warnings.map((w) => el("li", { class: "warning-" + w.code, text: w.code + ": " + w.message }))
    );
    $("tpl-save").disabled = !result.ok;
  }

  async function save() {
    try {
      const saved = await api("POST", path(), { body: $("tpl-body").value, comment: $("tpl-comment").value });
      $("tpl-comment").value = "";
      await load();
      status(t("saved", { version: saved.version }));
    } catch (error) {
      if (error.problem && error.problem.errors) showCheck({ ok: false, errors: error.problem.errors, warnings: [] });
      fail(error);
    }
  }

  function renderVersions(data) {
    $("versions").replaceChildren(
      ...data.versions.map((v) => {
        const active = v.version === data.active_version;
        return el("li", { "data-version": String(v.version) }, [
          el("strong", { text: t("version") + " " + v.version + (active ? " (" + t("active") + ")" : "") }),
          el("span", { class: "who", text: [v.created_at ? v.created_at.slice(0, 19).replace("T", " ") : "", v.created_by, v.version === 0 ? t("default_version") : v.comment].filter(Boolean).join(" · ") }),
          v.version > 0
            ? el("button", { type: "button", class: "show-diff", "aria-label": t("diff") + " " + v.version, text: t("diff"), onclick: () => diff(v.version) })
            : null,
          active
            ? null
            : el("button", { type: "button", class: "rollback", "aria-label": t("rollback") + " " + v.version, text: t("rollback"), onclick: () => rollback(v.version) }),
        ]);
      })
    );
  }

  async function diff(version) {
    try {
      const result = await api("GET", path() + "/diff?to=" + version);
      const kinds = { "+": "add", "-": "del", " ": "same" };
      $("diff").replaceChildren(
        el("p", { class: "muted", text: t("version") + " " + result.from + " → " + result.to }),
        ...result.lines.map((line) => el("span", { class: kinds[line.op], text: line.op + " " + line.text }))
      );
    } catch (error) {
      fail(error);
    }
  }

  async function rollback(version) {
    try {
      const saved = await api("POST", path() + "/rollback", { version: version });
      await load();
      status(t("rolled_back", { from: version, version: saved.version }));
    } catch (error) {
      fail(error);
    }
  }

  async function start() {
    for (const name of NAMES) $("tpl-name").append(el("option", { value: name, text: name }));
    for (const lang of cfg.languages) $("tpl-lang").append(el("option", { value: lang, text: lang }));
    try {
      state.examples = await api("GET", "/v1/studio/examples");
    } catch (error) {
      fail(error);
      return;
    }
    for (const example of state.examples) {
      $("example").append(el("option", { value: example.id, text: example.language + ": " + example.text }));
    }
    $("tpl-name").addEventListener("change", load);
    $("tpl-lang").addEventListener("change", load);
    $("example").addEventListener("change", preview);
    $("custom-text").addEventListener("input", debounce(preview, 300));
    $("tpl-body").addEventListener("input", debounce(preview, 300));
    $("tpl-save").addEventListener("click", save);
    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        if (!$("pane-templates").hidden && !$("tpl-save").disabled) save();
      }
    });
    await load();
    document.body.dataset.ready = "1";
  }

  start();
})();
