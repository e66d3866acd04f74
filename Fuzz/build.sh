#!/usr/bin/env bash
# Builds the libFuzzer targets: the library's sources, the lexicons the normal build generated,
# and one fuzz entry, compiled into one instrumented binary each (-sanitize=fuzzer,address).
# SwiftPM cannot build them itself: its sanitizer flags reach the build plugin's tool as well.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build >/dev/null
lexicons=$(find .build -path '*CoopQ*' -name 'EmbeddedCoopQ.swift' | head -1)
[ -n "$lexicons" ] || { echo "fuzz: no generated lexicons; run swift build" >&2; exit 1; }
mkdir -p .build-fuzz
sources=$(find Sources/CoopQ -name '*.swift')
for target in FuzzQuery FuzzArticle; do
    swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g \
        -module-name CoopQFuzz -I Sources/CSQLite -I Sources/CLinux -lsqlite3 \
        $sources "$lexicons" "Fuzz/$target.swift" -o ".build-fuzz/$target"
done
echo "built .build-fuzz/FuzzQuery and .build-fuzz/FuzzArticle"
