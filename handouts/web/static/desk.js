// The front-desk page works without this script; with it, the brand colours, layouts and preview follow the choices
// at once, the PDF opens beside the form instead of replacing it, and the patient's details are forgotten after a
// while without use.
"use strict";

document.documentElement.classList.add("js");

(function () {
  const PATIENT_FIELDS = ["patient", "date", "provider", "follow_up", "follow_up_weeks"];
  let pdfUrl = null;
  let idleTimer = null;

  function $(id) { return document.getElementById(id); }

  function selected(select) { return select.options[select.selectedIndex]; }

  function today() {
    const now = new Date();
    const pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function applyBrand() {
    const option = selected($("brand"));
    const root = document.documentElement.style;
    root.setProperty("--brand", option.dataset.primary);
    root.setProperty("--brand-accent", option.dataset.accent);
    root.setProperty("--on-brand", option.dataset.onPrimary);
    root.setProperty("--brand-ink", option.dataset.ink);
    $("brand-name").textContent = option.dataset.name;
    const logo = $("brand-logo");
    logo.parentElement.hidden = !option.dataset.logo;
    if (option.dataset.logo) {
      logo.src = option.dataset.logo;
      logo.alt = option.dataset.name + " logo";
    }
  }

  function offerLanguages() {
    const brandLangs = selected($("brand")).dataset.languages.split(" ");
    const handoutLangs = selected($("handout")).dataset.languages.split(" ");
    const lang = $("lang");
    let firstOk = null;
    for (const option of lang.options) {
      const ok = brandLangs.includes(option.value) && handoutLangs.includes(option.value);
      option.disabled = !ok;
      if (ok && firstOk === null) firstOk = option;
    }
    if (selected(lang).disabled && firstOk) firstOk.selected = true;
  }

  function offerLayouts() {
    // Only the layouts the server proved this handout fits, blank and with the longest names.
    const fits = JSON.parse($("handout-form").dataset.fits);
    const menu = fits[[$("brand").value, $("handout").value, $("lang").value].join("|")] || { usual: "", first: "", fits: [] };
    const layout = $("layout");
    const before = layout.value;
    layout.replaceChildren();
    for (const name of menu.fits) {
      const option = document.createElement("option");
      option.value = name;
      const words = name.replace(/-/g, " ");
      option.textContent = words.charAt(0).toUpperCase() + words.slice(1) + (name === menu.usual ? " (usual)" : "");
      layout.append(option);
    }
    layout.value = menu.fits.includes(before) ? before : menu.first;
  }

  function refreshPreview() {
    const image = $("preview");
    const params = new URLSearchParams();
    for (const name of ["brand", "handout", "lang", "layout"]) params.set(name, $(name).value);
    const url = image.dataset.base + "?" + params.toString();
    if (image.getAttribute("src") !== url) {
      image.classList.add("loading");
      image.src = url;
    }
  }

  function refreshWebCopy() {
    // The web copy of the chosen handout, and its public address when the clinic hosts its copies.
    const box = $("web-copy");
    const chosen = JSON.parse(box.dataset.copies)[[$("brand").value, $("handout").value, $("lang").value].join("|")];
    box.hidden = !chosen;
    if (!chosen) return;
    $("web-copy-link").href = chosen[0];
    $("web-copy-url").textContent = chosen[1] || "";
    $("web-copy-address").hidden = !chosen[1];
  }

  function choicesChanged() {
    applyBrand();
    offerLanguages();
    offerLayouts();
    refreshPreview();
    refreshWebCopy();
  }

  function clearErrors() {
    // A success takes every earlier message off the page.
    const summary = $("error-summary");
    if (summary) summary.remove();
    document.querySelectorAll("#handout-form .error").forEach(function (p) { p.remove(); });
    document.querySelectorAll("#handout-form [aria-invalid]").forEach(function (control) {
      control.removeAttribute("aria-invalid");
      const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && !id.endsWith("-error"); });
      if (ids.length) control.setAttribute("aria-describedby", ids.join(" ")); else control.removeAttribute("aria-describedby");
    });
    document.title = document.title.replace(/^Check the form – /, "");
  }

  function closeResult() {
    $("result").hidden = true;
    $("result-frame").removeAttribute("src");
    $("open-link").href = "#";
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    pdfUrl = null;
  }

  function nextPatient(announce) {
    // Forget the last patient: their details, their sheet, any message about them.
    for (const name of PATIENT_FIELDS) $(name).value = "";
    $("date").value = today();
    clearErrors();
    closeResult();
    $("result-note").textContent = "";
    const note = $("cleared-note");
    if (note) note.textContent = announce;
    $("patient").focus();
  }

  function resetIdle() {
    if (idleTimer) clearTimeout(idleTimer);
    const minutes = Number($("handout-form").dataset.idleMinutes) || 3;
    idleTimer = setTimeout(function () {
      const typed = ["patient", "provider", "follow_up"].some(function (name) { return $(name).value; });
      if (typed || pdfUrl) nextPatient("The patient's details were cleared after " + minutes + " minutes without use.");
    }, minutes * 60 * 1000);
  }

  function showPdf(blob, what) {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    pdfUrl = URL.createObjectURL(blob);
    clearErrors();
    $("result-frame").src = pdfUrl;
    $("open-link").href = pdfUrl;
    $("result").hidden = false;
    $("result-title").textContent = what === "patient" ? "The patient's handout is ready" : (what === "stack" ? "Your stack of blank copies is ready" : "Your blank copy is ready");
    $("result-note").textContent = "Check the sheet below, then press Print." + (what === "patient" ? " Press Next patient when you are done." : "");
    $("result-title").focus();
    $("result").scrollIntoView({ block: "start" });
  }

  function showForm(html) {
    // The server answered with the form and a message beside each field that is wrong.
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const incoming = fresh.querySelector(".form-card");
    if (!incoming) {
      closeResult();
      alert(fresh.body ? fresh.body.textContent.trim() : "Nothing was printed.");
      return;
    }
    document.querySelector(".form-card").replaceWith(document.adoptNode(incoming));
    document.title = fresh.title;
    closeResult();
    bind();
    choicesChanged();
    const summary = $("error-summary");
    if (summary) summary.focus();
  }

  async function submitForPdf(event) {
    const button = event.submitter;
    if (!button) return;
    if (button.value === "next") {
      event.preventDefault();
      nextPatient("Ready for the next patient.");
      return;
    }
    if (!button.hasAttribute("data-pdf")) return;
    event.preventDefault();
    const form = event.target;
    // The pressed button goes into the data before any button is disabled (a disabled button is left out).
    const data = new FormData(form, button);
    if (button.value !== "patient") {
      // A blank copy or a stack never carries a name, even one still typed in the form.
      for (const name of PATIENT_FIELDS) data.delete(name);
    }
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" });
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.startsWith("application/pdf")) {
        showPdf(await response.blob(), button.value);
      } else if (type.startsWith("text/html")) {
        showForm(await response.text());
      } else {
        alert((await response.text()).trim() || "Nothing was printed (status " + response.status + ").");
      }
    } catch (error) {
      alert("The handout server did not answer. Is it still running? Nothing was printed.");
    } finally {
      $("handout-form").querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      $("handout-form").removeAttribute("aria-busy");
      resetIdle();
    }
  }

  function bind() {
    const form = $("handout-form");
    form.addEventListener("submit", submitForPdf);
    for (const name of ["brand", "handout", "lang"]) $(name).addEventListener("change", choicesChanged);
    $("layout").addEventListener("change", refreshPreview);
    $("follow_up_weeks").addEventListener("change", function () { if ($("follow_up_weeks").value) $("follow_up").value = ""; });
    $("follow_up").addEventListener("input", function () { if ($("follow_up").value) $("follow_up_weeks").value = ""; });
    $("copies").addEventListener("keydown", function (event) {
      // Enter in the copies box means "make the stack", not the form's first button.
      if (event.key === "Enter") {
        event.preventDefault();
        form.requestSubmit(form.querySelector("button[name=make][value=stack]"));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    bind();
    offerLanguages();
    offerLayouts();
    const note = document.createElement("p");
    note.id = "cleared-note";
    note.className = "visually-hidden";
    note.setAttribute("role", "status");
    document.body.append(note);
    const image = $("preview");
    image.addEventListener("load", function () { image.classList.remove("loading"); $("preview-note").textContent = "Page 1 of a blank copy."; });
    image.addEventListener("error", function () { image.classList.remove("loading"); $("preview-note").textContent = "No preview for this choice."; });
    $("print-button").addEventListener("click", function () {
      const frame = $("result-frame");
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (error) { window.open(pdfUrl, "_blank", "noopener"); }
    });
    $("close-result").addEventListener("click", function () { closeResult(); $("page-title").focus(); });
    $("result-next").addEventListener("click", function () { nextPatient("Ready for the next patient."); });
    for (const kind of ["input", "keydown", "pointerdown"]) document.addEventListener(kind, resetIdle, { passive: true });
    resetIdle();
    const summary = $("error-summary");
    if (summary) summary.focus();
  });
})();
