// deckc preview: view toggle, filters, night mode and link jumps.
// Without this script the page still shows every card, front and back.
(function () {
  "use strict";
  var body = document.body;
  var notes = Array.prototype.slice.call(document.querySelectorAll("article.note"));
  var findings = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var only = document.getElementById("only-findings");
  var shown = document.getElementById("shown");

  // Anki marks night mode with these classes; the card CSS follows them.
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function night() {
    var on = !!(dark && dark.matches);
    body.classList.toggle("nightMode", on);
    body.classList.toggle("night_mode", on);
  }
  night();
  if (dark && dark.addEventListener) { dark.addEventListener("change", night); }

  function allowed(kind) {
    var out = {};
    boxes.forEach(function (b) {
      if (b.getAttribute("data-filter") === kind) { out[b.value] = b.checked; }
    });
    return out;
  }

  function apply() {
    var levels = allowed("level");
    var codes = allowed("code");
    findings.forEach(function (f) {
      var visible = levels[f.getAttribute("data-level")] !== false &&
        codes[f.getAttribute("data-code")] !== false;
      f.classList.toggle("hidden", !visible);
    });
    var count = 0;
    notes.forEach(function (n) {
      var any = n.querySelector("li.finding:not(.hidden)") !== null;
      var visible = !(only && only.checked) || any;
      n.classList.toggle("hidden", !visible);
      if (visible) { count += 1; }
    });
    if (shown) { shown.textContent = "Showing " + count + " of " + notes.length + " cards"; }
    body.setAttribute("data-shown", String(count));
  }

  function view(mode) {
    body.classList.toggle("view-flip", mode === "flip");
    document.querySelectorAll("button.flip").forEach(function (b) { b.hidden = mode !== "flip"; });
  }

  document.querySelectorAll("input[name=view]").forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) { view(r.value); } });
  });
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  if (only) { only.addEventListener("change", apply); }
  notes.forEach(function (n) {
    var button = n.querySelector("button.flip");
    if (button) {
      button.addEventListener("click", function () { n.classList.toggle("flipped"); });
    }
  });

  // A link to a card must land on it even when a filter hid it, and show
  // the side the finding is about (both sides are the back in flip view).
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.classList.contains("note")) {
      target.classList.remove("hidden");
      target.classList.add("flipped");
    }
  }
  window.addEventListener("hashchange", reveal);

  document.querySelectorAll(".controls").forEach(function (c) { c.hidden = false; });
  apply();
  reveal();
  body.setAttribute("data-ready", "true");
})();
