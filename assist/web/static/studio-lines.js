// Studio: the 1C-Connect line actions a lead switches on or off, and what was done lately.
"use strict";
(function () {
  const { t, api, el, status, fail } = window.Assist;
  const $ = (id) => document.getElementById(id);

  document.addEventListener("studio:tab", (event) => {
    if (event.detail === "tab-lines") show();
  });

  async function show() {
    try {
      const [switches, actions] = await Promise.all([
        api("GET", "/v1/connect/switches"),
        api("GET", "/v1/connect/actions?limit=20"),
      ]);
      renderSwitches(switches);
      renderActions(actions);
      document.body.dataset.linesReady = "1";
    } catch (error) {
      fail(error);
    }
  }

  function renderSwitches(switches) {
    const legend = $("switches").querySelector("legend");
    $("switches").replaceChildren(legend, ...switches.map((item) => {
      const box = el("input", { type: "checkbox", id: "switch-" + item.name, "data-switch": item.name });
      box.checked = item.enabled;
      box.addEventListener("change", () => flip(item.name, box));
      const source = item.source === "lead"
        ? t("switch_source", { who: item.changed_by, when: item.changed_at.slice(0, 16).replace("T", " ") })
        : t("switch_default");
      return el("div", { class: "switch" }, [
        box,
        el("label", { for: "switch-" + item.name, text: t("switch_" + item.name) }),
        el("span", { class: "muted", text: " — " + source }),
      ]);
    }));
  }

  async function flip(name, box) {
    box.disabled = true;
    document.body.dataset.linesReady = "0";
    try {
      await api("PUT", "/v1/connect/switches/" + name, { enabled: box.checked });
      status("");
      await show();
    } catch (error) {
      box.checked = !box.checked;
      box.disabled = false;
      fail(error);
    }
  }

  function renderActions(actions) {
    $("line-actions").replaceChildren(...actions.map((action) =>
      el("li", {}, [
        el("span", { class: "muted", text: action.at.slice(0, 16).replace("T", " ") + " " }),
        el("strong", { text: action.action }),
        " " + (action.ok ? t("action_ok") : t("action_failed")) + ": ",
        el("span", { text: action.detail }),
      ])
    ));
  }
})();
