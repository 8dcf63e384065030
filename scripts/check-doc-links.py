#!/usr/bin/env python3
"""Checks every relative link and image in README.md and docs/*.md: the file must exist, and an
anchor (#...) must name a heading of that file, as GitHub makes heading anchors (lower case,
punctuation dropped, spaces to hyphens, -1, -2, ... for repeats). Links to other sites are not
fetched. Exit status 1 with one line per broken link.

    python3 scripts/check-doc-links.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINK = re.compile(r"!?\[(?:[^\]`]|`[^`]*`)*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def prose(text):
    """The lines outside fenced code blocks, with their numbers."""
    fence = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if not fence:
            yield number, line


def anchors(path):
    seen = {}
    result = set()
    for _, line in prose(path.read_text(encoding="utf-8")):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        result.add(slug if n == 0 else f"{slug}-{n}")
    return result


def main():
    files = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    broken = []
    count = 0
    for md in files:
        for number, line in prose(md.read_text(encoding="utf-8")):
            for target in LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue
                count += 1
                path, _, anchor = target.partition("#")
                dest = (md.parent / path).resolve() if path else md
                where = f"{md.relative_to(ROOT)}:{number}: {target}"
                if not dest.exists():
                    broken.append(f"{where}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
                elif anchor and (dest.suffix != ".md" or anchor not in anchors(dest)):
                    broken.append(f"{where}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    for line in broken:
        print(line)
    print(f"{count} relative links in {len(files)} files, {len(broken)} broken", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
