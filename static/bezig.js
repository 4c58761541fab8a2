// While a long form (an upload, a pull, an import) is being sent, show that the tracker is working
// and keep the button from being pressed twice. Without JavaScript the form works the same.
document.querySelectorAll("form[data-bezig]").forEach(function (form) {
  form.addEventListener("submit", function () {
    var status = document.createElement("p");
    status.className = "busy";
    status.setAttribute("role", "status");
    var bar = document.createElement("progress");
    bar.setAttribute("aria-label", form.dataset.bezig);
    status.appendChild(bar);
    status.appendChild(document.createTextNode(" " + form.dataset.bezig + " Sluit deze pagina niet."));
    form.appendChild(status);
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  });
});
