#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# negotiate-http.sh - HTTP Negotiate (RFC 4559) end to end with a real KDC
# (src/tools/sspi-test-realm):
#
#   curl --negotiate (MIT SPNEGO, gss-ntlmssp through GSS_MECH_CONFIG)
#       -> `sspi server --http Negotiate`: Kerberos, NTLM (no ticket), two
#       requests on one keep-alive connection, a wrong password refused
#   `sspi client --http` -> `sspi server --http`: Kerberos and NTLM
#   `sspi client --http` -> tests/spnego-http-server (MIT SPNEGO acceptor):
#       Kerberos; Kerberos -> NTLM re-selection (acceptor NTLM only); NTLM
#       from the start (no ticket)
#
# Skips (77) without curl, gss-ntlmssp or the MIT KDC tools.  Every
# process it starts is stopped by its PID.
set -u

top_builddir=${top_builddir:-.}
sspi=$top_builddir/src/tools/sspi
realm_tool=$top_builddir/src/tools/sspi-test-realm
mit_server=$top_builddir/tests/spnego-http-server
pkgdir=${LIBSSPI_TEST_PKGDIR:-$top_builddir/src/packages}

command -v curl >/dev/null 2>&1 || { echo "curl not installed: skipped"; exit 77; }
module=$(ls /usr/lib/*/gssntlmssp/gssntlmssp.so /usr/lib64/gssntlmssp/gssntlmssp.so \
    2>/dev/null | head -n 1)
[ -n "$module" ] || { echo "gss-ntlmssp not installed: skipped"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/negotiate-http.XXXXXX")
realm=$work/realm
server_pid=
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null
    [ ! -d "$realm" ] || "$realm_tool" stop "$realm" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

SSPI_TEST_REALM_QUIET=1 "$realm_tool" start "$realm"
rc=$?
[ $rc -eq 0 ] || { echo "no test realm (status $rc)"; exit $rc; }
eval "$("$realm_tool" env "$realm")"
echo userpw | kinit user >/dev/null || { echo "kinit failed"; exit 1; }

# NTLM users for libsspi and gss-ntlmssp alike (gss-ntlmssp's default
# initiator may be the first entry or the login name).
printf 'KRBTEST.COM:user:userpw\nKRBTEST.COM:%s:userpw\n' "$(id -un)" >"$work/users"
printf 'KRBTEST.COM:user:wrong\nKRBTEST.COM:%s:wrong\n' "$(id -un)" >"$work/bad-users"
printf 'gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 %s\n' "$module" >"$work/mech.conf"
cat >"$work/sspi.conf" <<EOF
autoload = no
dropin_dir = none
[module]
module = $pkgdir/kerberos/.libs/kerberos.so
[module]
module = $pkgdir/ntlm/.libs/ntlm.so
option.user_file = $work/users
[module]
module = $pkgdir/negotiate/.libs/negotiate.so
EOF
LIBSSPI_CONFIG=$work/sspi.conf
GSS_MECH_CONFIG=$work/mech.conf
NTLM_USER_FILE=$work/users
export LIBSSPI_CONFIG GSS_MECH_CONFIG NTLM_USER_FILE
no_ticket=MEMORY:negotiate-http-empty

n=0
failed=0
check() { # description, then the command; its output is kept in $work/out
    desc=$1
    shift
    n=$((n + 1))
    if "$@" >"$work/out" 2>&1; then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc"
        sed 's/^/#   /' "$work/out"
        failed=1
    fi
}

# Wait for a line matching $2 in file $1 (5 s); print the port it names.
# Each server writes a log file of its own, so no old line is read.
port_from() {
    i=0
    while [ $i -lt 50 ]; do
        p=$(sed -n "s/$2/\\1/p" "$1" 2>/dev/null | head -n 1)
        [ -n "$p" ] && { echo "$p"; return 0; }
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# ---- curl and `sspi client --http` against `sspi server --http` ----------
"$sspi" server --http --listen 127.0.0.1:0 Negotiate >"$work/server.log" 2>&1 &
server_pid=$!
port=$(port_from "$work/server.log" '.*listening on 127\.0\.0\.1:\([0-9]*\).*') || {
    echo "sspi server did not start"
    cat "$work/server.log"
    exit 1
}
url=http://localhost:$port

curl_ok() { # expected body, curl arguments...
    want=$1
    shift
    body=$(curl -sS --negotiate -u : "$@") || return 1
    echo "$body"
    test "$(echo "$body" | sort -u)" = "$want"
}
check "curl --negotiate, Kerberos, two requests on one connection" \
    curl_ok "authenticated as user@KRBTEST.COM" "$url/one" "$url/two"
# The server logs the close when it sees it, after curl has exited.
saw_line() { # file, pattern: wait up to 10 s for it
    i=0
    while [ $i -lt 100 ]; do
        grep -q "$2" "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check "the server saw both requests on one connection" \
    saw_line "$work/server.log" "closed after 2 requests"
check "curl --negotiate, NTLM (no ticket)" \
    env KRB5CCNAME=$no_ticket sh -c "$(command -v curl) -sS --negotiate -u : $url/ | grep -qx 'authenticated as KRBTEST.COM.user'"
check "curl --negotiate, NTLM with a wrong password: 401" \
    env KRB5CCNAME=$no_ticket NTLM_USER_FILE="$work/bad-users" sh -c \
    "test \"\$(curl -s -o /dev/null -w '%{http_code}' --negotiate -u : $url/)\" = 401"
check "sspi client --http, Kerberos" \
    sh -c "'$sspi' client --http $url/ Negotiate | grep -qx 'authenticated as user@KRBTEST.COM'"
check "sspi client --http, NTLM (no ticket)" \
    env KRB5CCNAME=$no_ticket sh -c \
    "'$sspi' client --http $url/ Negotiate | grep -qx 'authenticated as KRBTEST.COM.user'"
kill "$server_pid"
wait "$server_pid" 2>/dev/null
server_pid=

# ---- `sspi client --http` against MIT SPNEGO ----------------------------------
# mit_case DESCRIPTION MECHS EXPECTED-SERVER-LINE [env assignments...]
mit_case() {
    what=$1 mechs=$2 want=$3
    shift 3
    mit_runs=$((mit_runs + 1))
    log=$work/mit-$mit_runs.log
    "$mit_server" --mechs "$mechs" >"$log" 2>&1 &
    server_pid=$!
    mport=$(port_from "$log" '^port \([0-9]*\)$') || {
        echo "not ok - spnego-http-server did not start"
        cat "$log"
        failed=1
        return
    }
    check "$what: sspi client --http" env "$@" "$sspi" client --http "http://localhost:$mport/" Negotiate
    wait "$server_pid"
    src=$?
    server_pid=
    n=$((n + 1))
    if [ $src -eq 0 ] && tail -n 1 "$log" | grep -qx "$want"; then
        echo "ok $n - $what: MIT says $want"
    else
        echo "not ok $n - $what: MIT exited $src, wanted '$want'"
        sed 's/^/#   /' "$log"
        failed=1
    fi
}
mit_runs=0
mit_case "MIT SPNEGO acceptor, Kerberos" krb5,ntlm "authenticated user@KRBTEST.COM krb5" \
    KRB5CCNAME="$KRB5CCNAME"
mit_case "MIT SPNEGO acceptor (NTLM only), Kerberos -> NTLM re-selection" ntlm \
    "authenticated KRBTEST.COM.user ntlm" KRB5CCNAME="$KRB5CCNAME"
mit_case "MIT SPNEGO acceptor, NTLM (no ticket)" krb5,ntlm "authenticated KRBTEST.COM.user ntlm" \
    KRB5CCNAME=$no_ticket

echo "1..$n"
exit $failed
