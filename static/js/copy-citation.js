// Progressive enhancement: a "Copy" button beside each citation's text box.
// Without JavaScript the read-only text box can still be selected and copied.
(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");
  // The page supplies the translated words: data-copy (button) and data-copy-status.
  var done = status ? status.getAttribute("data-copy-status") : "";

  function copy(box) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(box.value);
    }
    box.select();
    document.execCommand("copy");
    return Promise.resolve();
  }

  document.querySelectorAll("textarea[data-copy]").forEach(function (box) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "citation__button";
    button.textContent = box.getAttribute("data-copy");
    button.addEventListener("click", function () {
      copy(box).then(function () {
        if (status) { status.textContent = done; }
      });
    });
    box.insertAdjacentElement("afterend", button);
  });
})();
