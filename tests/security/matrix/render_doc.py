"""Write docs/permission-matrix.md from spec.py: `.venv/bin/python -m tests.security.matrix.render_doc`."""

from pathlib import Path

from tests.security.matrix import spec

HEADER = """# Permission matrix

Generated from `tests/security/matrix/spec.py` (run `python -m tests.security.matrix.render_doc`), checked by
`tests/security/matrix/test_matrix.py` for every web route and API operation, every role, an object of our
collectivité ("in") and of the neighbouring one ("out", asked by our members). L = redirect to the login page,
302 = another redirect (action done or refused with a message), 401/403/404/405 as usual, 400 = allowed but the
empty body is invalid (the same writes with a real body: last section). A route or API operation missing from
the matrix fails the test. Out of scope:
{excluded}

"""


def table(rows: dict) -> str:
    lines = ["| route | scope | " + " | ".join(spec.ROLES) + " |", "|" + "---|" * (len(spec.ROLES) + 2)]
    for name, (ins, outs) in rows.items():
        lines.append(f"| `{name}` | in | " + " | ".join(spec.row(ins).values()) + " |")
        if outs:
            lines.append(f"| `{name}` | out | " + " | ".join(spec.row(outs, spec.ROLES[:-1]).values()) + " | – |")
    return "\n".join(lines)


WRITES = """
## Writes with a real body

`tests/security/matrix/test_bodies.py` posts each write below again with a real, valid body: the form its page
shows (initial data for the object, the choices the form offers, a valid value in each required field) or, for
the API, the object's representation kept to the fields the operation accepts, plus the values named in `spec.py`.
ok = done (2xx/3xx, and the database changed); any other answer is a refusal after which every table is unchanged
(the security journal, sessions and tokens aside). Each role answered ok then posts the same body to the
neighbour's object, and one body per field of the last column naming what the role may not reach (the neighbour's
service, tool, person, review, declaration or committee seat; for the head of service and the agent, the services
and people outside their direction): refused, and nothing changed.

"""


def writes_table(writes: dict, expected: dict) -> str:
    lines = ["| route | " + " | ".join(spec.ROLES) + " | out of scope |", "|" + "---|" * (len(spec.ROLES) + 2)]
    for name, write in writes.items():
        cells = " | ".join(write.row(expected[name][0]).values())
        foreign = ", ".join(f"`{field}`" for field in write.foreign) or "–"
        lines.append(f"| `{name}` | {cells} | {foreign} |")
    return "\n".join(lines)


def main():
    excluded = "\n".join(f"- `{key}`: {why}" for key, why in spec.OUT_OF_SCOPE.items())
    text = HEADER.format(excluded=excluded)
    text += "## Web pages\n\n" + table(spec.WEB_EXPECTED) + "\n\n## API v1\n\n" + table(spec.API_EXPECTED) + "\n"
    text += WRITES + "### Web pages\n\n" + writes_table(spec.WEB_WRITES, spec.WEB_EXPECTED)
    text += "\n\n### API v1\n\n" + writes_table(spec.API_WRITES, spec.API_EXPECTED) + "\n"
    Path(__file__).resolve().parents[3].joinpath("docs", "permission-matrix.md").write_text(text)


if __name__ == "__main__":
    main()
