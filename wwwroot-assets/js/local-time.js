// Static pages print instants in UTC; show each in the reader's time zone, in the page's language, UTC kept alongside.
(() => {
  const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "long", timeStyle: "medium", timeZoneName: "short" });
  for (const time of document.querySelectorAll("time[data-local-time]")) {
    const instant = new Date(time.getAttribute("datetime"));
    if (!Number.isNaN(instant.getTime())) {
      time.title = time.textContent;
      time.textContent = `${format.format(instant)} (${time.textContent})`;
    }
  }
})();
