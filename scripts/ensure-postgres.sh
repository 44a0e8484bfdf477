#!/usr/bin/env bash
# The Postgres tests (store conformance, Bun + Postgres matrix, multi-instance) start a private
# server from Debian's postgresql package (test/support/postgres.ts): initdb into a temporary
# folder, a free loopback port, stopped after. Installs the package when initdb is missing and
# this user may (root with apt); otherwise says what to install. The packaged cluster service is
# not needed, and is not started.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the Postgres tests..."
  apt-get update -qq
  # A policy-rc.d refusing service starts, unless the machine has one: the tests start their own.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  if [ -n "$created_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  exit 0
fi
echo "The Postgres tests need Debian's postgresql (initdb): run 'sudo apt-get install -y postgresql'." >&2
exit 1
