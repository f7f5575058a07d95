// Static pages print instants in UTC; show each in the reader's time zone and the page's language (the exact UTC
// instant stays in the tooltip and in datetime). Loaded once for the whole app: it runs on load and again after each
// enhanced navigation, whose patched-in scripts never run (a receipt opened from /preferences arrives that way).
(() => {
  const localise = () => {
    let format;
    try {
      // dateStyle/timeStyle cannot be combined with timeZoneName: name each part instead.
      // The page's language, in the reader's own variant of it when they have one (en-GB writes 6 December 2026).
      const lang = document.documentElement.lang || "en";
      const locale = (navigator.languages || []).find(l => l.toLowerCase().startsWith(lang)) || lang;
      format = new Intl.DateTimeFormat(locale,
        { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    } catch {
      return; // The UTC text stays; this runs inside Blazor's navigation events and must never break them.
    }
    for (const time of document.querySelectorAll("time[data-local-time]:not([data-localised])")) {
      const instant = new Date(time.getAttribute("datetime"));
      if (!Number.isNaN(instant.getTime())) {
        time.title = time.getAttribute("datetime");
        time.textContent = format.format(instant);
        time.setAttribute("data-localised", "");
      }
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localise);
  } else {
    localise();
  }
  document.addEventListener("DOMContentLoaded", () => window.Blazor?.addEventListener?.("enhancedload", localise));
})();
