#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# setup.sh - set up a fresh Debian/Ubuntu machine for libsspi: install the
# build dependencies, build everything in this tree, and run the demo
# (`sspi loopback Sample`: a client and a server context in one process).
set -eu
cd "$(dirname "$0")"

deps="build-essential autoconf automake libtool pkg-config check nettle-dev libtasn1-6-dev libtasn1-bin
      libkrb5-dev krb5-kdc krb5-admin-server krb5-user krb5-gss-samples
      gss-ntlmssp winbind curl valgrind libgnutls28-dev gnutls-bin
      openssl libssl-dev softhsm2 clang-format debhelper lintian"
if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    missing=""
    for p in $deps; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "setup: installing$missing"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
    fi
else
    echo "setup: not a Debian system; install these first: $deps" >&2
fi

[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure --enable-tests=yes ${CONFIGURE_FLAGS:-}
make -j"$(nproc 2>/dev/null || echo 2)"

echo
echo "setup: built.  Demo: sspi loopback Sample"
echo
LIBSSPI_CONFIG="$PWD/sspi-dev.conf" ./src/tools/sspi loopback Sample
