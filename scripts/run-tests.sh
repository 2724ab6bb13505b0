#!/usr/bin/env bash
# Run the aftersales_service tests in a throwaway database.
#
#   scripts/run-tests.sh [ODOO ARGS...]
#
# Examples:
#   scripts/run-tests.sh
#   scripts/run-tests.sh --test-tags /aftersales_service:TestTicket
#   KEEP_DB=1 scripts/run-tests.sh          # keep the database afterwards
#
# The last line printed is "N passed, N failed, N skipped". The exit status is
# non-zero when a test failed, errored or was skipped, when no test ran, or
# when Odoo logged an error. See scripts/lib/common.sh for the environment
# variables (ODOO_SRC, AFTERSALES_PG, PGHOST, ...).
set -euo pipefail

# shellcheck source=scripts/lib/tests.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tests.sh"

run_test_suite "$ADDON_NAME" "/$ADDON_NAME" "$@"
