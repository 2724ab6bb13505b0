# shellcheck shell=bash
# Shared set-up for the developer scripts: finds (or fetches) Odoo 18, installs
# what is missing, finds (or starts) PostgreSQL, and cleans up on exit.
#
# Source it from a script under scripts/ (or .ci/); it works from any current
# directory. Environment variables it honours:
#   ODOO_SRC               Odoo 18 source checkout to use (skips discovery)
#   PYTHON                 Python interpreter (default: python3)
#   AFTERSALES_CACHE_DIR   cache for downloads, tools, private PostgreSQL
#                          (default: ${XDG_CACHE_HOME:-$HOME/.cache}/aftersales_service)
#   AFTERSALES_PG          auto (default) | running | private
#                          auto: use a running server, else start a private one
#   AFTERSALES_PG_DIR      directory of the private PostgreSQL cluster
#   AFTERSALES_EXTRA_ADDONS extra addons directories (comma-separated)
#   AFTERSALES_ODOO_ARCHIVE_URL  Odoo 18.0 source archive to try before the
#                          official ones when Odoo must be downloaded
#   PGHOST/PGPORT/PGUSER   a running PostgreSQL server to use

# Globals set here are read by the sourcing scripts:
# shellcheck disable=SC2034

if [[ -n "${_AFTERSALES_COMMON_LOADED:-}" ]]; then
    return 0
fi
_AFTERSALES_COMMON_LOADED=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPTS_DIR="$REPO_ROOT/scripts"
ADDON_NAME="aftersales_service"
ODOO_SERIES="18.0"
ODOO_MAJOR=18
PYTHON="${PYTHON:-python3}"
CACHE_DIR="${AFTERSALES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aftersales_service}"
SCRIPT_NAME="$(basename "${0:-aftersales}")"

# Official Odoo 18.0 source archives, tried in order (AFTERSALES_ODOO_ARCHIVE_URL,
# e.g. a local mirror, is tried first when set).
ODOO_ARCHIVE_URLS=(
    ${AFTERSALES_ODOO_ARCHIVE_URL:+"$AFTERSALES_ODOO_ARCHIVE_URL"}
    "https://nightly.odoo.com/${ODOO_SERIES}/nightly/src/odoo_${ODOO_SERIES}.latest.tar.gz"
    "https://github.com/odoo/odoo/archive/refs/heads/${ODOO_SERIES}.tar.gz"
)

# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------
log() { printf '[%s] %s\n' "$SCRIPT_NAME" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
    printf '[%s] FATAL: %s\n' "$SCRIPT_NAME" "$*" >&2
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ "$(id -u)" == 0 ]]; }

# ---------------------------------------------------------------------------
# Cleanup: every started process registers a cleanup step; the steps run once,
# newest first, on normal exit, error, Ctrl-C or TERM, so no server is left.
# ---------------------------------------------------------------------------
_CLEANUP_STEPS=()
_CLEANUP_DONE=""

add_cleanup() { _CLEANUP_STEPS+=("$*"); }

