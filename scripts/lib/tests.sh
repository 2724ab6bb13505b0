# shellcheck shell=bash
# Test runner shared by run-tests.sh and run-core-tests.sh.
#
# run_test_suite DEFAULT_MODULES DEFAULT_TAGS [ODOO ARGS...]
#   Installs DEFAULT_MODULES in a throwaway database with tests enabled, runs
#   the tests selected by DEFAULT_TAGS, drops the database (unless KEEP_DB=1)
#   and prints, as the last line, "N passed, N failed, N skipped".
#   Extra arguments go to Odoo; "-i/--init" or "--test-tags" among them
#   replace the defaults. Environment: KEEP_DB=1, TEST_DB=name,
#   TEST_LOG_DIR=dir (default: a new temporary directory), ALLOW_SKIPPED=1
#   (skipped tests are listed but do not fail the run).

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

_TEST_LOG=""
_TEST_SUMMARY_PRINTED=""

_summarize() {
    local opts=()
    [[ "${ALLOW_SKIPPED:-0}" == 1 ]] && opts+=(--allow-skipped)
    "$PYTHON" "$SCRIPTS_DIR/lib/summarize_test_log.py" "$@" "${opts[@]}"
}

# Called by common.sh after cleanup: guarantees the summary line is the last
# thing printed even when the run dies early or is interrupted.
on_exit_hook() {
    local rc="$1"
    [[ -n "$_TEST_SUMMARY_PRINTED" ]] && return 0
    if [[ -n "$_TEST_LOG" && -f "$_TEST_LOG" ]]; then
        _summarize "$_TEST_LOG" "${ODOO_RC:-$rc}" --interrupted || true
    else
        echo "FAILED: the tests could not be started (see the messages above)."
        echo "0 passed, 0 failed"
    fi
}

_has_option() {
    local wanted="$1" arg
    shift
    for arg in "$@"; do
        case "$arg" in
            "$wanted" | "$wanted"=*) return 0 ;;
        esac
    done
    return 1
}

run_test_suite() {
    local modules="$1" tags="$2"
    shift 2

    setup_odoo_environment
    ensure_browser_test_tools

    local run_dir log_dir db http_port
    run_dir="$(mktemp -d "${TMPDIR:-/tmp}/aftersales-tests.XXXXXX")"
    add_cleanup "rm -rf '$run_dir'"
    log_dir="${TEST_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/aftersales-test-logs.XXXXXX")}"
    mkdir -p "$log_dir"
    db="${TEST_DB:-aftersales_test_$(date +%Y%m%d_%H%M%S)_$$}"
    http_port="$(free_port)"
    _TEST_LOG="$log_dir/$db.log"

    db_exists "$db" && die "database $db already exists; choose another TEST_DB"
    # The database is created by Odoo; drop it whatever happens (after Odoo
    # has been stopped: cleanup steps run newest first).
    local data_dir="$run_dir/data"
    if [[ "${KEEP_DB:-0}" == 1 ]]; then
        # Its filestore must outlive the run too.
        data_dir="$CACHE_DIR/odoo-data"
        log "KEEP_DB=1: database $db (filestore in $data_dir) will be kept"
    else
        add_cleanup "db_drop '$db' '$data_dir'"
    fi

    odoo_base_args "$run_dir/odoo.conf" "$data_dir"
    local args=("${ODOO_ARGS[@]}" -d "$db" --test-enable --stop-after-init
        --http-port="$http_port" --log-level=test)
    _has_option -i "$@" || _has_option --init "$@" || args+=(-i "$modules")
    _has_option --test-tags "$@" || args+=(--test-tags "$tags")
    args+=("$@")

    log "running: $PYTHON -m odoo ${args[*]}"
    log "log file: $_TEST_LOG"
    start_odoo "$_TEST_LOG" "${args[@]}"
    # Show the log while Odoo writes it; tail stops when Odoo exits.
    tail -n +1 -F --pid="$ODOO_PID" "$_TEST_LOG" 2>/dev/null &
    local tail_pid=$!
    add_cleanup "kill $tail_pid 2>/dev/null"
    wait_odoo
    wait "$tail_pid" 2>/dev/null || true
    log "Odoo exited with status $ODOO_RC"

    # Stop everything now so that the summary really is the last output.
    run_cleanup
    local rc=0
    _TEST_SUMMARY_PRINTED=1
    _summarize "$_TEST_LOG" "$ODOO_RC" || rc=$?
    return "$rc"
}
