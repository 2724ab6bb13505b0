"""Read exported workbooks back the way a spreadsheet user sees them."""

import io

import openpyxl


def load_workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def read_table(sheet):
    """(headers, data rows as dicts, totals row as dict or None).

    The totals row is the row below the filtered range, made of formulas.
    """
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    ref = sheet.auto_filter.ref
    last_data_row = int("".join(ch for ch in ref.split(":")[1] if ch.isdigit()))
    data = [dict(zip(headers, row, strict=True)) for row in rows[1:last_data_row]]
    totals = None
    if len(rows) > last_data_row:
        totals = dict(zip(headers, rows[last_data_row], strict=True))
    # A table without rows keeps its filter on the (empty) second row.
    data = [row for row in data if any(value is not None for value in row.values())]
    return headers, data, totals


def cached_values(content, sheet_name):
    """The values cached with the formulas of a sheet (what Excel shows on opening).

    openpyxl returns either formulas or cached values; xlsxwriter writes both.
    """
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    return list(book[sheet_name].iter_rows(values_only=True))
