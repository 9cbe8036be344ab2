#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# acgs-iptables.sh — transparent-proxy rules for the ACGS sidecar (docs/transparent-proxy.md), in the style of
# istio-iptables: nat-table REDIRECT of inbound TCP to the sidecar's inbound listener (15006) and of
# outbound TCP to its outbound listener (15001), in dedicated chains, in the current network namespace.
# The sidecar reads each redirected connection's original destination with SO_ORIGINAL_DST.
#
#   PREROUTING -p tcp -> ACGS_INBOUND : excluded ports RETURN, included ports -> ACGS_IN_REDIRECT (15006)
#   OUTPUT     -p tcp -> ACGS_OUTBOUND: excluded ports RETURN;
#                 proxy uid on lo to a non-localhost address -> ACGS_IN_REDIRECT (the sidecar calling
#                   its own pod: goes through its inbound side, e.g. service VIP -> this pod);
#                 other uids on lo -> RETURN (the app calling its own pod IP or localhost: not captured);
#                 proxy uid -> RETURN (the sidecar's own upstream connections: no loop);
#                 to localhost -> RETURN; excluded CIDRs RETURN; included CIDRs -> ACGS_OUT_REDIRECT (15001)
#
# Usage: acgs-iptables.sh [--inbound-port 15006] [--outbound-port 15001] [--proxy-uid 1337]
#          [--include-inbound-ports '*'] [--exclude-inbound-ports 15020[,...]]
#          [--exclude-outbound-ports P[,...]] [--include-outbound-cidrs '*'|CIDR[,...]]
#          [--exclude-outbound-cidrs CIDR[,...]] [--ipv6] [--dry-run] [--cleanup]
# Applying is idempotent (the chains are removed, then installed again). --dry-run prints the
# iptables-restore input (and, with --ipv6, the ip6tables-restore input) and changes nothing.
# --cleanup removes the chains and the jumps to them. Exit 0 ok, 2 bad arguments, 1 iptables failed.
# See docs/transparent-proxy.md.
set -euo pipefail

readonly CHAINS=(ACGS_INBOUND ACGS_IN_REDIRECT ACGS_OUTBOUND ACGS_OUT_REDIRECT)

inbound_port=15006
outbound_port=15001
proxy_uid=1337
include_inbound_ports='*'
exclude_inbound_ports=15020
exclude_outbound_ports=''
include_outbound_cidrs='*'
exclude_outbound_cidrs=''
ipv6=0
dry_run=0
cleanup=0

usage() { sed -n '17,24p' "$0" | sed 's/^# \{0,1\}//'; }
fail() { printf 'acgs-iptables: %s\n' "$*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --inbound-port|--outbound-port|--proxy-uid|--include-inbound-ports|--exclude-inbound-ports|--exclude-outbound-ports|--include-outbound-cidrs|--exclude-outbound-cidrs)
      [ $# -ge 2 ] || fail "$1 needs a value"
      value="$2"
      case "$1" in
        --inbound-port) inbound_port="$value" ;;
        --outbound-port) outbound_port="$value" ;;
        --proxy-uid) proxy_uid="$value" ;;
        --include-inbound-ports) include_inbound_ports="$value" ;;
        --exclude-inbound-ports) exclude_inbound_ports="$value" ;;
        --exclude-outbound-ports) exclude_outbound_ports="$value" ;;
        --include-outbound-cidrs) include_outbound_cidrs="$value" ;;
        --exclude-outbound-cidrs) exclude_outbound_cidrs="$value" ;;
      esac
      shift 2 ;;
    --ipv6) ipv6=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --cleanup) cleanup=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done

