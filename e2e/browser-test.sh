#!/usr/bin/env bash
# Browser tests of the agent console (e2e/browser): Debian's chromium driven by Python playwright
# against a real windowd on 127.0.0.1. Installs what is missing (chromium, playwright, pytest, a
# Chinese font for readable screenshots); never downloads a browser of its own. Builds nothing:
# it expects .build/debug/windowd (run `swift build` first). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."  # the repository root
export PATH="$PATH:/opt/swift/usr/bin"

./scripts/setup browser

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "browser-test: installing fonts-noto-cjk (Chinese text in screenshots)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q pytest

if [ ! -x .build/debug/windowd ]; then
  echo "browser-test: .build/debug/windowd is not built; run \`swift build\` first" >&2
  exit 2
fi

exec python3 -m pytest e2e/browser -v -p no:cacheprovider "$@"
