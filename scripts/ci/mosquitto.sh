#!/usr/bin/env bash
# Installs the programs the MQTT and OSC tests drive as independent parties:
#   mosquitto          (broker; the tests start their own process on a free loopback port, never the system service)
#   mosquitto-clients  (mosquitto_sub, the independent subscriber)
#   liblo-tools        (oscdump, the independent OSC decoder)
# Idempotent: installs only what is missing, runs apt-get update at most once.
set -euo pipefail

missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_sub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v oscdump >/dev/null 2>&1 || missing+=(liblo-tools)

if [ ${#missing[@]} -eq 0 ]; then
  echo "mosquitto.sh: mosquitto, mosquitto_sub and oscdump already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Installing mosquitto must not start a system broker on 1883: the tests run their own.
policy_created=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  policy_created=1
fi
cleanup() { if [ "$policy_created" -eq 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "mosquitto.sh: installed ${missing[*]}"
