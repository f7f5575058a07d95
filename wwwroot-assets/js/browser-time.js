// The IANA zone of the browser, e.g. "Europe/London"; the server converts consent times into it.
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
