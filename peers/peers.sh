#!/usr/bin/env bash
# Peer servers for the tests of the `paginate-peers` package (issue #5): independent
# implementations of AWS APIs that paginate did not write, run on 127.0.0.1.
#
#   peers/peers.sh install   install the pinned versions under target/peers (reused when present)
#   peers/peers.sh start     start every server on a port the OS picks, wait until each answers,
#                            write target/peers/endpoints.json for the tests
#   peers/peers.sh stop      stop exactly the processes `start` started (PID files)
#   peers/peers.sh status    say what is installed and what is running
#
# Servers: moto (PyPI `moto[server]`, DynamoDB/S3/Logs/SecretsManager, with boto3 in the same
# virtualenv as the tests' oracle), dynalite (npm, DynamoDB) and s3s-fs (crates.io, S3 over a
# directory). Set PAGINATE_PEERS_DIR to use another directory than target/peers.
set -euo pipefail

MOTO_VERSION=5.2.5
BOTO3_VERSION=1.44.8
# boto3 1.44.8 accepts any botocore 1.44.x and pip takes the newest (1.44.18 when this was
# written): pinned to 1.44.8, the version .ci/run loads every model from.
BOTOCORE_VERSION=1.44.8
DYNALITE_VERSION=4.0.0
# 0.14.1 is the newest s3s-fs that builds with rustc 1.95: 0.15.0 and later need rustc 1.96.
S3S_FS_VERSION=0.14.1
# s3s-fs checks SigV4 signatures against these; the tests sign with them (not a secret).
S3S_ACCESS_KEY=paginate-peers
S3S_SECRET_KEY=paginate-peers-secret

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${PAGINATE_PEERS_DIR:-$ROOT/target/peers}
VENV=$DIR/venv
NPM=$DIR/npm
RUN=$DIR/run
ENDPOINTS=$DIR/endpoints.json
STARTUP_SECONDS=${PAGINATE_PEERS_STARTUP_SECONDS:-120}

say() { printf 'peers: %s\n' "$*"; }
die() {
  printf 'peers: ERROR: %s\n' "$*" >&2
  exit 1
}

# ------------------------------------------------------------------------------- install

