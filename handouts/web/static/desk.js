// The front-desk page works without this script; with it, the brand colours and preview follow the choices
// at once and the PDF opens beside the form instead of replacing it.
"use strict";

document.documentElement.classList.add("js");

(function () {
  let pdfUrl = null;

  function $(id) { return document.getElementById(id); }

  function selected(select) { return select.options[select.selectedIndex]; }

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

  function choicesChanged() {
    applyBrand();
    offerLanguages();
    refreshPreview();
  }

  function showPdf(blob) {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    pdfUrl = URL.createObjectURL(blob);
    $("result-frame").src = pdfUrl;
    $("open-link").href = pdfUrl;
    $("result").hidden = false;
    $("result-note").textContent = "Check the sheet below, then press Print.";
    $("result-title").focus();
    $("result").scrollIntoView({ block: "start" });
  }

  function showForm(html) {
    // The server answered with the form and a message beside each field that is wrong.
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const incoming = fresh.querySelector(".form-card");
    if (!incoming) {
      $("result").hidden = true;
      alert(fresh.body ? fresh.body.textContent.trim() : "Nothing was printed.");
      return;
    }
    document.querySelector(".form-card").replaceWith(document.adoptNode(incoming));
    document.title = fresh.title;
    $("result").hidden = true;
    bind();
    choicesChanged();
    const summary = $("error-summary");
    if (summary) summary.focus();
  }

  async function submitForPdf(event) {
    const button = event.submitter;
    if (!button || !button.hasAttribute("data-pdf")) return;
    event.preventDefault();
    const form = event.target;
    const buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.getAttribute("action"), { method: "POST", body: new FormData(form, button), credentials: "same-origin" });
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.startsWith("application/pdf")) {
        showPdf(await response.blob());
      } else if (type.startsWith("text/html")) {
        showForm(await response.text());
      } else {
        alert((await response.text()).trim() || "Nothing was printed (status " + response.status + ").");
      }
    } catch (error) {
      alert("The handout server did not answer. Is it still running? Nothing was printed.");
    } finally {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      form.removeAttribute("aria-busy");
    }
  }

  function bind() {
    const form = $("handout-form");
    form.addEventListener("submit", submitForPdf);
    for (const name of ["brand", "handout", "lang", "layout"]) $(name).addEventListener("change", choicesChanged);
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
    const image = $("preview");
    image.addEventListener("load", function () { image.classList.remove("loading"); $("preview-note").textContent = "Page 1 of a blank copy."; });
    image.addEventListener("error", function () { image.classList.remove("loading"); $("preview-note").textContent = "No preview for this choice."; });
    $("print-button").addEventListener("click", function () {
      const frame = $("result-frame");
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (error) { window.open(pdfUrl, "_blank", "noopener"); }
    });
    $("close-result").addEventListener("click", function () { $("result").hidden = true; $("page-title").focus(); });
    const summary = $("error-summary");
    if (summary) summary.focus();
  });
})();
