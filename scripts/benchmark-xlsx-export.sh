#!/usr/bin/env bash
# Benchmark the ticket register export on a large database: wall time, Python
# peak memory and SQL queries of the streaming export at 1,000, 10,000 and
# 100,000 tickets, and of Odoo's own list export on the same tickets.
#
#   scripts/benchmark-xlsx-export.sh [--reset]
#
#   --reset   drop the benchmark database and create it again
# Environment:
#   BENCH_TICKETS=100000        tickets in the database
#   BENCH_CORE_TICKETS=10000    largest export compared with Odoo's list export
#   AFTERSALES_BENCH_DB=aftersales_bench   database name (no demo data)
# plus those described in scripts/lib/common.sh (ODOO_SRC, AFTERSALES_PG, ...).
# Creating the tickets takes a minute; the database is kept for the next run.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

BENCH_DB="${AFTERSALES_BENCH_DB:-aftersales_bench}"

main() {
    local reset=""
    case "${1:-}" in
        --reset) reset=1 ;;
        -h | --help)
            sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
            return 0
            ;;
        "") ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    setup_odoo_environment
    local data_dir="$CACHE_DIR/odoo-data" run_dir
    run_dir="$(mktemp -d "${TMPDIR:-/tmp}/aftersales-bench.XXXXXX")"
    add_cleanup "rm -rf '$run_dir'"
    odoo_base_args "$run_dir/odoo.conf" "$data_dir"
    [[ -n "$reset" ]] && db_drop "$BENCH_DB" "$data_dir"
    local init=(-i "$ADDON_NAME")
    if [[ "$(db_query "$BENCH_DB" "select state from ir_module_module where name = '$ADDON_NAME'")" == installed ]]; then
        log "reusing database $BENCH_DB (updating $ADDON_NAME)"
        init=(-u "$ADDON_NAME")
    else
        log "creating database $BENCH_DB without demo data"
    fi
    "$PYTHON" -m odoo "${ODOO_ARGS[@]}" -d "$BENCH_DB" "${init[@]}" \
        --without-demo=all --stop-after-init --no-http --log-level=warn ||
        die "installing $ADDON_NAME in $BENCH_DB failed"
    log "running the benchmark on $BENCH_DB"
    "$PYTHON" -m odoo shell "${ODOO_ARGS[@]}" -d "$BENCH_DB" --no-http \
        --log-level=warn <"$SCRIPTS_DIR/lib/benchmark_xlsx_export.py"
}

main "$@"
