/* The kiosk's check-in screen (door app). No inline script: the CSP forbids it.
   - Check-ins and guest taps go with htmx: the answer swaps in the outcome (#door-live) and
     the head count, in one request. The search is cleared at once.
   - After a check-in the big "Welcome!" stays a few seconds, then the screen is ready for the
     next person (search cleared, focus back on the card field for a wedge scanner).
   - A card scanned while the name field had focus is sent to the card form, never searched
     (a token must not end up in a URL or a log).
   - Where the browser offers BarcodeDetector, a camera button reads the card's QR code. */
(function () {
  "use strict";
  var root = document.querySelector("[data-door]");
  if (!root) return;
  var TOKEN = /^[A-Za-z0-9_-]{30,64}$/;
  var search = root.querySelector("[data-door-search]");
  var token = root.querySelector("[data-door-token]");
  var scanForm = root.querySelector("[data-door-scan]");
  var results = root.querySelector("#door-results");

  function ready() {
    var outcome = root.querySelector("[data-door-outcome]");
    if (outcome) outcome.hidden = true;
    if (search) search.value = "";
    if (results) results.textContent = "";
    if (token) { token.value = ""; token.focus(); }
  }

  var timer = null;

  function greet() {
    var outcome = root.querySelector("[data-door-outcome]");
    window.clearTimeout(timer);
    if (!outcome) return;
    var seconds = parseInt(outcome.getAttribute("data-seconds"), 10) || 5;
    timer = window.setTimeout(ready, seconds * 1000);
    var next = outcome.querySelector("[data-door-next]");
    if (next) {
      next.hidden = false;
      next.addEventListener("click", function () { window.clearTimeout(timer); ready(); });
    }
    // The next person starting to type their name ends the greeting at once. (Not on a tap:
    // hiding it then would move the buttons under the finger between press and release.)
    if (search) {
      search.addEventListener("input", function () {
        window.clearTimeout(timer); outcome.hidden = true;
      }, { once: true });
    }
  }
  greet();

  // An answer to a check-in or a guest tap has arrived: greet, and clear the names at once.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "post") return;  // the name search is a GET
    if (search) search.value = "";
    if (results) results.textContent = "";
    if (token) { token.value = ""; token.focus(); }
    greet();
  });
  // When the htmx request fails (the network, an expired form), send the form the plain way,
  // so the person sees what happened instead of nothing.
  function plainly(event) {
    var form = event.detail.elt;
    if (form && form.tagName === "FORM" && form.hasAttribute("hx-post") && !form.dataset.plain) {
      form.dataset.plain = "1";
      var config = event.detail.requestConfig || {};
      var submitter = config.triggeringEvent && config.triggeringEvent.submitter;
      if (submitter && submitter.name) {  // form.submit() leaves out the button that was tapped
        var field = document.createElement("input");
        field.type = "hidden"; field.name = submitter.name; field.value = submitter.value;
        form.appendChild(field);
      }
      form.submit();
    }
  }
  document.body.addEventListener("htmx:responseError", plainly);
  document.body.addEventListener("htmx:sendError", plainly);

  function sendToken(value) {
    if (!token || !scanForm) return;
    token.value = value;
    if (scanForm.requestSubmit) scanForm.requestSubmit(); else scanForm.submit();
  }

  if (search) {
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && TOKEN.test(search.value.trim())) {
        event.preventDefault();
        var value = search.value.trim();
        search.value = "";
        sendToken(value);
      }
    });
    // htmx asks for the name search while typing: never for something that looks like a card.
    search.addEventListener("htmx:confirm", function (event) {
      if (TOKEN.test(search.value.trim())) event.preventDefault();
    });
  }

  // The camera, only where the browser can read QR codes itself.
  var cameraButton = root.querySelector("[data-door-camera]");
  var video = root.querySelector("[data-door-video]");
  var help = root.querySelector("[data-door-camera-help]");
  if (!cameraButton || !video || !("BarcodeDetector" in window) ||
      !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  cameraButton.hidden = false;
  var stream = null;

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    if (help) help.hidden = true;
  }

  cameraButton.addEventListener("click", function () {
    if (stream) { stopCamera(); return; }
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        if (help) help.hidden = false;
        return video.play();
      })
      .then(function look() {
        if (!stream) return;
        detector.detect(video).then(function (codes) {
          var found = codes.map(function (c) { return (c.rawValue || "").trim(); })
            .filter(function (v) { return TOKEN.test(v); })[0];
          if (found) { stopCamera(); sendToken(found); }
          else window.setTimeout(look, 250);
        }, function () { window.setTimeout(look, 500); });
      })
      .catch(stopCamera);
  });
  window.addEventListener("pagehide", stopCamera);
})();
