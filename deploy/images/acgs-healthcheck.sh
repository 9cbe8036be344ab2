#!/bin/bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# acgs-healthcheck PORT [PATH]: exit 0 when GET http://127.0.0.1:PORT/PATH answers 200. The images' HEALTHCHECK and the
# compose health checks run it; bash's /dev/tcp, because the runtime images carry no curl.
exec 3<>"/dev/tcp/127.0.0.1/${1:?port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${2:-/}" >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ "$status" == "HTTP/1."?" 200 "* ]]
