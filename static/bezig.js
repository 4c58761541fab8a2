// While a long form (an upload, a pull, an import) is being sent, show that the tracker is working
// and keep the button from being pressed twice. Without JavaScript the form works the same.
document.querySelectorAll("form[data-bezig]").forEach(function (form) {
  // The live region exists before its text arrives, so screen readers announce the text.
  var status = document.createElement("p");
  status.className = "busy";
  status.setAttribute("role", "status");
  form.appendChild(status);
  var buttons = form.querySelectorAll("button[type=submit]");
  form.addEventListener("submit", function () {
    var bar = document.createElement("progress");
    bar.setAttribute("aria-hidden", "true");
    status.replaceChildren(bar, document.createTextNode(" " + form.dataset.bezig + " Sluit deze pagina niet."));
    buttons.forEach(function (button) { button.disabled = true; });
  });
  // Back to this page from the browser's cache: the form can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      status.replaceChildren();
      buttons.forEach(function (button) { button.disabled = false; });
    }
  });
});
