"""Write docs/permission-matrix.md from spec.py: `.venv/bin/python -m tests.security.matrix.render_doc`."""

from pathlib import Path

from tests.security.matrix import spec

HEADER = """# Permission matrix

Generated from `tests/security/matrix/spec.py` (run `python -m tests.security.matrix.render_doc`), checked by
`tests/security/matrix/test_matrix.py` for every web route and API operation, every role, an object of our
collectivité ("in") and of the neighbouring one ("out", asked by our members). L = redirect to the login page,
302 = another redirect (action done or refused with a message), 401/403/404/405 as usual, 400 = allowed but the
empty body is invalid. A route or API operation missing from the matrix fails the test. Out of scope:
{excluded}

"""


def table(rows: dict) -> str:
    lines = ["| route | scope | " + " | ".join(spec.ROLES) + " |", "|" + "---|" * (len(spec.ROLES) + 2)]
    for name, (ins, outs) in rows.items():
        lines.append(f"| `{name}` | in | " + " | ".join(spec.row(ins).values()) + " |")
        if outs:
            lines.append(f"| `{name}` | out | " + " | ".join(spec.row(outs, spec.ROLES[:-1]).values()) + " | – |")
    return "\n".join(lines)


def main():
    excluded = "\n".join(f"- `{key}`: {why}" for key, why in spec.OUT_OF_SCOPE.items())
    text = HEADER.format(excluded=excluded)
    text += "## Web pages\n\n" + table(spec.WEB_EXPECTED) + "\n\n## API v1\n\n" + table(spec.API_EXPECTED) + "\n"
    Path(__file__).resolve().parents[3].joinpath("docs", "permission-matrix.md").write_text(text)


if __name__ == "__main__":
    main()
