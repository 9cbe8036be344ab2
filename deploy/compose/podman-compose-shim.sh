#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# podman for podman-compose 1.0.3 (Debian 12), which passes  network_mode: "service:X"  through as
# --network service:X and then adds the project network (--net NET --network-alias NAME): podman refuses both.
# This turns it into what Compose v2 does, --network container:<project>_X_1 (the container podman-compose names
# for service X), without the extra network. Every other call goes to podman unchanged. ./acgs compose uses it
# (podman-compose --podman-path); newer podman-compose releases and docker compose need no shim.
set -euo pipefail
case " $* " in
  *" --network service:"*) ;;
  *) exec podman "$@" ;;
esac
project=""
for a in "$@"; do
  case "$a" in io.podman.compose.project=*) project="${a#*=}" ;; esac
done
out=()
while [ $# -gt 0 ]; do
  case "$1" in
    --network)
      if [[ "$2" == service:* ]]; then out+=(--network "container:${project}_${2#service:}_1"); shift 2; continue; fi ;;
    --net|--network-alias) shift 2; continue ;;
  esac
  out+=("$1"); shift
done
exec podman "${out[@]}"
