// Progressive enhancement: a "Copy" button beside each citation style's text.
// Without JavaScript the read-only text box (in its disclosure) can be selected and copied.
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
    // Beside the citation it copies (the text box itself is in a closed disclosure).
    var style = box.closest("details.citation");
    var text = style ? style.querySelector(".citation__text") : null;
    (text || box).insertAdjacentElement("afterend", button);
  });
})();
