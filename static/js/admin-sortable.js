// The secretariat's sortable inlines (core.admin.SortableInlineMixin): put rows in order
// by dragging a handle, or with "Move up" / "Move down" buttons (keyboard), with each
// move announced to screen readers. The position lists (what works without JavaScript)
// are hidden and renumbered from the rows' order; the server saves 1, 2, 3 ...
(function () {
  "use strict";

  var SELECT = "select.js-sortable-position";

  function rowsOf(tbody) {
    // The rows of forms, in order; the hidden template row for "Add another" is not one.
    return Array.prototype.filter.call(tbody.querySelectorAll("tr.form-row"), function (row) {
      return !row.classList.contains("empty-form") && row.querySelector(SELECT);
    });
  }

  function words(select) {
    return {
      up: select.getAttribute("data-move-up"),
      down: select.getAttribute("data-move-down"),
      drag: select.getAttribute("data-drag"),
      moved: select.getAttribute("data-moved")
    };
  }

  function ensureOption(select, value) {
    if (!select.querySelector('option[value="' + value + '"]')) {
      var option = document.createElement("option");
      option.value = option.textContent = String(value);
      select.appendChild(option);
    }
  }

  function renumber(tbody) {
    rowsOf(tbody).forEach(function (row, index) {
      var select = row.querySelector(SELECT);
      ensureOption(select, index + 1);
      select.value = String(index + 1);
    });
  }

  function liveRegion(tbody) {
    var group = tbody.closest(".inline-group") || tbody.parentNode;
    var region = group.querySelector(".sortable-status");
    if (!region) {
      region = document.createElement("p");
      region.className = "sortable-status visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("role", "status");
      group.appendChild(region);
    }
    return region;
  }

  function announce(row) {
    var tbody = row.parentNode;
    var rows = rowsOf(tbody);
    var select = row.querySelector(SELECT);
    liveRegion(tbody).textContent = words(select).moved
      .replace("%(position)s", String(rows.indexOf(row) + 1))
      .replace("%(count)s", String(rows.length));
  }

  function move(row, step, focusTarget) {
    var rows = rowsOf(row.parentNode);
    var index = rows.indexOf(row);
    var target = rows[index + step];
    if (!target) { return; }
    if (step < 0) {
      target.parentNode.insertBefore(row, target);
    } else {
      target.parentNode.insertBefore(row, target.nextSibling);
    }
    renumber(row.parentNode);
    announce(row);
    if (focusTarget) { focusTarget.focus(); }
  }

  var dragged = null;

  function enhance(row) {
    var select = row.querySelector(SELECT);
    if (!select || row.classList.contains("sortable-row")) { return; }
    var text = words(select);
    row.classList.add("sortable-row");
    select.hidden = true;

    var tools = document.createElement("span");
    tools.className = "sortable-tools";
    var handle = document.createElement("span");
    handle.className = "sortable-handle";
    handle.draggable = true;
    handle.title = text.drag;
    handle.textContent = "\u2630";
    handle.setAttribute("aria-hidden", "true");
    var up = document.createElement("button");
    up.type = "button";
    up.className = "sortable-move sortable-move--up";
    up.setAttribute("aria-label", text.up);
    up.title = text.up;
    up.textContent = "\u25B2";
    var down = document.createElement("button");
    down.type = "button";
    down.className = "sortable-move sortable-move--down";
    down.setAttribute("aria-label", text.down);
    down.title = text.down;
    down.textContent = "\u25BC";
    up.addEventListener("click", function () { move(row, -1, up); });
    down.addEventListener("click", function () { move(row, 1, down); });
    tools.appendChild(handle);
    tools.appendChild(up);
    tools.appendChild(down);
    select.parentNode.insertBefore(tools, select);

    handle.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("sortable-dragging");
      event.dataTransfer.effectAllowed = "move";
      // Firefox starts a drag only with some data.
      event.dataTransfer.setData("text/plain", "");
    });
    handle.addEventListener("dragend", function () {
      row.classList.remove("sortable-dragging");
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    });
    row.addEventListener("drop", function (event) {
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) { return; }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
      renumber(row.parentNode);
      announce(dragged);
    });
  }

  function enhanceAll(root) {
    root.querySelectorAll("tr.form-row").forEach(function (row) {
      if (!row.classList.contains("empty-form")) { enhance(row); }
    });
  }

  // The admin loads form media in the page's head: wait for the rows.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  // A row removed before it was ever saved: close the gap it left.
  document.addEventListener("formset:removed", function () {
    document.querySelectorAll("tbody").forEach(function (tbody) {
      if (tbody.querySelector(SELECT)) { renumber(tbody); }
    });
  });
  // A row added with "Add another" (Django's inlines.js) goes to the end of the list.
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    if (row && row.querySelector && row.querySelector(SELECT)) {
      enhance(row);
      renumber(row.parentNode);
    }
  });
})();
