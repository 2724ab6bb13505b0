#!/usr/bin/env bash
# Run Odoo's own sale_stock, repair and stock_account test suites with
# aftersales_service installed, to catch changes of standard behaviour.
# Slow (tens of minutes): not part of CI.
#
#   scripts/run-core-tests.sh [ODOO ARGS...]
#
# Same output, exit status and environment variables as run-tests.sh, except
# that skipped tests are listed but do not fail the run (ALLOW_SKIPPED=0 to
# make them fail): these suites skip some tests on purpose depending on the
# installed modules (e.g. repair skips a sale_margin test).
set -euo pipefail

export ALLOW_SKIPPED="${ALLOW_SKIPPED:-1}"

# shellcheck source=scripts/lib/tests.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tests.sh"

run_test_suite "$ADDON_NAME,repair,sale_stock,stock_account" \
    "/sale_stock,/repair,/stock_account" "$@"
