// Shared by the panel and the studio: configuration, strings, the API client and a DOM
// builder that only ever sets text through textContent, so user text stays text.
"use strict";
(function () {
  const cfg = JSON.parse(document.getElementById("assist-config").textContent);

  function t(key, params) {
    let text = Object.prototype.hasOwnProperty.call(cfg.strings, key) ? cfg.strings[key] : key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || "HTTP " + status);
      this.status = status;
      this.problem = problem || {};
    }
  }

  async function api(method, path, body, contentType) {
    const headers = { "X-CSRF-Token": cfg.csrf, Accept: "application/json" };
    let payload;
    if (body !== undefined) {
      headers["Content-Type"] = contentType || "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const response = await fetch(path, {
      method: method,
      headers: headers,
      body: payload,
      credentials: "same-origin",
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new ApiError(response.status, data);
    }
    return data;
  }

  // el("li", {class: "x", text: userText}, [children]): attributes via setAttribute,
  // text via textContent; there is deliberately no way to pass HTML.
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    applyAttrs(node, attrs);
    for (const child of children || []) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function applyAttrs(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "class") node.setAttribute("class", value);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, children) {
    const node = document.createElementNS(SVG_NS, tag);
    applyAttrs(node, attrs);
    for (const child of children || []) node.append(child);
    return node;
  }

  function status(message, isError) {
    const node = document.getElementById("status");
    if (!node) return;
    node.textContent = message;
    node.classList.toggle("error", Boolean(isError));
  }

  function debounce(fn, ms) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function fail(error) {
    const detail = error instanceof ApiError ? error.message : String(error);
    status(t("error") + ": " + detail, true);
  }

  window.Assist = { cfg, t, api, el, svg, status, debounce, fail, ApiError };
})();
