#!/usr/bin/env bash
# Prints each failed test of the given .trx files with the first lines of its message.
# ./test calls it just before its summary line: a CI log that keeps only its tail then still
# names what failed, which dotnet test prints minutes earlier, between the passing tests.
# Usage: scripts/failed-tests.sh FILE.trx...
set -uo pipefail
files=()
for f in "$@"; do [ -f "$f" ] && files+=("$f"); done   # an unmatched glob names no file
[ ${#files[@]} -gt 0 ] || exit 0
awk '
  function unescape(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s)
    gsub(/&amp;/, "\\&", s)
    return s
  }
  /<UnitTestResult / {
    failed = ($0 ~ /outcome="Failed"/)
    if (failed) {
      name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name)
      printf "FAILED %s\n", unescape(name)
      lines = 0
    }
  }
  failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
  failed && inmsg {
    text = $0
    done = sub(/<\/Message>.*/, "", text)
    if (lines < 4 && text != "") { printf "    %s\n", unescape(text); lines++ }
    if (done) inmsg = 0
  }
  /<\/UnitTestResult>/ { failed = 0; inmsg = 0 }
' "${files[@]}"
