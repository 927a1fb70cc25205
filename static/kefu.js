// Kefu 客服 — small progressive enhancements. Plain ES2020, no libraries,
// loaded with `defer`; every feature checks for its markup first, so the
// script is harmless on any page.
(() => {
  "use strict";

  // 1. <form data-confirm="…"> asks before submitting.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // 2. Live stage counts on the home page: <… data-live-counts="/counts">.
  const live = document.querySelector("[data-live-counts]");
  if (!live || typeof window.fetch !== "function") return;

  let url;
  try {
    url = new URL(live.getAttribute("data-live-counts") || "", window.location.href);
  } catch {
    return;
  }
  if (url.origin !== window.location.origin) return; // same-origin only

  const INTERVAL_MS = 15000;
  let timer = 0;
  let inFlight = false;
  let lastRun = Date.now(); // the page itself is fresh

  const isCount = (n) => Number.isInteger(n) && n >= 0;

  const apply = (data) => {
    if (!data || typeof data !== "object") return;
    const stages = data.stages && typeof data.stages === "object" ? data.stages : {};
    for (const el of document.querySelectorAll("[data-count]")) {
      const key = el.getAttribute("data-count");
      let value;
      if (key === "mine" || key === "unassigned") value = data[key];
      else if (Object.prototype.hasOwnProperty.call(stages, key)) value = stages[key];
      if (!isCount(value)) continue;
      const text = String(value);
      if (el.textContent.trim() === text) continue;
      el.textContent = text;
      el.classList.remove("bump");
      void el.offsetWidth; // restart the highlight animation
      el.classList.add("bump");
    }
  };

  const refresh = async () => {
    if (inFlight || document.hidden) return;
    inFlight = true;
    lastRun = Date.now();
    try {
      const res = await fetch(url.href, {
        method: "GET",
        mode: "same-origin",
        credentials: "include",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (!res.ok) return;
      const type = res.headers.get("content-type") || "";
      if (!type.includes("json")) return; // e.g. session expired → login page
      apply(await res.json());
    } catch {
      // offline, server restarting, bad JSON: try again next round
    } finally {
      inFlight = false;
    }
  };

  const schedule = (delay = INTERVAL_MS) => {
    window.clearTimeout(timer);
    timer = 0;
    if (document.hidden) return; // paused until visible again
    timer = window.setTimeout(async () => {
      await refresh();
      schedule();
    }, Math.max(0, delay));
  };

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = 0;
    } else {
      // Back on the tab: refresh now if the numbers are stale, then resume.
      schedule(Math.max(0, INTERVAL_MS - (Date.now() - lastRun)));
    }
  });

  schedule();
})();
