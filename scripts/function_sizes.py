#!/usr/bin/env python3
"""No function over a screen: every function body in the tracked C++ sources (tests, benchmarks
and fuzz targets included, which clang-tidy's readability-function-size does not see here) must
span at most LIMIT lines, from the line of its opening brace to its closing one.

Usage: scripts/function_sizes.py [LIMIT]   (default 80; exits 1 naming each function over it)

A brace-matching scan: comments, string, character and raw-string literals are blanked first; a
brace opens a function when no function encloses it and the text before it (since the last ; { or
}) holds a parameter list that is not an if/for/while/switch/catch or a type's body. Lambdas and
blocks inside a function count toward that function.
"""
import re
import subprocess
import sys

KEYWORDS = re.compile(r"\b(if|for|while|switch|catch|namespace|class|struct|enum|union)\b")


def blank_literals(src):
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i) + 2
        elif src.startswith('R"', i):
            delim = re.match(r'R"([^(]*)\(', src[i:]).group(1)
            j = src.find(")" + delim + '"', i) + len(delim) + 2
        elif src[i] in "\"'":
            j = i + 1
            while j < n and src[j] != src[i]:
                j += 2 if src[j] == "\\" else 1
            j += 1
        else:
            out.append(src[i])
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", src[i:j]))
        i = j
    return "".join(out)


def functions(path):
    """(lines, first line) of every function body in the file."""
    text = blank_literals(open(path, encoding="utf-8").read())
    stack, found, last, line = [], [], 0, 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c == "{":
            head = text[last:i].strip()
            opens_function = ("fn" not in (kind for kind, _ in stack) and ")" in head
                              and not KEYWORDS.search(head.split("(")[0])
                              and not head.endswith("="))
            stack.append(("fn" if opens_function else "block", line))
            last = i + 1
        elif c == "}":
            if stack:
                kind, start = stack.pop()
                if kind == "fn":
                    found.append((line - start + 1, start))
            last = i + 1
        elif c == ";":
            last = i + 1
    return found


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    files = subprocess.run(["git", "ls-files", "*.cpp", "*.hpp", "*.cpp.in"], check=True,
                           capture_output=True, text=True).stdout.split()
    sizes = [(n, f, start) for f in files for n, start in functions(f)]
    over = sorted((s for s in sizes if s[0] > limit), reverse=True)
    for n, f, start in over:
        print(f"{f}:{start}: function of {n} lines, expected at most {limit}", file=sys.stderr)
    longest = max(sizes) if sizes else (0, "", 0)
    print(f"function sizes: {len(sizes)} functions in {len(files)} files, longest {longest[0]} "
          f"lines ({longest[1]}:{longest[2]}), {len(over)} over {limit}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
