// An embedded page switches language in place (its link works once, so it cannot reload): keep <html lang> right.
export function set(language) {
  document.documentElement.lang = language;
}
