/**
 * The helm release the action installs when no `helm-version` is given, and the SHA-256 digests of its
 * archives as the helm project published them in the release notes of v4.1.4
 * (https://github.com/helm/helm/releases/tag/v4.1.4, "Installation and Upgrading").
 *
 * A download of this version must match both the mirror's `.sha256sum` and these digests: a mirror
 * (`helm-download-base-url`) that serves a tampered archive together with a matching checksum file is
 * still refused. Bump the version and all six digests together.
 */
export const PINNED_HELM_VERSION = '4.1.4'

/** Keyed by `<os>-<arch>` as helm names its archives. */
export const PINNED_HELM_ARCHIVE_DIGESTS: Readonly<Record<string, string>> = {
  'linux-amd64': '70b2c30a19da4db264dfd68c8a3664e05093a361cefd89572ffb36f8abfa3d09',
  'linux-arm64': '13d03672be289045d2ff00e4e345d61de1c6f21c1257a45955a30e8ae036d8f1',
  'darwin-amd64': 'abf09c8503ad1d8ef76d3737a058c3456a998aae5f5966fce4bb3031aeb1654e',
  'darwin-arm64': '7c2eca678e8001fa863cdf8cbf6ac1b3799f9404a89eb55c08260ef5732e658d',
  'windows-amd64': 'bd60f567f667631a2c9b698dfabe5e3cd52eaaf4264163c0a9cae566db8560e8',
  'windows-arm64': 'd0a651026da4a26b28bdfc3d455ce3dfacbc267182dc2225c2172b1dcc549643'
}