# --- validation: every error at once ---------------------------------------------------------------
errors=()
is_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
split_list() { local IFS=','; read -r -a list <<<"$1"; }   # sets list=()
check_ports() { # NAME VALUE [allow_star]
  local name="$1" value="$2" p
  [ -z "$value" ] && return 0
  [ "${3:-}" = star ] && [ "$value" = '*' ] && return 0
  split_list "$value"
  for p in "${list[@]}"; do is_port "$p" || errors+=("$name: '$p' is not a port (1-65535)"); done
}
is_cidr4() { [[ "$1" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$ ]]; }
is_cidr6() { [[ "$1" == *:* ]] && [[ "$1" =~ ^[0-9a-fA-F:.]+(/([0-9]{1,2}|1[01][0-9]|12[0-8]))?$ ]]; }
check_cidrs() { # NAME VALUE [allow_star]
  local name="$1" value="$2" c
  [ -z "$value" ] && return 0
  [ "${3:-}" = star ] && [ "$value" = '*' ] && return 0
  split_list "$value"
  for c in "${list[@]}"; do is_cidr4 "$c" || is_cidr6 "$c" || errors+=("$name: '$c' is not an IPv4 or IPv6 CIDR"); done
}
is_port "$inbound_port" || errors+=("--inbound-port: '$inbound_port' is not a port (1-65535)")
is_port "$outbound_port" || errors+=("--outbound-port: '$outbound_port' is not a port (1-65535)")
[[ "$proxy_uid" =~ ^[0-9]+$ ]] || errors+=("--proxy-uid: '$proxy_uid' is not a numeric uid")
check_ports --include-inbound-ports "$include_inbound_ports" star
check_ports --exclude-inbound-ports "$exclude_inbound_ports"
check_ports --exclude-outbound-ports "$exclude_outbound_ports"
check_cidrs --include-outbound-cidrs "$include_outbound_cidrs" star
check_cidrs --exclude-outbound-cidrs "$exclude_outbound_cidrs"
if [ ${#errors[@]} -gt 0 ]; then
  printf 'acgs-iptables: %s\n' "${errors[@]}" >&2
  exit 2
fi

# --- the rules ---------------------------------------------------------------------------------------
# cidrs_of FAMILY LIST: the CIDRs of LIST that belong to FAMILY (4 or 6), one per line.
cidrs_of() {
  local family="$1" c
  [ -z "$2" ] && return 0
  split_list "$2"
  for c in "${list[@]}"; do
    if [ "$family" = 6 ]; then is_cidr6 "$c" && echo "$c"; else is_cidr4 "$c" && echo "$c"; fi
  done
  return 0
}

# rules FAMILY: the iptables-restore input for the nat table of FAMILY (4 or 6).
rules() {
  local family="$1" localhost p c
  if [ "$family" = 6 ]; then localhost='::1/128'; else localhost='127.0.0.1/32'; fi
  echo '*nat'
  for c in "${CHAINS[@]}"; do echo ":$c - [0:0]"; done
  echo "-A PREROUTING -p tcp -j ACGS_INBOUND"
  echo "-A OUTPUT -p tcp -j ACGS_OUTBOUND"
  echo "-A ACGS_IN_REDIRECT -p tcp -j REDIRECT --to-ports $inbound_port"
  echo "-A ACGS_OUT_REDIRECT -p tcp -j REDIRECT --to-ports $outbound_port"
  if [ -n "$exclude_inbound_ports" ]; then
    split_list "$exclude_inbound_ports"
    for p in "${list[@]}"; do echo "-A ACGS_INBOUND -p tcp --dport $p -j RETURN"; done
  fi
  if [ "$include_inbound_ports" = '*' ]; then
    echo "-A ACGS_INBOUND -p tcp -j ACGS_IN_REDIRECT"
  elif [ -n "$include_inbound_ports" ]; then
    split_list "$include_inbound_ports"
    for p in "${list[@]}"; do echo "-A ACGS_INBOUND -p tcp --dport $p -j ACGS_IN_REDIRECT"; done
  fi
  if [ -n "$exclude_outbound_ports" ]; then
    split_list "$exclude_outbound_ports"
    for p in "${list[@]}"; do echo "-A ACGS_OUTBOUND -p tcp --dport $p -j RETURN"; done
  fi
  echo "-A ACGS_OUTBOUND -o lo ! -d $localhost -m owner --uid-owner $proxy_uid -j ACGS_IN_REDIRECT"
  echo "-A ACGS_OUTBOUND -o lo -m owner ! --uid-owner $proxy_uid -j RETURN"
  echo "-A ACGS_OUTBOUND -m owner --uid-owner $proxy_uid -j RETURN"
  echo "-A ACGS_OUTBOUND -d $localhost -j RETURN"
  while read -r c; do [ -n "$c" ] && echo "-A ACGS_OUTBOUND -d $c -j RETURN"; done < <(cidrs_of "$family" "$exclude_outbound_cidrs")
  if [ "$include_outbound_cidrs" = '*' ]; then
    echo "-A ACGS_OUTBOUND -j ACGS_OUT_REDIRECT"
  else
    while read -r c; do [ -n "$c" ] && echo "-A ACGS_OUTBOUND -d $c -j ACGS_OUT_REDIRECT"; done < <(cidrs_of "$family" "$include_outbound_cidrs")
  fi
  echo 'COMMIT'
}

families=(4)
[ "$ipv6" = 1 ] && families+=(6)

tool() { if [ "$1" = 6 ]; then echo ip6tables; else echo iptables; fi; }

remove() { # FAMILY: delete the jumps (every copy) and the chains; absent ones are fine
  local t c
  t="$(tool "$1")"
  while "$t" -w -t nat -D PREROUTING -p tcp -j ACGS_INBOUND 2>/dev/null; do :; done
  while "$t" -w -t nat -D OUTPUT -p tcp -j ACGS_OUTBOUND 2>/dev/null; do :; done
  for c in "${CHAINS[@]}"; do "$t" -w -t nat -F "$c" 2>/dev/null || true; done
  for c in "${CHAINS[@]}"; do "$t" -w -t nat -X "$c" 2>/dev/null || true; done
}

if [ "$dry_run" = 1 ]; then
  for f in "${families[@]}"; do
    if [ "$cleanup" = 1 ]; then
      echo "# $(tool "$f"): remove the jumps from PREROUTING/OUTPUT and the chains ${CHAINS[*]}"
    else
      echo "# $(tool "$f")-restore --noflush input"
      rules "$f"
    fi
  done
  exit 0
fi

for f in "${families[@]}"; do
  t="$(tool "$f")"
  command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "acgs-iptables: $t not found (apt-get install iptables)" >&2; exit 1; }
  remove "$f"
  if [ "$cleanup" = 0 ]; then
    rules "$f" | "$t-restore" -w --noflush || { echo "acgs-iptables: $t-restore failed" >&2; exit 1; }
  fi
done
if [ "$cleanup" = 1 ]; then
  echo "acgs-iptables: removed the ACGS chains" >&2
else
  echo "acgs-iptables: installed (inbound -> $inbound_port, outbound -> $outbound_port, proxy uid $proxy_uid)" >&2
fi
