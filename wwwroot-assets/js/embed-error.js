// The refused-link page tells the framing host (embed.js onError) why, posting only to the origin that framed it.
const section = document.querySelector("[data-embed-error]");
const target = section?.dataset.targetOrigin;
if (section && target && window.parent !== window) {
    window.parent.postMessage({ source: "preferencecenter", type: "error", code: section.dataset.embedError, message: section.querySelector("h1")?.textContent ?? "" }, target);
}
