/** proxy-from-env ships no types; its one export, as its README documents it. */
declare module 'proxy-from-env' {
  /** The proxy for `url` from `*_PROXY`/`*_proxy`, or '' when none applies (NO_PROXY). */
  export function getProxyForUrl(url: string | URL): string
}
