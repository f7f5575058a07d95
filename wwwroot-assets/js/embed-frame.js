// Frame side of the embedding protocol (docs/embedding.md): the framed page imports this module through JS interop
// and tells the host page, which runs wwwroot-assets/embed.js, that it is ready, how tall it is and what changed.
const SOURCE = "preferencecenter";

let observer = null;
let children = null;
let startedFor = null;
let lastHeight = -1;

// Only a real origin: "*" would hand consent events to whatever page happens to frame us, and without an origin we
// cannot know who that is, so we stay silent rather than guess.
function canPost(targetOrigin) {
  return window.parent !== window && typeof targetOrigin === "string" && targetOrigin !== "" && targetOrigin !== "*";
}

function post(targetOrigin, message) {
  if (canPost(targetOrigin)) {
    window.parent.postMessage(message, targetOrigin);
  }
}

// The frame must fit its content both ways. The root's scrollHeight and the body's box never drop below the frame's
// own height (and site.css gives body min-height: 100vh), so on their own the frame could grow but never shrink:
// measure the bottom of body's in-flow children instead, and use scrollHeight only when something overflows (an
// open menu). Fixed layers (snackbars, overlays) follow the viewport, not the content, so they are left out.
function measure() {
  const root = document.documentElement;
  const body = document.body;
  let height = root.scrollHeight > root.clientHeight ? root.scrollHeight : 0;
  if (body) {
    let bottom = 0;
    for (const child of body.children) {
      const style = getComputedStyle(child);
      if (style.position !== "fixed" && style.display !== "none") {
        bottom = Math.max(bottom, child.getBoundingClientRect().bottom + parseFloat(style.marginBottom || "0"));
      }
    }

    const own = getComputedStyle(body);
    const end = parseFloat(own.paddingBottom || "0") + parseFloat(own.borderBottomWidth || "0") + parseFloat(own.marginBottom || "0");
    height = Math.max(height, bottom > 0 ? bottom + window.scrollY + end : body.getBoundingClientRect().height);
  }

  return Math.ceil(height); // fractions rounded up, so no scrollbar for half a pixel
}

function postHeight(targetOrigin) {
  const height = measure();
  // Setting the frame's height resizes us again; skipping repeats keeps that from echoing back and forth.
  if (height !== lastHeight) {
    lastHeight = height;
    post(targetOrigin, { source: SOURCE, type: "resize", height });
  }
}

/** Announces the page to the host and keeps it told of the page's height. Does nothing when not framed. */
export function start(targetOrigin) {
  // A re-render or reconnect may call start again: the host hears "ready" once and one observer is enough.
  if (!canPost(targetOrigin) || startedFor === targetOrigin) {
    return;
  }

  stop();
  startedFor = targetOrigin;
  post(targetOrigin, { source: SOURCE, type: "ready" });
  postHeight(targetOrigin);
  // html and body keep their size while the content shrinks, so the content (body's children) is watched too.
  observer = new ResizeObserver(() => postHeight(targetOrigin));
  observer.observe(document.documentElement);
  if (document.body) {
    observer.observe(document.body);
    for (const child of document.body.children) {
      observer.observe(child);
    }

    children = new MutationObserver((changes) => {
      changes.forEach((change) => change.addedNodes.forEach((node) => node instanceof Element && observer.observe(node)));
      postHeight(targetOrigin);
    });
    children.observe(document.body, { childList: true });
  }
}

/** Stops the height reports, e.g. when the component that started them is disposed. */
export function stop() {
  if (observer) {
    observer.disconnect();
    observer = null;
  }

  if (children) {
    children.disconnect();
    children = null;
  }

  startedFor = null;
  lastHeight = -1;
}

/** Posts { source: "preferencecenter", type, ...payload } to the host. Does nothing when not framed. */
export function notify(targetOrigin, type, payload) {
  // source and type come last so a payload can never pass itself off as another kind of message.
  post(targetOrigin, { ...(payload || {}), source: SOURCE, type });
}
