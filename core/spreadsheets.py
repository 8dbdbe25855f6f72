"""Spreadsheet cells that stay text: no formula injection in the site's CSV files.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheets skip before looking for one) is run as a formula when a CSV file is opened
in Excel or LibreOffice ("CSV injection", OWASP). Every CSV the site writes passes its
cells through `safe_cell`, which puts an apostrophe in front: spreadsheets show the
text as it was and never evaluate it. `cell_text` undoes that on import, so the site's
own exports read back unchanged.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_text(value):
    """A cell read from a spreadsheet as plain text, without `safe_cell`'s apostrophe.

    A formula in an XLSX file arrives as its text ("=1+1") and stays text: nothing here
    evaluates it.
    """
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
