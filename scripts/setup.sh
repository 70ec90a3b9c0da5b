#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: the system libraries manim builds
# against and the LaTeX that MathTex renders with (as root; otherwise prints the command), then
# a virtual environment in .venv with the pinned Python packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the deck tests open every deck in a real headless browser with no network.
SYSTEM_PACKAGES=(libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra
                 texlive-fonts-recommended dvisvgm chromium)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! "$PYTHON" -c "import venv, ensurepip" 2>/dev/null; then
    missing+=(python3-venv)
fi
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "setup: these system packages are missing: ${missing[*]}" >&2
        echo "setup: install them with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
# Reinstall when the pinned packages or the project's own metadata (its console script) change.
if ! cat requirements.lock pyproject.toml | cmp -s - .venv/.installed-lock 2>/dev/null; then
    echo "setup: installing pinned Python packages (requirements.lock)"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r requirements.lock
    # The project itself, editable: `network` and `scenes` import from anywhere, so
    # `manim render scenes/chapter1.py ...` finds them.
    .venv/bin/python -m pip install -q --no-deps -e .
    cat requirements.lock pyproject.toml > .venv/.installed-lock
fi
# reveal.js for the offline decks, once, from the npm registry (integrity checked; a download
# that does not match stops setup). Offline, this warns and the decks wait for a later setup.
.venv/bin/python -m production.revealjs
echo "setup: ready"
