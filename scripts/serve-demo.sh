#!/usr/bin/env bash
# Serve a demo database with aftersales_service installed, demo data and the
# zh_CN language loaded (besides English, which stays the default language),
# at http://localhost:8069 (login admin / admin).
#
#   scripts/serve-demo.sh [--reset] [ODOO ARGS...]
#
#   --reset   drop the demo database and create it again
# Environment:
#   PORT=8069                 HTTP port
#   HTTP_INTERFACE=127.0.0.1  address to listen on (0.0.0.0 for all)
#   AFTERSALES_DEMO_DB=aftersales_demo   database name
#   AFTERSALES_DEMO_LANGS=en_US,zh_CN    languages to load; the first one is
#                             the default language of a new database
# plus those described in scripts/lib/common.sh (ODOO_SRC, AFTERSALES_PG, ...).
# Runs in the foreground until Ctrl-C; an existing database is reused and the
# module is updated in it first, so code changes are picked up.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

DEMO_DB="${AFTERSALES_DEMO_DB:-aftersales_demo}"
PORT="${PORT:-8069}"
DEMO_LANGS="${AFTERSALES_DEMO_LANGS:-en_US,zh_CN}"

usage() { sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

main() {
    local reset="" extra=()
    while (($#)); do
        case "$1" in
            --reset) reset=1 ;;
            -h | --help)
                usage
                return 0
                ;;
            *) extra+=("$1") ;;
        esac
        shift
    done

    port_in_use "$PORT" &&
        die "port $PORT is already in use: stop what listens there or choose another one with PORT=..."

    setup_odoo_environment

    local data_dir="$CACHE_DIR/odoo-data" run_dir
    run_dir="$(mktemp -d "${TMPDIR:-/tmp}/aftersales-demo.XXXXXX")"
    add_cleanup "rm -rf '$run_dir'"
    odoo_base_args "$run_dir/odoo.conf" "$data_dir"

    if [[ -n "$reset" ]]; then
        db_drop "$DEMO_DB" "$data_dir"
    fi
    prepare_database "$data_dir"

    log "serving $DEMO_DB at http://localhost:$PORT (login admin / admin); Ctrl-C to stop"
    start_odoo - "${ODOO_ARGS[@]}" -d "$DEMO_DB" --db-filter="^${DEMO_DB}\$" \
        --http-port="$PORT" "${extra[@]}"
    wait_odoo
    return "$ODOO_RC"
}

# Create the database (with demo data) or update the module in the existing
# one, and load the language; a separate --stop-after-init run, so that a
# failing install stops the script instead of serving a broken database.
prepare_database() {
    local data_dir="$1" init=(-i "$ADDON_NAME")
    if db_exists "$DEMO_DB"; then
        local state demo
        state="$(db_query "$DEMO_DB" "select state from ir_module_module where name = '$ADDON_NAME'")"
        demo="$(db_query "$DEMO_DB" "select demo from ir_module_module where name = 'base'")"
        [[ -n "$demo" ]] ||
            die "database $DEMO_DB exists but is not an Odoo database: run again with --reset"
        [[ "$demo" == t ]] ||
            warn "database $DEMO_DB has no demo data: run again with --reset to recreate it"
        if [[ "$state" == installed ]]; then
            log "reusing database $DEMO_DB (updating $ADDON_NAME)"
            init=(-u "$ADDON_NAME")
        else
            log "reusing database $DEMO_DB (installing $ADDON_NAME)"
        fi
    else
        log "creating database $DEMO_DB with demo data (this takes a few minutes)"
    fi

    start_odoo - "${ODOO_ARGS[@]}" -d "$DEMO_DB" "${init[@]}" \
        --load-language="$DEMO_LANGS" --stop-after-init --no-http
    wait_odoo
    [[ "$ODOO_RC" == 0 ]] || die "installing $ADDON_NAME in $DEMO_DB failed (exit status $ODOO_RC)"
    [[ "$(db_query "$DEMO_DB" "select state from ir_module_module where name = '$ADDON_NAME'")" == installed ]] ||
        die "$ADDON_NAME is not installed in $DEMO_DB after the update: see the log above"
    # Odoo only logs a WARNING when demo data fails to load.
    [[ "$(db_query "$DEMO_DB" "select demo from ir_module_module where name = '$ADDON_NAME'")" == t ]] ||
        warn "$DEMO_DB has no demo data for $ADDON_NAME (look for 'demo data failed to install' above)"
    local lang
    for lang in ${DEMO_LANGS//,/ }; do
        [[ "$(db_query "$DEMO_DB" "select active from res_lang where code = '$lang'")" == t ]] ||
            warn "language $lang is not active in $DEMO_DB"
    done
}

main "$@"
