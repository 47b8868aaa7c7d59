/* The pulse at the kiosk (surveys app). No inline script: the CSP forbids it.
   A kiosk screen left alone goes back to the check-in screen (data-pulse-home) after
   data-pulse-idle seconds, so the next visitor never finds someone else's half-answered
   questions; what was not finished is not stored. Any touch or key starts the wait again. */
(function () {
  "use strict";
  var root = document.querySelector("[data-pulse][data-pulse-idle]");
  if (!root) return;
  var seconds = parseInt(root.getAttribute("data-pulse-idle"), 10) || 45;
  var home = root.getAttribute("data-pulse-home");
  if (!home || home.charAt(0) !== "/") return;  // only a path of this site
  var timer = null;
  function wait() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.assign(home); }, seconds * 1000);
  }
  ["pointerdown", "keydown", "scroll"].forEach(function (name) {
    document.addEventListener(name, wait, { passive: true });
  });
  wait();
  // A tapped answer submits the form: no second tap while the next screen loads.
  var form = root.querySelector("form");
  if (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
      }, 0);
    });
  }
})();
