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

  const liveCounts = () => {
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
  };
  liveCounts();

  // Staff who are working (keys, mouse) stay "online": a light request once a minute while
  // they are active keeps the idle timer from marking them away. Idle people do go away.
  if ([...document.body.classList].some((c) => c.startsWith("role-"))) {
    let lastInput = Date.now();
    for (const ev of ["keydown", "mousemove", "click", "touchstart"]) {
      document.addEventListener(ev, () => { lastInput = Date.now(); }, { passive: true });
    }
    window.setInterval(() => {
      if (!document.hidden && Date.now() - lastInput < 5 * 60 * 1000) {
        fetch("/counts", { credentials: "include", cache: "no-store", headers: { Accept: "application/json" } }).catch(() => {});
      }
    }, 60 * 1000);
  }

  // Select-all boxes: <input type="checkbox" data-select-all="ticket"> ticks every box named
  // "ticket" of its form (boxes may live outside the form element with form="…").
  for (const all of document.querySelectorAll("input[data-select-all]")) {
    all.addEventListener("change", () => {
      const form = all.form;
      const name = all.getAttribute("data-select-all");
      for (const box of document.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
        if (!form || box.form === form) box.checked = all.checked;
      }
    });
  }

  // Selects that save themselves (presence in the header).
  for (const sel of document.querySelectorAll("select[data-autosubmit]")) {
    sel.addEventListener("change", () => sel.form && sel.form.requestSubmit());
  }

  // 3. The agent desk and the buyer chat. Pages work without any of this; it adds live
  //    updates, the "/" canned-reply picker, keyboard shortcuts and the collision warning.
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const typing = (el) => el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT" || el.isContentEditable);

  // Re-fetches this page and swaps every [data-live-region] by id; what the person is typing
  // (composer, forms) is never a live region, so it is never lost.
  const refreshRegions = (() => {
    let timer = 0;
    let running = false;
    let again = false;
    const run = async () => {
      if (running) { again = true; return; }
      running = true;
      try {
        const res = await fetch(window.location.href, { credentials: "include", cache: "no-store", headers: { Accept: "text/html" } });
        if (!res.ok || !(res.headers.get("content-type") || "").includes("text/html")) return;
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        for (const fresh of doc.querySelectorAll("[data-live-region][id]")) {
          const old = document.getElementById(fresh.id);
          if (old && old.innerHTML !== fresh.innerHTML) {
            const atBottom = old.scrollTop + old.clientHeight >= old.scrollHeight - 40;
            const known = new Set([...old.querySelectorAll("li[id]")].map((li) => li.id));
            old.innerHTML = fresh.innerHTML;
            for (const li of old.querySelectorAll("li[id]")) if (!known.has(li.id)) li.classList.add("fresh");
            if (atBottom) old.scrollTop = old.scrollHeight;
            document.dispatchEvent(new CustomEvent("kefu:updated", { detail: old }));
          }
        }
      } catch {
        // offline or restarting: the next event tries again
      } finally {
        running = false;
        if (again) { again = false; run(); }
      }
    };
    return () => { window.clearTimeout(timer); timer = window.setTimeout(run, 150); };
  })();

  const page = document.querySelector("[data-live]");
  const mode = page && page.getAttribute("data-live");
  const ticketId = page && page.getAttribute("data-ticket");
  const me = page && page.getAttribute("data-me");

  const scrollToEnd = () => {
    for (const el of document.querySelectorAll(".messages, .chat-messages")) el.scrollTop = el.scrollHeight;
    const end = document.getElementById("end");
    if (end && mode === "chat") end.scrollIntoView({ block: "end" });
  };
  scrollToEnd();
  document.addEventListener("kefu:updated", scrollToEnd);

  if (page && typeof window.EventSource === "function") {
    const source = new EventSource(mode === "chat" ? "/chat/live" : "/live");
    const onChange = () => refreshRegions();
    source.addEventListener("message", onChange);
    source.addEventListener("ticket", onChange);
    source.addEventListener("resync", onChange);
    // Supervisors hear about SLA breaches wherever they are in the desk.
    if (document.body.classList.contains("role-supervisor") || document.body.classList.contains("role-admin")) {
      source.addEventListener("breach", (e) => {
        try {
          const b = JSON.parse(e.data);
          const toast = document.createElement("div");
          toast.className = "toast";
          toast.setAttribute("role", "alert");
          const link = document.createElement("a");
          link.href = `/tickets/${b.ticket_id}`;
          link.textContent = document.documentElement.lang.startsWith("zh") ? "有工单超时了，点此查看" : "A ticket missed its SLA — open it";
          toast.append(link);
          document.body.append(toast);
          window.setTimeout(() => toast.remove(), 12000);
        } catch { /* ignore */ }
      });
    }
    if (mode === "ticket") {
      // Collision warning: who else has this ticket open (they announce it every 10 s).
      const viewers = new Map();
      const banner = document.getElementById("viewers");
      const label = document.documentElement.lang.startsWith("zh") ? "也在看这个工单，注意别重复回复" : "is also viewing this ticket";
      const draw = () => {
        const now = Date.now();
        for (const [id, v] of viewers) if (now - v.at > 25000) viewers.delete(id);
        const names = [...viewers.values()].map((v) => v.name);
        if (banner) {
          banner.hidden = names.length === 0;
          banner.textContent = names.length ? `${names.join("、")} ${label}` : "";
        }
      };
      source.addEventListener("viewing", (e) => {
        try {
          const v = JSON.parse(e.data);
          if (v.ticket_id === ticketId && v.staff_id !== me) { viewers.set(v.staff_id, { name: v.name, at: Date.now() }); draw(); }
        } catch { /* ignore */ }
      });
      const announce = () => {
        if (document.hidden) return;
        fetch(`/tickets/${ticketId}/viewing`, { method: "POST", credentials: "include", headers: { "X-CSRF-Token": csrf() } }).catch(() => {});
      };
      announce();
      window.setInterval(() => { announce(); draw(); }, 10000);
    }
  }

  // The composer: "/" picker, missing-variable check, Ctrl+Enter.
  const body = document.getElementById("composer-body");
  if (body) {
    const form = body.form;
    const picker = document.getElementById("picker");
    const cannedId = document.getElementById("canned-id");
    const send = document.getElementById("send");
    const missingBox = document.getElementById("missing-vars");
    const missingList = document.getElementById("missing-list");
    let replies = [];
    let varNames = [];
    try { replies = JSON.parse(document.getElementById("canned-data").textContent); } catch { /* none */ }
    try { varNames = JSON.parse(document.getElementById("var-names").textContent); } catch { /* none */ }
    let hits = [];
    let active = 0;

    const checkVars = () => {
      const isNote = form.querySelector('input[name="internal"]:checked')?.value === "1";
      const found = [...new Set(varNames.filter((n) => body.value.includes(`{${n}}`)).map((n) => `{${n}}`))];
      const blocked = found.length > 0 && !isNote;
      if (missingBox) {
        missingBox.hidden = found.length === 0;
        missingList.replaceChildren(...found.map((v) => { const m = document.createElement("mark"); m.textContent = v; return m; }));
      }
      body.classList.toggle("has-missing", found.length > 0);
      if (send) send.disabled = blocked;
      return !blocked;
    };

    const query = () => {
      const before = body.value.slice(0, body.selectionStart);
      const m = before.match(/(?:^|\s)\/(\S{0,20})$/);
      return m ? m[1].toLowerCase() : null;
    };

    const close = () => { if (picker) { picker.hidden = true; picker.replaceChildren(); } hits = []; };

    const draw = () => {
      picker.replaceChildren(...hits.map((r, i) => {
        const item = document.createElement("div");
        item.className = "pick" + (i === active ? " active" : "");
        item.setAttribute("role", "option");
        item.dataset.index = String(i);
        const code = document.createElement("code");
        code.textContent = "/" + r.shortcut;
        const title = document.createElement("b");
        title.textContent = r.title;
        const text = document.createElement("span");
        text.textContent = r.text;
        item.append(code, title, text);
        if (r.uses > 0) {
          const uses = document.createElement("small");
          uses.className = "uses";
          uses.textContent = "×" + r.uses;
          uses.title = document.documentElement.lang.startsWith("zh") ? `你用过 ${r.uses} 次` : `You used it ${r.uses} times`;
          item.append(uses);
        }
        return item;
      }));
      picker.hidden = hits.length === 0;
    };

    const open = () => {
      const q = query();
      if (q === null || !picker) return close();
      hits = replies.filter((r) => r.shortcut.startsWith(q) || r.title.toLowerCase().includes(q)).slice(0, 8);
      active = 0;
      draw();
    };

    const insert = (r) => {
      const start = body.selectionStart;
      const before = body.value.slice(0, start).replace(/\/\S{0,20}$/, "");
      const after = body.value.slice(start);
      body.value = before + r.text + after;
      const caret = before.length + r.text.length;
      body.setSelectionRange(caret, caret);
      if (cannedId) cannedId.value = r.id;
      close();
      checkVars();
      body.focus();
    };

    body.addEventListener("input", () => { open(); checkVars(); });
    form.addEventListener("change", checkVars);
    body.addEventListener("keydown", (e) => {
      if (hits.length && !picker.hidden) {
        if (e.key === "ArrowDown") { active = (active + 1) % hits.length; draw(); e.preventDefault(); return; }
        if (e.key === "ArrowUp") { active = (active + hits.length - 1) % hits.length; draw(); e.preventDefault(); return; }
        if (e.key === "Enter" || e.key === "Tab") { insert(hits[active]); e.preventDefault(); return; }
        if (e.key === "Escape") { close(); e.preventDefault(); return; }
      }
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (checkVars()) form.requestSubmit();
      }
    });
    picker?.addEventListener("mousedown", (e) => {
      const item = e.target.closest(".pick");
      if (item) { e.preventDefault(); insert(hits[Number(item.dataset.index)]); }
    });
    form.addEventListener("submit", (e) => { if (!checkVars()) e.preventDefault(); });
    // The no-JS picker's links fill the composer in place when JS is on.
    for (const a of document.querySelectorAll("a[data-canned]")) {
      a.addEventListener("click", (e) => {
        const r = replies.find((x) => x.id === a.getAttribute("data-canned"));
        if (!r) return;
        e.preventDefault();
        body.focus();
        insert(r);
        a.closest("details")?.removeAttribute("open");
      });
    }
    // Knowledge articles and recommendations insert their text in one click.
    for (const a of document.querySelectorAll("a[data-insert]")) {
      a.addEventListener("click", (e) => {
        e.preventDefault();
        const text = a.getAttribute("data-insert") || "";
        const at = body.selectionStart ?? body.value.length;
        const sep = body.value && !body.value.endsWith("\n") && at === body.value.length ? "\n" : "";
        body.setRangeText(sep + text, at, body.selectionEnd ?? at, "end");
        body.focus();
        checkVars();
      });
    }
    checkVars();
  }

  // The buyer chat: Enter sends, Shift+Enter starts a new line.
  const chatForm = document.getElementById("chat-form");
  if (chatForm) {
    const input = chatForm.querySelector("textarea");
    const files = chatForm.querySelector('input[type="file"]');
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (input.value.trim() || (files && files.files.length)) chatForm.requestSubmit();
      }
    });
    if (files) {
      // The picker shows how many photos will go with the next message.
      files.addEventListener("change", () => {
        const pick = files.closest(".photo-pick");
        const n = files.files.length;
        pick.classList.toggle("has-files", n > 0);
        pick.querySelector("[aria-hidden]").textContent = n > 0 ? String(n) : "＋";
      });
    }
    input.focus();
  }

  // The desk's photo picker says how many photos go with the reply.
  for (const input of document.querySelectorAll(".composer-photos input[type=file]")) {
    input.addEventListener("change", () => {
      const label = input.closest(".composer-photos");
      const count = label.querySelector("[data-photo-count]");
      const n = input.files.length;
      label.classList.toggle("has-files", n > 0);
      count.textContent = n > 0 ? count.dataset.some.replace("{}", String(n)) : count.dataset.none;
    });
  }

  // A reply with photos goes through fetch, so that when the reply check stops it (a 422 with
  // the words marked) the chosen photos stay chosen: only the composer's notes and the
  // "send anyway" button are taken from the answer. Without JS the form posts as usual and
  // the photos must be chosen again.
  const composerForm = document.getElementById("composer");
  if (composerForm && typeof window.fetch === "function" && typeof FormData === "function") {
    composerForm.addEventListener("submit", async (e) => {
      const files = composerForm.querySelector("input[type=file]");
      if (e.defaultPrevented || !files || files.files.length === 0) return;
      e.preventDefault();
      const send = composerForm.querySelectorAll("button[type=submit]");
      send.forEach((b) => { b.disabled = true; });
      try {
        const data = new FormData(composerForm);
        if (e.submitter && e.submitter.name) data.append(e.submitter.name, e.submitter.value);
        const res = await fetch(composerForm.action, { method: "POST", body: data, credentials: "same-origin" });
        const html = await res.text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        const notes = doc.getElementById("composer-notes");
        if (res.status === 422 && notes) {
          document.getElementById("composer-notes").replaceWith(notes);
          const slot = doc.getElementById("send-anyway-slot");
          if (slot) document.getElementById("send-anyway-slot").replaceWith(slot);
          return;
        }
        // Sent (the redirect was followed) or another answer: show it as a page would.
        if (res.ok && res.redirected) { window.location.href = res.url; return; }
        document.open(); document.write(html); document.close();
      } finally {
        composerForm.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = false; });
      }
    });
  }

  // Photos open large over the page; without JS the link opens the picture itself.
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a.photo");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || typeof HTMLDialogElement !== "function") return;
    e.preventDefault();
    const box = document.createElement("dialog");
    box.className = "lightbox";
    const img = document.createElement("img");
    img.src = link.href;
    img.alt = link.querySelector("img") ? link.querySelector("img").alt : "";
    box.append(img);
    box.addEventListener("click", () => box.close());
    box.addEventListener("close", () => box.remove());
    document.body.append(box);
    box.showModal();
  });

  // Keyboard: j/k move through the ticket list, Enter opens, r reply, n note, / canned
  // replies, a assign to me. Never while typing.
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(document.activeElement)) return;
    const items = [...document.querySelectorAll("[data-nav-item]")];
    const current = items.indexOf(document.activeElement);
    const selected = items.findIndex((a) => a.closest(".selected"));
    const move = (delta) => {
      if (!items.length) return;
      const from = current >= 0 ? current : selected;
      const next = items[Math.min(items.length - 1, Math.max(0, from + delta))] || items[0];
      next.focus();
      next.scrollIntoView({ block: "nearest" });
    };
    const radio = (v) => document.querySelector(`input[name="internal"][value="${v}"]`);
    switch (e.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "r": if (body) { radio("0").checked = true; body.focus(); } else return; break;
      case "n": if (body) { radio("1").checked = true; body.focus(); } else return; break;
      case "/":
        if (!body) return;
        body.focus();
        body.setRangeText("/", body.selectionStart, body.selectionEnd, "end");
        body.dispatchEvent(new Event("input"));
        break;
      case "a": { const b = document.querySelector('[data-key="a"]'); if (b) b.click(); else return; break; }
      default: return;
    }
    e.preventDefault();
  });
})();