moto_installed() {
  [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/moto_server" ] &&
    [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"), m.version("boto3"), m.version("botocore"))' 2>/dev/null)" = "$MOTO_VERSION $BOTO3_VERSION $BOTOCORE_VERSION" ]
}

dynalite_installed() {
  [ -f "$NPM/node_modules/dynalite/package.json" ] &&
    [ "$(node -p 'require(process.argv[1]).version' "$NPM/node_modules/dynalite/package.json" 2>/dev/null)" = "$DYNALITE_VERSION" ]
}

s3s_fs_installed() {
  [ -x "$DIR/bin/s3s-fs" ] && [ "$("$DIR/bin/s3s-fs" --version 2>/dev/null)" = "s3s-fs $S3S_FS_VERSION" ]
}

install() {
  mkdir -p "$DIR"
  local start
  command -v python3 >/dev/null || die "python3 is needed to install moto and boto3 (PyPI)"
  command -v node >/dev/null && command -v npm >/dev/null || die "node (>= 20) and npm are needed to install dynalite"
  command -v cargo >/dev/null || die "cargo is needed to install s3s-fs"

  if moto_installed; then
    say "moto $MOTO_VERSION, boto3 $BOTO3_VERSION and botocore $BOTOCORE_VERSION: already in $VENV"
  else
    start=$SECONDS
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "moto[server]==$MOTO_VERSION" "boto3==$BOTO3_VERSION" "botocore==$BOTOCORE_VERSION"
    moto_installed || die "pip did not install moto $MOTO_VERSION, boto3 $BOTO3_VERSION and botocore $BOTOCORE_VERSION into $VENV"
    say "moto $MOTO_VERSION, boto3 $BOTO3_VERSION and botocore $BOTOCORE_VERSION: installed in $((SECONDS - start))s"
  fi

  if dynalite_installed; then
    say "dynalite $DYNALITE_VERSION: already in $NPM"
  else
    start=$SECONDS
    mkdir -p "$NPM"
    npm install --prefix "$NPM" --no-audit --no-fund --loglevel=error "dynalite@$DYNALITE_VERSION" >/dev/null
    dynalite_installed || die "npm did not install dynalite $DYNALITE_VERSION into $NPM"
    say "dynalite $DYNALITE_VERSION: installed in $((SECONDS - start))s"
  fi

  if s3s_fs_installed; then
    say "s3s-fs $S3S_FS_VERSION: already in $DIR/bin"
  else
    start=$SECONDS
    # --locked: the dependency versions s3s-fs was published with.
    cargo install --quiet --locked --force --root "$DIR" --version "$S3S_FS_VERSION" --features binary s3s-fs
    s3s_fs_installed || die "cargo did not install s3s-fs $S3S_FS_VERSION into $DIR/bin"
    say "s3s-fs $S3S_FS_VERSION: built and installed in $((SECONDS - start))s"
  fi
}

# --------------------------------------------------------------------------------- start

# Starts a server in the background with its output in $RUN/<name>.log and its PID in
# $RUN/<name>.pid. The command is the background job itself (`env` execs what it runs), so
# the PID is the server's own.
launch() {
  local name=$1
  shift
  "$@" >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

# Polls the log of server $1 until a line matches the extended regex $2, whose first
# parenthesised group is the port; prints the port. Fails if the server exits first.
read_port() {
  local name=$1 pattern=$2 pid port deadline=$((SECONDS + STARTUP_SECONDS))
  pid=$(cat "$RUN/$name.pid")
  while :; do
    port=$(sed -nE "s#.*$pattern.*#\\1#p" "$RUN/$name.log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || die "$name exited before listening; its log ($RUN/$name.log):
$(tail -n 20 "$RUN/$name.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "$name did not say which port it listens on within ${STARTUP_SECONDS}s; log: $RUN/$name.log"
    sleep 0.05
  done
  echo "$port"
}

# Polls until an HTTP request to server $1 gets a response with status $2; the rest of the
# arguments are curl's.
await_http() {
  local name=$1 want=$2 got pid deadline=$((SECONDS + STARTUP_SECONDS))
  shift 2
  pid=$(cat "$RUN/$name.pid")
  while :; do
    got=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 "$@" || true)
    [ "$got" = "$want" ] && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited before answering; its log ($RUN/$name.log):
$(tail -n 20 "$RUN/$name.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "$name did not answer HTTP $want within ${STARTUP_SECONDS}s (last: ${got:-no response}); log: $RUN/$name.log"
    sleep 0.05
  done
}

start() {
  command -v curl >/dev/null || die "curl is needed to poll the servers until they answer"
  moto_installed || die "moto $MOTO_VERSION / boto3 $BOTO3_VERSION / botocore $BOTOCORE_VERSION are not installed in $VENV: run \`peers/peers.sh install\`"
  dynalite_installed || die "dynalite $DYNALITE_VERSION is not installed in $NPM: run \`peers/peers.sh install\`"
  s3s_fs_installed || die "s3s-fs $S3S_FS_VERSION is not installed in $DIR/bin: run \`peers/peers.sh install\`"
  mkdir -p "$RUN"
  local name
  for name in moto dynalite s3s-fs; do
    if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
      die "$name is already running (PID $(cat "$RUN/$name.pid")): run \`peers/peers.sh stop\` first"
    fi
  done
  rm -f "$ENDPOINTS"
  # A server that fails to come up must not leave the others running.
  trap 'status=$?; [ "$status" -eq 0 ] || stop; exit "$status"' EXIT

  # moto: port 0, the real port read back from werkzeug's " * Running on http://127.0.0.1:PORT".
  launch moto "$VENV/bin/moto_server" -H 127.0.0.1 -p 0
  # dynalite's CLI treats `--port 0` as "no port" (4567), so its module is started directly
  # and prints the port the OS gave it. Tables are ACTIVE at once (no CREATING delay).
  launch dynalite env DYNALITE="$NPM/node_modules/dynalite" node -e '
    const server = require(process.env.DYNALITE)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
    server.listen(0, "127.0.0.1", () => console.log("dynalite listening on port " + server.address().port))
    process.on("SIGTERM", () => process.exit(0))'
  # s3s-fs: port 0, the real port read back from its log line "server is running at http://…".
  rm -rf "$DIR/s3s-fs-data"
  mkdir -p "$DIR/s3s-fs-data"
  launch s3s-fs env RUST_LOG=s3s_fs=info NO_COLOR=1 "$DIR/bin/s3s-fs" --host 127.0.0.1 --port 0 \
    --access-key "$S3S_ACCESS_KEY" --secret-key "$S3S_SECRET_KEY" "$DIR/s3s-fs-data"

  local moto_port dynalite_port s3s_port
  moto_port=$(read_port moto 'Running on http://127\.0\.0\.1:([0-9]+)')
  dynalite_port=$(read_port dynalite 'listening on port ([0-9]+)')
  s3s_port=$(read_port s3s-fs 'server is running at http://127\.0\.0\.1:([0-9]+)')

  # Ready means: answers a real request of the API.
  await_http moto 200 "http://127.0.0.1:$moto_port/moto-api/data.json"
  await_http dynalite 200 "http://127.0.0.1:$dynalite_port/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H "X-Amz-Date: $(date -u +%Y%m%dT%H%M%SZ)" \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=x/$(date -u +%Y%m%d)/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0" \
    --data '{}'
  await_http s3s-fs 200 "http://127.0.0.1:$s3s_port/" \
    --aws-sigv4 'aws:amz:us-east-1:s3' --user "$S3S_ACCESS_KEY:$S3S_SECRET_KEY" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

  cat >"$ENDPOINTS.tmp" <<EOF
{
  "moto": "http://127.0.0.1:$moto_port",
  "dynalite": "http://127.0.0.1:$dynalite_port",
  "s3s_fs": "http://127.0.0.1:$s3s_port",
  "s3s_fs_access_key": "$S3S_ACCESS_KEY",
  "s3s_fs_secret_key": "$S3S_SECRET_KEY",
  "python": "$VENV/bin/python",
  "versions": {"moto": "$MOTO_VERSION", "boto3": "$BOTO3_VERSION", "dynalite": "$DYNALITE_VERSION", "s3s-fs": "$S3S_FS_VERSION"}
}
EOF
  mv "$ENDPOINTS.tmp" "$ENDPOINTS"
  say "moto $MOTO_VERSION on http://127.0.0.1:$moto_port (PID $(cat "$RUN/moto.pid"))"
  say "dynalite $DYNALITE_VERSION on http://127.0.0.1:$dynalite_port (PID $(cat "$RUN/dynalite.pid"))"
  say "s3s-fs $S3S_FS_VERSION on http://127.0.0.1:$s3s_port (PID $(cat "$RUN/s3s-fs.pid"))"
  say "endpoints: $ENDPOINTS"
  trap - EXIT
}

# ---------------------------------------------------------------------------------- stop

# Stops the process in $RUN/$1.pid if it is still the one `start` launched (its command line
# contains $2), waiting for it to exit; then removes the PID file.
stop_one() {
  local name=$1 marker=$2 pid deadline
  [ -f "$RUN/$name.pid" ] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      say "$name (PID $pid) did not stop on SIGTERM within 10s: killed"
    else
      say "$name (PID $pid) stopped"
    fi
  fi
  rm -f "$RUN/$name.pid"
}

stop() {
  stop_one moto moto_server
  stop_one dynalite DYNALITE
  stop_one s3s-fs "$DIR/bin/s3s-fs"
  rm -f "$ENDPOINTS"
}

status() {
  moto_installed && say "moto $MOTO_VERSION + boto3 $BOTO3_VERSION + botocore $BOTOCORE_VERSION installed" || say "moto/boto3 not installed"
  dynalite_installed && say "dynalite $DYNALITE_VERSION installed" || say "dynalite not installed"
  s3s_fs_installed && say "s3s-fs $S3S_FS_VERSION installed" || say "s3s-fs not installed"
  local name
  for name in moto dynalite s3s-fs; do
    if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
      say "$name running (PID $(cat "$RUN/$name.pid"))"
    else
      say "$name not running"
    fi
  done
  [ -f "$ENDPOINTS" ] && cat "$ENDPOINTS" || true
}

case "${1:-}" in
install) install ;;
start) start ;;
stop) stop ;;
status) status ;;
*) die "usage: $0 install|start|stop|status" ;;
esac
