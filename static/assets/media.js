/* Players and pictures of other sites, loaded only when the reader asks.
   Each placeholder names what a click loads (data-player); until then the page
   makes no request to that site. Without JavaScript the link to the original stays. */
(function () {
  "use strict";

  function element(kind, player, holder) {
    var made;
    if (kind === "image") {
      made = document.createElement("img");
      made.alt = holder.dataset.alt || "";
    } else if (/\.(mp4|webm|ogv|mp3|ogg|oga|m4a|opus|wav)$/i.test(player)) {
      made = document.createElement(kind === "audio" ? "audio" : "video");
      made.controls = true;
      made.autoplay = true;
    } else {
      made = document.createElement("iframe");
      made.title = holder.dataset.title || "Player";
      made.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
      made.referrerPolicy = "strict-origin-when-cross-origin";
      made.setAttribute("allowfullscreen", "");
    }
    made.className = "media-player media-player-" + kind;
    made.src = player;
    return made;
  }

  document.querySelectorAll(".media-deferred").forEach(function (holder) {
    var consent = holder.querySelector(".media-consent");
    var button = holder.querySelector("[data-media-load]");
    if (!consent || !button) return;
    consent.hidden = false;
    button.addEventListener("click", function () {
      var made = element(holder.dataset.kind, holder.dataset.player, holder);
      consent.replaceWith(made);
      made.tabIndex = -1;  // the focus follows the click to what it loaded
      made.focus();
    });
  });
})();
