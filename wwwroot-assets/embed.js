/*
 * PreferenceCenter embed loader (docs/embedding.md). Add it with a classic <script src=".../embed.js"></script>:
 * no modules, no build step and no dependencies, so it fits any site.
 *
 *   var frame = PreferenceCenter.embed({ container: "#sms-preferences", url: signedLinkFromYourServer,
 *     onConsentChanged: function (change) { console.log(change.purpose, change.granted); } });
 *   frame.destroy(); // removes the frame and stops listening
 */
(function () {
  "use strict";

  var SOURCE = "preferencecenter";
  // A frame that loads but never says "ready" failed as far as the visitor is concerned: browsers fire no error event
  // for an HTTP error, a refused frame-ancestors or an unreachable server, so silence is the only signal we get.
  var READY_TIMEOUT_MS = 30000;

  function embed(options) {
    if (!options || typeof options.url !== "string") {
      throw new TypeError("PreferenceCenter.embed: options.url (a signed link made by your server) is required.");
    }

    var container = typeof options.container === "string" ? document.querySelector(options.container) : options.container;
    if (!container || typeof container.appendChild !== "function") {
      throw new TypeError("PreferenceCenter.embed: options.container must be an element or a selector that finds one.");
    }

    // Messages are trusted only from the page we framed: same origin as the link and the frame's own window.
    var origin = new URL(options.url, window.location.href).origin;
    var iframe = document.createElement("iframe");
    var readyTimer = null;
    var answeredEarly = false;

    iframe.src = options.url;
    iframe.title = options.title || "Text message preferences"; // screen readers announce frames by their title
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin"); // the page learns which origin frames it
    iframe.style.display = "block";
    iframe.style.width = "100%";
    iframe.style.border = "0";
    iframe.style.height = "24rem"; // until the page reports its real height

    function call(callback, argument) {
      if (typeof callback === "function") {
        callback(argument);
      }
    }

    // DOM events as well as callbacks, so code that did not create the frame can still listen on the container.
    function emit(name, detail) {
      container.dispatchEvent(new CustomEvent("preferencecenter:" + name, { bubbles: true, detail: detail }));
    }

    function fail(code, message) {
      window.clearTimeout(readyTimer);
      readyTimer = null;
      var error = { code: String(code), message: String(message || "") };
      emit("error", error);
      call(options.onError, error);
    }

    // "ready" or "error" is the page's answer to its load. With no timer running, the answer beat its own "load"
    // ("ready" waits for the page's live connection, "load" for every image), so that load must not start the timer.
    function answered() {
      answeredEarly = readyTimer === null;
      window.clearTimeout(readyTimer);
      readyTimer = null;
    }

    function onMessage(event) {
      var data = event.data;
      if (event.origin !== origin || event.source !== iframe.contentWindow || !data || data.source !== SOURCE) {
        return;
      }

      if (data.type === "ready") {
        answered();
        emit("ready", {});
        call(options.onReady);
      } else if (data.type === "resize" && typeof data.height === "number" && data.height >= 0 && isFinite(data.height)) {
        var height = Math.ceil(data.height);
        iframe.style.height = height + "px";
        emit("resize", { height: height });
        call(options.onResize, height);
      } else if (data.type === "consent-changed") {
        var change = { purpose: String(data.purpose), granted: data.granted === true };
        emit("consent-changed", change);
        call(options.onConsentChanged, change);
      } else if (data.type === "error") {
        answered();
        fail(data.code, data.message);
      }
    }

    iframe.addEventListener("error", function () {
      fail("load-failed", "The preferences page could not be loaded.");
    });
    iframe.addEventListener("load", function () {
      // Every load, a reload of the frame included, needs an answer of its own.
      window.clearTimeout(readyTimer);
      readyTimer = answeredEarly ? null : window.setTimeout(function () {
        fail("load-failed", "The preferences page did not start. Is the link fresh and this site's origin registered?");
      }, READY_TIMEOUT_MS);
      answeredEarly = false;
    });

    window.addEventListener("message", onMessage);
    container.appendChild(iframe);

    return {
      iframe: iframe,
      destroy: function () {
        window.clearTimeout(readyTimer);
        window.removeEventListener("message", onMessage);
        if (iframe.parentNode) {
          iframe.parentNode.removeChild(iframe);
        }
      },
    };
  }

  window.PreferenceCenter = window.PreferenceCenter || {};
  window.PreferenceCenter.embed = embed;
})();
