#!/usr/bin/env bash
# Installs libfftw3f (single-precision FFTW) for the FFT benchmark's FFTW comparison. Idempotent: does nothing when the
# library is already present. The benchmark reports FFTW as unavailable rather than failing when it is missing.
set -euo pipefail

if ldconfig -p 2>/dev/null | grep -q 'libfftw3f\.so'; then
  echo "fftw.sh: libfftw3f already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "fftw.sh: libfftw3f missing and not root; skipping (the FFT benchmark will report FFTW as unavailable)" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq libfftw3-dev
echo "fftw.sh: installed libfftw3-dev"
