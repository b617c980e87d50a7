// The pipeline board: drag a card to another column to move the opportunity there.
// The server decides: a refused move puts the card back where it was and the board's
// status line says why. Dropping on "lost" asks for the reason first.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var dragged = null, origin = null;

  // The card's move or close URL, from the board's pattern for opportunity 0.
  function cardUrl(card, kind) {
    return board.getAttribute("data-" + kind).replace("/0/", "/" + card.getAttribute("data-pk") + "/");
  }

  document.querySelectorAll("[data-board-switch]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".card") : null;
    if (!card) { return; }
    dragged = card;
    origin = { parent: card.parentNode, next: card.nextSibling };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("dragging");
  });

  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    board.querySelectorAll(".drop-here").forEach(function (el) { el.classList.remove("drop-here"); });
  });

  function dropZone(target) {
    return target && target.closest ? target.closest("[data-drop]") : null;
  }

  board.addEventListener("dragover", function (event) {
    var zone = dropZone(event.target);
    if (!zone || !dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    zone.classList.add("drop-here");
  });

  board.addEventListener("dragleave", function (event) {
    var zone = dropZone(event.target);
    if (zone && !zone.contains(event.relatedTarget)) { zone.classList.remove("drop-here"); }
  });

  function snapBack(card) {
    origin.parent.insertBefore(card, origin.next && origin.next.parentNode === origin.parent ? origin.next : null);
  }

  function send(card, url, values, onDone) {
    var request = htmx.ajax("POST", url, { source: card, target: "#board-status", swap: "innerHTML", values: values });
    var handler = function (event) {
      if (event.detail.elt !== card) { return; }
      card.removeEventListener("htmx:afterRequest", handler);
      onDone(event.detail.xhr && event.detail.xhr.status < 400);
    };
    card.addEventListener("htmx:afterRequest", handler);
    return request;
  }

  board.addEventListener("drop", function (event) {
    var zone = dropZone(event.target);
    if (!zone || !dragged) { return; }
    event.preventDefault();
    zone.classList.remove("drop-here");
    var card = dragged, kind = zone.getAttribute("data-drop");
    dragged = null;
    if (kind === "lost") {
      var dialog = document.getElementById("lost-dialog");
      dialog.querySelector("form").setAttribute("action", cardUrl(card, "close"));
      dialog.showModal();
      return;
    }
    if (kind === "won") {
      card.classList.add("pending");
      send(card, cardUrl(card, "close"), { won: "1" }, function (ok) {
        card.classList.remove("pending");
        if (ok) { card.remove(); }
      });
      return;
    }
    if (zone.getAttribute("data-stage") === card.closest("[data-stage]").getAttribute("data-stage")) { return; }
    var list = zone.querySelector(".cards");
    list.insertBefore(card, list.firstChild);
    card.classList.add("pending");
    send(card, cardUrl(card, "move"), { stage: zone.getAttribute("data-stage") }, function (ok) {
      card.classList.remove("pending");
      if (!ok) { snapBack(card); }
    });
  });

  document.querySelectorAll("[data-dialog-cancel]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });
})();
