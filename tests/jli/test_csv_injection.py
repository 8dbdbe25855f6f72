"""The site's CSV files never carry a formula a spreadsheet would run."""

from core.spreadsheets import cell_text, safe_cell


def test_cells_starting_like_formulas_are_made_text_and_read_back():
    for value in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]:
        assert safe_cell(value) == "'" + value
        assert cell_text(safe_cell(value)) == value
    assert safe_cell(-1) == -1
    assert safe_cell("plain") == "plain"
