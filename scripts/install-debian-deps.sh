#!/usr/bin/env bash
# Installs the Debian packages that the tests need. Run as root (CI does) or through sudo.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# chromium: real-browser tests (never a downloaded browser). python3-torch with
# libopenblas0-pthread (without it PyTorch's matrix products take a far slower path), numpy,
# pytest and yaml: the training toolchain and its tests.
apt-get install -y -qq --no-install-recommends \
  chromium python3-torch libopenblas0-pthread python3-numpy python3-pytest python3-yaml >/dev/null
