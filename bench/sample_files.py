"""The sample files the import benchmarks upload (bench/imports.py in-process,
bench/imports_background.py through the admin and a worker). Sample data only."""


def people_csv(count):
    """A people-and-roles spreadsheet of `count` rows, as the admin's template has it."""
    lines = ["Given name,Family name,Affiliation,Country,E-mail,Group,Role,Start date"]
    for n in range(count):
        lines.append(
            f"Sample{n},Person{n},Sample University {n % 50},KE,sample{n}@example.org,"
            f"Sample group {n % 7},Member,15/01/2003"
        )
    return ("\n".join(lines) + "\n").encode()


def bibtex(count):
    """`count` sample reports in BibTeX (two authors each: a person and an organisation)."""
    entries = []
    for n in range(count):
        entries.append(
            f"@techreport{{sample{n},\n  title = {{Sample report {n}}},\n"
            f"  author = {{Person{n % 500}, Sample{n % 500} and {{Sample Organisation}}}},\n"
            f"  year = {{2003}},\n  month = {{{n % 12 + 1}}},\n"
            f"  abstract = {{A sample abstract of sample report {n}.}},\n"
            f"  keywords = {{Sample group {n % 7}}}\n}}\n"
        )
    return "\n".join(entries).encode()
