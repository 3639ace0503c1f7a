/** Query parameters that carry secrets: emailed-link tokens, API keys, signatures. */
const SECRET_PARAMS = /^(token|key|sig|api_key|_csrf)$/i;
/** Paths whose last part is an emailed-link token. */
const SECRET_PATHS = [/^(\/account\/reset\/)[^/?#]+/, /^(\/account\/sign-in\/link\/)[^/?#]+/];

/**
 * A URL as logs may keep it: secrets in the query and in token paths replaced by [redacted],
 * so a log reader cannot reset a password, sign in, or use an API key.
 */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split(/\?(.*)/s);
  let safe = path;
  for (const pattern of SECRET_PATHS) safe = safe.replace(pattern, '$1[redacted]');
  if (query === undefined) return safe;
  const params = query
    .split('&')
    .map((pair) => {
      const [name = '', value] = pair.split(/=(.*)/s);
      return value !== undefined && SECRET_PARAMS.test(decodeURIComponentSafe(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${safe}?${params}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
