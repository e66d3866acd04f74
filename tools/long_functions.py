#!/usr/bin/env python3
"""Functions of more than LIMIT lines (default 60) in the Swift files given: a rough count by
braces, from a line that declares a function to the line that closes it."""
import re, sys
LIMIT = 60
decl = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|mutating|override|final|nonisolated)\s+)*(?:func\s+\w+|init[?(<])")
for path in sys.argv[1:]:
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        if decl.match(lines[i]) and "{" in lines[i] or (decl.match(lines[i]) and i + 1 < len(lines) and lines[i + 1].strip().startswith("{")):
            depth, j = 0, i
            while j < len(lines):
                depth += lines[j].count("{") - lines[j].count("}")
                if depth <= 0 and j > i or (depth == 0 and "{" in lines[j] and "}" in lines[j] and j == i):
                    break
                j += 1
            n = j - i + 1
            if n > LIMIT:
                print(f"{path}:{i + 1}: {n} lines: {lines[i].strip()[:80]}")
        i += 1
