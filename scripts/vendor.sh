#!/usr/bin/env bash
# Refresh the vendored front-end files in static/vendor/ from the npm registry.
#
# Tidlig serves every asset itself (no CDN): the design system (DKFDS) and htmx are
# fetched as the exact tarballs npm publishes, unpacked, and the files the pages use
# are copied in. Run it again with other versions to upgrade:
#
#   DKFDS_VERSION=11.2.0 HTMX_VERSION=2.0.11 scripts/vendor.sh
#
# Needs npm, tar, openssl and base64. Safe to run twice: the old copy is removed first.
set -euo pipefail

DKFDS_VERSION="${DKFDS_VERSION:-11.2.0}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

integrity() {
    # The same "sha512-<base64>" string npm records in package-lock files.
    echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
}

fetch() {
    # fetch <package> <version> <folder>: npm pack the tarball and unpack it into WORK/<folder>
    local name="$1" version="$2" folder="$3" tarball
    tarball="$WORK/$(cd "$WORK" && npm pack --silent "$name@$version" | tail -n 1)"
    mkdir -p "$WORK/$folder"
    tar -xzf "$tarball" -C "$WORK/$folder" --strip-components=1
    echo "$tarball"
}

dkfds_tgz="$(fetch dkfds "$DKFDS_VERSION" dkfds)"
htmx_tgz="$(fetch htmx.org "$HTMX_VERSION" htmx)"

rm -rf "$VENDOR/dkfds" "$VENDOR/htmx"
mkdir -p "$VENDOR/dkfds/css" "$VENDOR/dkfds/js" "$VENDOR/dkfds/fonts/IBMPlexSans/complete" "$VENDOR/htmx"

src="$WORK/dkfds/dist"
# The source maps come along because the minified files name them in a
# sourceMappingURL comment, which ManifestStaticFilesStorage resolves too.
cp "$src/css/dkfds.min.css" "$src/css/dkfds.min.css.map" "$VENDOR/dkfds/css/"
cp "$src/js/dkfds.min.js" "$src/js/dkfds.min.js.map" "$VENDOR/dkfds/js/"
for format in woff woff2 eot ttf; do
    cp -R "$src/fonts/IBMPlexSans/complete/$format" "$VENDOR/dkfds/fonts/IBMPlexSans/complete/"
done
cp -R "$src/img" "$VENDOR/dkfds/img"
cp "$WORK/dkfds/LICENSE.md" "$VENDOR/dkfds/LICENSE.md"

cp "$WORK/htmx/dist/htmx.min.js" "$VENDOR/htmx/"
cp "$WORK/htmx/LICENSE" "$VENDOR/htmx/LICENSE"

# ManifestStaticFilesStorage refuses to build when the CSS points at a missing file,
# so check every url(...) here rather than at deploy time.
missing=0
while read -r ref; do
    path="${ref%%[?#]*}"
    if [ ! -f "$VENDOR/dkfds/css/$path" ]; then
        echo "missing: dkfds.min.css references $ref" >&2
        missing=1
    fi
done < <(grep -o 'url([^)]*)' "$VENDOR/dkfds/css/dkfds.min.css" \
    | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' \
    | grep -v -E '^(data:|#|https?:)' | sort -u)
if [ "$missing" -ne 0 ]; then
    echo "static/vendor is incomplete; copy the files above too" >&2
    exit 1
fi

cat > "$VENDOR/VERSIONS.txt" <<VERSIONS
# Vendored front-end packages, fetched with scripts/vendor.sh from the npm registry.
# Integrity is the sha512 of the npm tarball, as in package-lock.json.
dkfds $DKFDS_VERSION $(integrity "$dkfds_tgz")
htmx.org $HTMX_VERSION $(integrity "$htmx_tgz")
VERSIONS

echo "Vendored dkfds $DKFDS_VERSION and htmx.org $HTMX_VERSION into static/vendor/"
