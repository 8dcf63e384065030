#!/usr/bin/env python3
"""Lists the functions in src/ whose body is longer than a bound (default 150 lines).

A function starts at a line holding `fn name(` (after `pub`, `pub(crate)`, `async`, ...) and
ends at the line where its braces balance again. Braces inside strings, chars and comments are
skipped. Usage: python3 scripts/long-functions.py [bound] [folder]
"""
import os
import re
import sys

BOUND = int(sys.argv[1]) if len(sys.argv) > 1 else 150
ROOT = sys.argv[2] if len(sys.argv) > 2 else "src"
START = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def braces(line, state):
    """Net brace count of a line, skipping strings, chars and comments; state carries raw strings."""
    depth, i, n = 0, 0, len(line)
    while i < n:
        if state["raw"] is not None:
            end = '"' + "#" * state["raw"]
            j = line.find(end, i)
            if j < 0:
                return depth
            i, state["raw"] = j + len(end), None
            continue
        if state["str"]:
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == '"':
                state["str"] = False
            i += 1
            continue
        c = line[i]
        if line.startswith("//", i):
            return depth
        m = re.match(r'r(#*)"', line[i:])
        if m and (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == "_")):
            state["raw"] = len(m.group(1))
            i += len(m.group(0))
            continue
        if c == '"':
            state["str"] = True
        elif c == "'":
            m = re.match(r"'(\\.|[^\\'])'", line[i:]) or re.match(r"'\\u\{[0-9a-fA-F]+\}'", line[i:])
            if m:
                i += len(m.group(0))
                continue
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return depth


found = []
for folder, _, files in os.walk(ROOT):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(folder, f)
        lines = open(path, encoding="utf-8").read().split("\n")
        i = 0
        while i < len(lines):
            m = START.match(lines[i])
            if not m:
                i += 1
                continue
            state = {"str": False, "raw": None}
            depth, opened, j = 0, False, i
            while j < len(lines):
                d = braces(lines[j], state)
                if not opened and "{" in lines[j] and not state["str"]:
                    opened = True
                if not opened and lines[j].rstrip().endswith(";"):
                    break  # a declaration without a body
                depth += d
                if opened and depth <= 0:
                    break
                j += 1
            length = j - i + 1
            if opened and length > BOUND:
                found.append((length, path, i + 1, m.group(6)))
            i += 1
for length, path, line, name in sorted(found, reverse=True):
    print(f"{length:5} {path}:{line} {name}")
