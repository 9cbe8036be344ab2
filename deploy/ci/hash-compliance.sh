#!/usr/bin/env bash
# Constitutional Hash: cdd01ef066bc6cf2
#
# Hash-compliance check (design section 3, "Build"): every config and manifest file carries the
# constitutional hash, and no other 16-hex value is presented as the constitutional hash.
#   - formats with comments (C#, YAML, shell, Dockerfile, Markdown, XML/MSBuild, nginx/haproxy
#     conf, editorconfig, gitignore) must contain the text  "Constitutional Hash: <hash>";
#   - JSON files must contain the field  "constitutional_hash": "<hash>".
# Usage: hash-compliance.sh [ROOT]   (default: the repository root). Exit 0 clean, 1 violations.
set -euo pipefail

root="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
expected="${ACGS_EXPECTED_HASH:-cdd01ef066bc6cf2}"
cd "$root"

if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 && [ -z "${ACGS_HASHCHECK_ALL_FILES:-}" ]; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard | sort -u)
else
  mapfile -t files < <(find . -type f -not -path '*/.git/*' -not -path '*/bin/*' -not -path '*/obj/*' | sed 's#^\./##' | sort)
fi

kind_of() {
  local f="$1" base
  base="$(basename "$f")"
  case "$base" in
    *.json) echo json ;;
    *.cs|*.csproj|*.props|*.targets|*.yml|*.yaml|*.md|*.sh|*.conf|*.cfg|*.xml|*.toml|.editorconfig|.gitignore|.dockerignore|Dockerfile*|*.tf) echo comment ;;
    *)
      # extension-less scripts (./acgs, .ci/run) are shell by shebang
      if [ -f "$f" ] && head -c 64 "$f" 2>/dev/null | grep -q '^#!'; then echo comment; else echo skip; fi ;;
  esac
}

missing=0; wrong=0; checked=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  case "$f" in
    */bin/*|*/obj/*|*/TestResults/*|*/BenchmarkDotNet.Artifacts/*) continue ;;
  esac
  kind="$(kind_of "$f")"
  [ "$kind" = skip ] && continue
  checked=$((checked + 1))

  if [ "$kind" = json ]; then
    if ! grep -Eq "\"constitutional_hash\"[[:space:]]*:[[:space:]]*\"$expected\"" "$f"; then
      echo "MISSING  $f: no \"constitutional_hash\": \"$expected\" field"; missing=$((missing + 1))
    fi
  else
    if ! grep -q "Constitutional Hash: $expected" "$f"; then
      echo "MISSING  $f: no 'Constitutional Hash: $expected' comment"; missing=$((missing + 1))
    fi
  fi

  # Any 16-hex value presented as the constitutional hash must be the expected one.
  pattern='(Constitutional[ _-]Hash:[[:space:]]*|"constitutional_hash"[[:space:]]*:[[:space:]]*"|constitutional_hash:[[:space:]]*"?|CONSTITUTIONAL_HASH[[:space:]]*[=:][[:space:]]*"?)(?<![0-9A-Fa-f])[0-9A-Fa-f]{16}(?![0-9A-Fa-f])'
  case "$f" in
    *.cs) pattern='(Constitutional Hash:[[:space:]]*)[0-9A-Fa-f]{16}(?![0-9A-Fa-f])' ;;
  esac
  while IFS= read -r hit; do
    value="$(printf '%s' "$hit" | grep -oP '[0-9A-Fa-f]{16}$')"
    if [ "$value" != "$expected" ]; then
      line="${hit%%:*}"
      echo "WRONG    $f:$line: a constitutional hash other than the expected one"; wrong=$((wrong + 1))
    fi
  done < <(grep -noP "$pattern" "$f" || true)
done

echo "hash-compliance: $checked files checked, $missing missing the mark, $wrong with a wrong hash"
[ "$missing" -eq 0 ] && [ "$wrong" -eq 0 ]
