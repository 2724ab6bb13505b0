#!/usr/bin/env bash
# Lint the addon like OCA projects do: ruff (lint + format) and pylint-odoo.
#
#   scripts/lint.sh          check only
#   scripts/lint.sh --fix    let ruff fix and reformat the code, then check
#
# Fails on ruff errors, unformatted files and the checks of .pylintrc-mandatory;
# the optional checks of .pylintrc are shown but do not fail.
# The tools are installed on demand, in a virtualenv in the cache directory
# (AFTERSALES_CACHE_DIR, see scripts/lib/common.sh), with pinned versions.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Versions used by the OCA template for 18.0 pre-commit hooks.
RUFF_VERSION="0.6.8"
PYLINT_ODOO_VERSION="9.1.3"
LINT_VENV="$CACHE_DIR/lint-venv-ruff$RUFF_VERSION-pylint-odoo$PYLINT_ODOO_VERSION"

ensure_lint_tools() {
    if [[ -x "$LINT_VENV/bin/ruff" && -x "$LINT_VENV/bin/pylint" ]] &&
        "$LINT_VENV/bin/python" -c 'import pylint_odoo' 2>/dev/null; then
        return 0
    fi
    log "installing ruff $RUFF_VERSION and pylint-odoo $PYLINT_ODOO_VERSION into $LINT_VENV"
    rm -rf "$LINT_VENV"
    "$PYTHON" -m venv "$LINT_VENV" ||
        die "could not create a virtualenv with $PYTHON (Debian: apt-get install python3-venv)"
    "$LINT_VENV/bin/python" -m pip install --disable-pip-version-check -q \
        "ruff==$RUFF_VERSION" "pylint-odoo==$PYLINT_ODOO_VERSION" >&2 ||
        die "could not install ruff/pylint-odoo from PyPI"
}

main() {
    local fix=""
    case "${1:-}" in
        --fix) fix=1 ;;
        "") ;;
        *) die "usage: scripts/lint.sh [--fix]" ;;
    esac
    ensure_lint_tools
    cd "$REPO_ROOT"
    local ruff="$LINT_VENV/bin/ruff" pylint="$LINT_VENV/bin/pylint" failed=()
    local format=(--output-format=text)
    [[ -t 1 ]] && format=(--output-format=colorized)

    if [[ -n "$fix" ]]; then
        "$ruff" check --fix . || true
        "$ruff" format .
    fi

    log "ruff check"
    "$ruff" check --no-fix . || failed+=("ruff check")
    log "ruff format --check"
    "$ruff" format --check . || failed+=("ruff format (run scripts/lint.sh --fix)")
    log "pylint --rcfile=.pylintrc $ADDON_NAME (all checks, informational)"
    "$pylint" --rcfile=.pylintrc "${format[@]}" "$ADDON_NAME" || true
    log "pylint --rcfile=.pylintrc-mandatory $ADDON_NAME (mandatory checks)"
    "$pylint" --rcfile=.pylintrc-mandatory "${format[@]}" "$ADDON_NAME" || failed+=("pylint mandatory checks")

    if ((${#failed[@]})); then
        log "FAILED: ${failed[*]}"
        return 1
    fi
    log "all lint checks passed"
}

main "$@"