run_cleanup() {
    [[ -n "$_CLEANUP_DONE" ]] && return 0
    _CLEANUP_DONE=1
    local i
    for ((i = ${#_CLEANUP_STEPS[@]} - 1; i >= 0; i--)); do
        eval "${_CLEANUP_STEPS[i]}" || true
    done
}

# Scripts may define on_exit_hook (called after cleanup, with the exit code).
_on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    run_cleanup
    if declare -F on_exit_hook >/dev/null; then
        on_exit_hook "$rc" || true
    fi
    exit "$rc"
}
_on_signal() {
    log "interrupted, cleaning up"
    exit "$1"
}
trap _on_exit EXIT
trap '_on_signal 130' INT
trap '_on_signal 143' TERM

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

port_in_use() {
    "$PYTHON" -c 'import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}

# Download URL to FILE with whatever client exists.
download() {
    local url="$1" out="$2"
    if have curl; then
        curl -fsSL --retry 2 --connect-timeout 20 -o "$out" "$url"
    elif have wget; then
        wget -q -T 20 -t 2 -O "$out" "$url"
    else
        "$PYTHON" -c 'import sys, urllib.request
urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$out"
    fi
}

# ---------------------------------------------------------------------------
# Debian packages: installed only when missing, and only when we may (root with
# apt-get); otherwise say exactly which package is missing.
# ---------------------------------------------------------------------------
_APT_UPDATED=""

can_apt_install() { is_root && have apt-get; }

apt_install() {
    if ! can_apt_install; then
        return 1
    fi
    if [[ -z "$_APT_UPDATED" ]]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
        _APT_UPDATED=1
    fi
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

deb_installed() {
    have dpkg-query &&
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_package_for_command DEBIAN_PACKAGE COMMAND [COMMAND...]
# Succeeds when one of the commands exists (installing the package if needed).
ensure_package_for_command() {
    local pkg="$1" cmd
    shift
    for cmd in "$@"; do have "$cmd" && return 0; done
    if apt_install "$pkg"; then
        for cmd in "$@"; do have "$cmd" && return 0; done
    fi
    warn "missing command '$1': install the Debian package '$pkg' (apt-get install $pkg)"
    return 1
}

# ensure_deb_package DEBIAN_PACKAGE: for packages without a command (libraries, fonts).
ensure_deb_package() {
    local pkg="$1"
    if ! have dpkg-query; then
        return 0 # not a Debian-like system: nothing we can check
    fi
    deb_installed "$pkg" && return 0
    apt_install "$pkg" && deb_installed "$pkg" && return 0
    warn "missing Debian package '$pkg' (apt-get install $pkg)"
    return 1
}

find_chrome() {
    # Same names, same order as odoo.tests.common._find_executable on Linux.
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        if have "$bin"; then
            command -v "$bin"
            return 0
        fi
    done
    return 1
}

# Chinese fonts are needed for zh_CN PDF reports.
ensure_cjk_fonts() {
    if have fc-list && [[ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]]; then
        return 0
    fi
    ensure_deb_package fonts-noto-cjk
}

# Tools Odoo uses at run time: PDF reports (wkhtmltopdf, CJK fonts) and PDF
# text extraction (pdftotext). Missing ones are reported, not fatal.
ensure_runtime_tools() {
    ensure_package_for_command wkhtmltopdf wkhtmltopdf || true
    ensure_package_for_command poppler-utils pdftotext || true
    ensure_cjk_fonts || true
}

# Browser tours need Chromium and the websocket-client Python package;
# without them Odoo skips those tests.
ensure_browser_test_tools() {
    if ! find_chrome >/dev/null; then
        ensure_package_for_command chromium chromium || true
    fi
    ensure_python_module websocket websocket-client || true
}

# ---------------------------------------------------------------------------
# Python packages
# ---------------------------------------------------------------------------
_pip_extra_flags() {
    # Debian-style "externally managed" interpreters refuse pip outside a venv.
    "$PYTHON" - <<'EOF'
import os, sys, sysconfig
in_venv = sys.prefix != sys.base_prefix
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
if not in_venv and os.path.exists(marker):
    print("--break-system-packages")
EOF
}

pip_install() {
    local flags
    flags="$(_pip_extra_flags)"
    log "pip install $*"
    # shellcheck disable=SC2086 # flags is empty or one word
    "$PYTHON" -m pip install --disable-pip-version-check -q $flags "$@" >&2
}

# ensure_python_module IMPORT_NAME PYPI_NAME
ensure_python_module() {
    local module="$1" dist="$2"
    "$PYTHON" -c "import $module" >/dev/null 2>&1 && return 0
    pip_install "$dist" || true
    "$PYTHON" -c "import $module" >/dev/null 2>&1 && return 0
    warn "Python package '$dist' is missing and could not be installed ($PYTHON -m pip install $dist)"
    return 1
}

# ---------------------------------------------------------------------------
# Odoo 18 discovery
# Sets ODOO_SRC (may be empty when Odoo comes from the Python environment),
# ODOO_PKG_DIR (the 'odoo' package), ODOO_ADDONS_PATHS, ODOO_REQUIREMENTS.
# ---------------------------------------------------------------------------
ODOO_SRC="${ODOO_SRC:-}"
ODOO_PKG_DIR=""
ODOO_ADDONS_PATHS=""
ODOO_REQUIREMENTS=""

# Major version read from odoo/release.py without importing odoo (which would
# fail while its dependencies are not installed yet).
_odoo_major_of() {
    "$PYTHON" - "$1/release.py" <<'EOF' 2>/dev/null
import sys
ns = {}
with open(sys.argv[1]) as f:
    exec(compile(f.read(), sys.argv[1], "exec"), ns)
print(ns["version_info"][0])
EOF
}

_use_odoo_source() {
    local src="$1"
    ODOO_SRC="$(cd "$src" && pwd)"
    ODOO_PKG_DIR="$ODOO_SRC/odoo"
    ODOO_ADDONS_PATHS="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons"
    ODOO_REQUIREMENTS="$ODOO_SRC/requirements.txt"
    export ODOO_SRC
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
}

_odoo_from_source_var() {
    [[ -f "$ODOO_SRC/odoo/release.py" ]] ||
        die "ODOO_SRC=$ODOO_SRC is not an Odoo source checkout (no odoo/release.py there)."
    local major
    major="$(_odoo_major_of "$ODOO_SRC/odoo")"
    [[ "$major" == "$ODOO_MAJOR" ]] ||
        die "ODOO_SRC=$ODOO_SRC holds Odoo ${major:-of unknown version}, Odoo $ODOO_SERIES is required."
    _use_odoo_source "$ODOO_SRC"
    log "Odoo $ODOO_SERIES from ODOO_SRC=$ODOO_SRC"
}

_odoo_from_python_env() {
    local pkg major
    pkg="$("$PYTHON" -c 'import importlib.util as u
s = u.find_spec("odoo")
print(list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else "")' 2>/dev/null)" || return 1
    [[ -n "$pkg" && -f "$pkg/release.py" ]] || return 1
    major="$(_odoo_major_of "$pkg")"
    if [[ "$major" != "$ODOO_MAJOR" ]]; then
        log "the Python environment has Odoo ${major:-?} at $pkg, not $ODOO_SERIES: ignoring it"
        return 1
    fi
    ODOO_PKG_DIR="$pkg"
    ODOO_ADDONS_PATHS="$pkg/addons"
    if [[ -d "$pkg/../addons" ]]; then
        ODOO_ADDONS_PATHS="$(cd "$pkg/../addons" && pwd),$ODOO_ADDONS_PATHS"
    fi
    if [[ -f "$pkg/../requirements.txt" ]]; then
        ODOO_REQUIREMENTS="$(cd "$pkg/.." && pwd)/requirements.txt"
    fi
    log "Odoo $ODOO_SERIES from the Python environment ($pkg)"
}

_odoo_from_download() {
    local dest="$CACHE_DIR/odoo-$ODOO_SERIES"
    if [[ -f "$dest/odoo/release.py" && "$(_odoo_major_of "$dest/odoo")" == "$ODOO_MAJOR" ]]; then
        _use_odoo_source "$dest"
        log "Odoo $ODOO_SERIES from the cache ($dest)"
        return 0
    fi
    mkdir -p "$CACHE_DIR"
    local tmp url
    tmp="$(mktemp -d "$CACHE_DIR/odoo-download.XXXXXX")"
    for url in "${ODOO_ARCHIVE_URLS[@]}"; do
        log "downloading Odoo $ODOO_SERIES source from $url"
        rm -rf "$tmp/src" && mkdir -p "$tmp/src"
        if download "$url" "$tmp/odoo.tar.gz" &&
            tar -xzf "$tmp/odoo.tar.gz" -C "$tmp/src" --strip-components=1 &&
            [[ -f "$tmp/src/odoo/release.py" ]]; then
            rm -rf "$dest"
            mv "$tmp/src" "$dest"
            rm -rf "$tmp"
            _use_odoo_source "$dest"
            log "Odoo $ODOO_SERIES source unpacked into $dest"
            return 0
        fi
        warn "could not download $url"
    done
    rm -rf "$tmp"
    return 1
}

find_odoo() {
    if [[ -n "$ODOO_SRC" ]]; then
        _odoo_from_source_var
    elif _odoo_from_python_env; then
        :
    elif _odoo_from_download; then
        :
    else
        die "Odoo $ODOO_SERIES not found: it is not importable by $PYTHON, ODOO_SRC is not set," \
            "and its source could not be downloaded (${ODOO_ARCHIVE_URLS[*]})." \
            "Provide a checkout of the $ODOO_SERIES branch and run again with ODOO_SRC=/path/to/odoo" \
            "(the directory holding odoo-bin, odoo/ and addons/)."
    fi
    export ODOO_ADDONS_PATHS
}

# ---------------------------------------------------------------------------
# Odoo's Python dependencies: installed only when odoo cannot be imported.
# ---------------------------------------------------------------------------
_ODOO_IMPORT_CHECK='import odoo.service.server, psycopg2, lxml, werkzeug, reportlab, babel'

check_python_version() {
    "$PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' ||
        die "Odoo $ODOO_SERIES needs Python 3.10 to 3.13; $PYTHON is $("$PYTHON" -V 2>&1)." \
            "Point PYTHON=/path/to/python3.x at a suitable interpreter."
}

ensure_odoo_python_deps() {
    check_python_version
    if "$PYTHON" -c "$_ODOO_IMPORT_CHECK" >/dev/null 2>&1; then
        return 0
    fi
    log "Odoo's Python dependencies are missing: installing them"
    [[ -n "$ODOO_REQUIREMENTS" && -f "$ODOO_REQUIREMENTS" ]] ||
        die "cannot install Odoo's Python dependencies: no requirements.txt next to $ODOO_PKG_DIR." \
            "Install them yourself or use a full source checkout via ODOO_SRC=/path/to/odoo."
    # Headers needed to build psycopg2 and python-ldap from source.
    ensure_package_for_command libpq-dev pg_config || true
    ensure_deb_package libldap2-dev || true
    ensure_deb_package libsasl2-dev || true
    pip_install 'setuptools<70' wheel setuptools_scm ||
        die "pip could not install setuptools/wheel/setuptools_scm into $PYTHON"
    pip_install --no-build-isolation -r "$ODOO_REQUIREMENTS" ||
        die "pip could not install $ODOO_REQUIREMENTS (see the errors above; build headers" \
            "come from the Debian packages libpq-dev libldap2-dev libsasl2-dev)."
    local err
    if ! err="$("$PYTHON" -c "$_ODOO_IMPORT_CHECK" 2>&1)"; then
        die "Odoo still cannot be imported after installing its requirements: ${err##*$'\n'}"
    fi
}

# ---------------------------------------------------------------------------
# PostgreSQL
# Sets DB_HOST (host name or socket directory; empty = libpq default socket),
# DB_PORT, DB_USER and PSQL=(psql ...connection args...; add -d DATABASE).
# ---------------------------------------------------------------------------
DB_HOST=""
DB_PORT=""
DB_USER=""
PSQL=()
PG_PRIVATE_DATA=""
PG_OWNER=""
PG_BINDIR=""

# The role Odoo connects as: PGUSER, else the current user. Odoo refuses to
# run as 'postgres', so that name is never used for it.
_odoo_db_role() {
    local role="${PGUSER:-}"
    if [[ -z "$role" || "$role" == postgres ]]; then
        role="$(id -un)"
    fi
    if [[ "$role" == postgres ]]; then
        role=odoo
    fi
    printf '%s\n' "$role"
}

# _psql_cmd HOST PORT USER: fills the array _CMD (add "-d DATABASE" to use it).
_psql_cmd() {
    _CMD=(psql -X -q -v ON_ERROR_STOP=1)
    [[ -n "$1" ]] && _CMD+=(-h "$1")
    [[ -n "$2" ]] && _CMD+=(-p "$2")
    [[ -n "$3" ]] && _CMD+=(-U "$3")
    return 0
}

_pg_reachable() {
    local args=(-q -t 3)
    [[ -n "$1" ]] && args+=(-h "$1")
    [[ -n "$2" ]] && args+=(-p "$2")
    if have pg_isready; then
        pg_isready "${args[@]}" >/dev/null 2>&1
    else
        _psql_cmd "$1" "$2" ""
        PGCONNECT_TIMEOUT=3 "${_CMD[@]}" -d postgres -Atc 'select 1' >/dev/null 2>&1
    fi
}

# Run SQL as a PostgreSQL superuser on HOST PORT: the 'postgres' role over the
# network/socket, or (when root) the postgres OS user through peer auth.
_pg_admin_sql() {
    local host="$1" port="$2" sql="$3"
    _psql_cmd "$host" "$port" postgres
    if PGCONNECT_TIMEOUT=3 "${_CMD[@]}" -d postgres -Atc "$sql" >/dev/null 2>&1; then
        return 0
    fi
    if is_root && id postgres >/dev/null 2>&1 && [[ -z "$host" || "$host" == /* ]]; then
        _psql_cmd "$host" "$port" ""
        (cd / && _run_as_user postgres "${_CMD[@]}" -d postgres -Atc "$sql") >/dev/null 2>&1 && return 0
    fi
    return 1
}

# Make sure ROLE can log in and create databases on HOST PORT.
_pg_role_ok() {
    local ok
    _psql_cmd "$1" "$2" "$3"
    ok="$(PGCONNECT_TIMEOUT=3 "${_CMD[@]}" -d postgres -Atc \
        'select rolcreatedb or rolsuper from pg_roles where rolname = current_user' 2>/dev/null)" || ok=""
    printf '%s\n' "$ok"
}

_pg_ensure_role() {
    local host="$1" port="$2" role="$3" ok
    ok="$(_pg_role_ok "$host" "$port" "$role")"
    [[ "$ok" == t ]] && return 0
    local q_role="\"${role//\"/\"\"}\""
    if [[ -z "$ok" ]]; then
        log "creating PostgreSQL role '$role' (LOGIN CREATEDB)"
        _pg_admin_sql "$host" "$port" "CREATE ROLE $q_role LOGIN CREATEDB" || return 1
    else
        log "granting CREATEDB to PostgreSQL role '$role'"
        _pg_admin_sql "$host" "$port" "ALTER ROLE $q_role CREATEDB" || return 1
    fi
    [[ "$(_pg_role_ok "$host" "$port" "$role")" == t ]]
}

_pg_use() {
    DB_HOST="$1"
    DB_PORT="$2"
    DB_USER="$3"
    _psql_cmd "$DB_HOST" "$DB_PORT" "$DB_USER"
    PSQL=("${_CMD[@]}")
}

_PG_TRIED=""
_pg_try_running() {
    local role candidates=() c host port
    role="$(_odoo_db_role)"
    if [[ -n "${PGHOST:-}${PGPORT:-}" ]]; then
        candidates=("${PGHOST:-}|${PGPORT:-}")
    else
        candidates=("127.0.0.1|5432" "|")
    fi
    _PG_TRIED=""
    for c in "${candidates[@]}"; do
        host="${c%%|*}"
        port="${c#*|}"
        _PG_TRIED+="${_PG_TRIED:+, }${host:-default socket}${port:+:$port}"
        _pg_reachable "$host" "$port" || continue
        if _pg_ensure_role "$host" "$port" "$role"; then
            _pg_use "$host" "$port" "$role"
            log "PostgreSQL: running server at ${host:-default socket}${port:+:$port}, role '$role'"
            return 0
        fi
        warn "PostgreSQL at ${host:-default socket}${port:+:$port} answers, but role '$role'" \
            "cannot log in with CREATEDB and could not be created (set PGUSER/PGPASSWORD)."
    done
    return 1
}

# --- private cluster -------------------------------------------------------

_run_as_user() {
    local user="$1"
    shift
    if [[ "$user" == "$(id -un)" ]]; then
        "$@"
    elif have runuser; then
        runuser -u "$user" -- "$@"
    else
        su -s /bin/bash "$user" -c "$(printf '%q ' "$@")"
    fi
}

_pg_as_owner() { (cd / && _run_as_user "$PG_OWNER" "$@"); }

_pg_find_bindir() {
    local d real
    if have initdb; then
        real="$(readlink -f "$(command -v initdb)")"
        d="$(dirname "$real")"
        if [[ -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            PG_BINDIR="$d"
            return 0
        fi
    fi
    # Debian layout, newest version first.
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            PG_BINDIR="$d"
            return 0
        fi
    done
    return 1
}

# initdb/pg_ctl refuse to run as root: use the postgres OS user then.
_pg_pick_owner() {
    if ! is_root; then
        PG_OWNER="$(id -un)"
    elif id postgres >/dev/null 2>&1; then
        PG_OWNER=postgres
    elif id nobody >/dev/null 2>&1; then
        PG_OWNER=nobody
    else
        die "running as root and there is no 'postgres' (or 'nobody') user to run a private PostgreSQL."
    fi
}

_pg_owner_can_use() { _pg_as_owner test -w "$1" -a -x "$1" 2>/dev/null; }

_pg_private_dir() {
    local dir="${AFTERSALES_PG_DIR:-$CACHE_DIR/postgres}"
    mkdir -p "$dir"
    is_root && chown "$PG_OWNER" "$dir"
    if _pg_owner_can_use "$dir"; then
        printf '%s\n' "$(cd "$dir" && pwd)"
        return 0
    fi
    [[ -n "${AFTERSALES_PG_DIR:-}" ]] &&
        die "AFTERSALES_PG_DIR=$dir is not usable by the user '$PG_OWNER' that runs PostgreSQL."
    # e.g. a cache in root's home, which the postgres user cannot enter.
    rmdir "$dir" 2>/dev/null || true
    dir="${TMPDIR:-/tmp}/aftersales_service-postgres-$PG_OWNER"
    mkdir -p "$dir"
    is_root && chown "$PG_OWNER" "$dir"
    chmod 700 "$dir"
    _pg_owner_can_use "$dir" ||
        die "no directory usable by '$PG_OWNER' for a private PostgreSQL; set AFTERSALES_PG_DIR."
    printf '%s\n' "$dir"
}

# One run at a time per private cluster: a second run waits for the first
# (the lock is released when this script exits).
_PG_LOCK_FD=""
_pg_lock() {
    have flock || return 0
    exec {_PG_LOCK_FD}>>"$1/.lock"
    if ! flock -n "$_PG_LOCK_FD"; then
        log "another run uses the private PostgreSQL in $1: waiting for it to finish"
        flock "$_PG_LOCK_FD"
    fi
}

# _pg_start_server DATA LOGFILE SERVER_OPTIONS
_pg_start_server() {
    local cmd=("$PG_BINDIR/pg_ctl" -D "$1" -l "$2" -w -t 60 -o "$3" start)
    if [[ -n "$_PG_LOCK_FD" ]]; then
        # The server must not inherit the lock, or a stray server would hold it.
        _pg_as_owner "${cmd[@]}" >/dev/null {_PG_LOCK_FD}>&-
    else
        _pg_as_owner "${cmd[@]}" >/dev/null
    fi
}

start_private_postgres() {
    if ! _pg_find_bindir; then
        if can_apt_install; then
            apt_install postgresql || true
            # The package may start its own server: prefer it when it does.
            if [[ "${AFTERSALES_PG:-auto}" != private ]] && _pg_try_running; then
                return 0
            fi
        fi
        _pg_find_bindir ||
            die "no running PostgreSQL server and no PostgreSQL server binaries (initdb, pg_ctl)" \
                "on PATH or under /usr/lib/postgresql/*/bin. Install the Debian package 'postgresql'," \
                "or point PGHOST/PGPORT/PGUSER at a running server."
    fi
    _pg_pick_owner
    local dir data sock port
    dir="$(_pg_private_dir)"
    data="$dir/data"
    sock="$dir/run"
    _pg_as_owner mkdir -p "$sock"
    _pg_lock "$dir"
    if [[ ! -f "$data/PG_VERSION" ]]; then
        log "initialising a private PostgreSQL cluster in $data"
        _pg_as_owner "$PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust \
            --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
            die "initdb failed, see $dir/initdb.log"
    fi
    # A server left behind by a killed earlier run would hold the data dir.
    if _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        log "stopping a private PostgreSQL left running by an earlier run"
        _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    port="$(free_port)"
    # Unix socket only (no TCP listener); fsync off: this is a throwaway dev cluster.
    log "starting the private PostgreSQL (socket $sock, port $port)"
    _pg_start_server "$data" "$dir/postgres.log" \
        "-p $port -k $sock -c listen_addresses='' -c fsync=off -c full_page_writes=off" ||
        die "the private PostgreSQL did not start, see $dir/postgres.log"
    PG_PRIVATE_DATA="$data"
    add_cleanup stop_private_postgres
    local role
    role="$(_odoo_db_role)"
    _pg_ensure_role "$sock" "$port" "$role" ||
        die "could not create the role '$role' in the private PostgreSQL"
    _pg_use "$sock" "$port" "$role"
    log "PostgreSQL: private cluster in $data, role '$role'"
}

stop_private_postgres() {
    [[ -n "$PG_PRIVATE_DATA" ]] || return 0
    log "stopping the private PostgreSQL"
    _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_PRIVATE_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 ||
        _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_PRIVATE_DATA" -m immediate -w stop >/dev/null 2>&1 ||
        warn "could not stop the private PostgreSQL in $PG_PRIVATE_DATA"
    PG_PRIVATE_DATA=""
}

find_postgres() {
    if ! have psql; then
        ensure_package_for_command postgresql-client psql ||
            die "psql is missing: install the Debian package 'postgresql-client'."
    fi
    case "${AFTERSALES_PG:-auto}" in
        auto)
            _pg_try_running && return 0
            log "no usable running PostgreSQL server (tried $_PG_TRIED): starting a private one"
            start_private_postgres
            ;;
        running)
            _pg_try_running ||
                die "no usable running PostgreSQL server (tried $_PG_TRIED)." \
                    "Start one, set PGHOST/PGPORT/PGUSER, or use AFTERSALES_PG=auto."
            ;;
        private) start_private_postgres ;;
        *) die "AFTERSALES_PG must be auto, running or private (got '${AFTERSALES_PG}')" ;;
    esac
}

# --- databases ---------------------------------------------------------------

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

db_exists() {
    [[ "$("${PSQL[@]}" -d postgres -Atc "select 1 from pg_database where datname = $(sql_literal "$1")")" == 1 ]]
}

# db_query DB SQL: one value (empty on error, e.g. not an Odoo database).
db_query() {
    "${PSQL[@]}" -d "$1" -Atc "$2" 2>/dev/null || true
}

# Drop DB (closing its connections first) and its Odoo filestore.
db_drop() {
    local db="$1" data_dir="${2:-}"
    if db_exists "$db"; then
        log "dropping database $db"
        "${PSQL[@]}" -d postgres -Atc "select pg_terminate_backend(pid) from pg_stat_activity
            where datname = $(sql_literal "$db") and pid <> pg_backend_pid()" >/dev/null 2>&1 || true
        "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"${db//\"/\"\"}\"" >/dev/null ||
            warn "could not drop database $db"
    fi
    if [[ -n "$data_dir" && -d "$data_dir/filestore/$db" ]]; then
        rm -rf "${data_dir:?}/filestore/$db"
    fi
}

# ---------------------------------------------------------------------------
# Running Odoo
# ---------------------------------------------------------------------------

# Addons path: this repository, extra directories, then Odoo's own addons.
odoo_addons_path() {
    local path="$REPO_ROOT"
    if [[ -n "${AFTERSALES_EXTRA_ADDONS:-}" ]]; then
        path="$path,$AFTERSALES_EXTRA_ADDONS"
    fi
    printf '%s,%s\n' "$path" "$ODOO_ADDONS_PATHS"
}

# odoo_base_args CONFIG_FILE DATA_DIR: fills ODOO_ARGS with the options every
# run shares. A generated config file keeps a personal ~/.odoorc out of the way.
odoo_base_args() {
    local conf="$1" data_dir="$2"
    mkdir -p "$(dirname "$conf")" "$data_dir"
    cat >"$conf" <<EOF
[options]
without_demo = False
list_db = False
EOF
    ODOO_ARGS=(-c "$conf" --addons-path="$(odoo_addons_path)" --data-dir="$data_dir"
        --db_user="$DB_USER" --http-interface="${HTTP_INTERFACE:-127.0.0.1}")
    [[ -n "$DB_HOST" ]] && ODOO_ARGS+=(--db_host="$DB_HOST")
    [[ -n "$DB_PORT" ]] && ODOO_ARGS+=(--db_port="$DB_PORT")
    return 0
}

ODOO_PID=""

# start_odoo LOGFILE ARGS...: start Odoo in the background, in its own process
# group (so Chromium children die with it). LOGFILE "-" keeps the output on
# the terminal. Sets ODOO_PID.
start_odoo() {
    local logfile="$1"
    shift
    local launcher=()
    have setsid && launcher=(setsid)
    if [[ "$logfile" == - ]]; then
        "${launcher[@]}" "$PYTHON" -m odoo "$@" &
    else
        "${launcher[@]}" "$PYTHON" -m odoo "$@" >"$logfile" 2>&1 &
    fi
    ODOO_PID=$!
    add_cleanup stop_odoo
}

# wait_odoo: wait for the Odoo started by start_odoo; sets ODOO_RC.
ODOO_RC=""
wait_odoo() {
    local rc=0
    wait "$ODOO_PID" || rc=$?
    ODOO_RC="$rc"
    ODOO_PID=""
}

stop_odoo() {
    [[ -n "$ODOO_PID" ]] || return 0
    local pid="$ODOO_PID" i
    ODOO_PID=""
    kill -0 "$pid" 2>/dev/null || return 0
    log "stopping Odoo (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# Everything a script needs before it can start Odoo.
setup_odoo_environment() {
    find_odoo
    ensure_odoo_python_deps
    ensure_runtime_tools
    find_postgres
}
