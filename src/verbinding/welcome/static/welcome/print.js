// The card page's Print button: shown only when this script runs (without it, the browser's
// own print menu works the same, since the page's print style shows the card alone).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
