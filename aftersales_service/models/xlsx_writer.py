"""Streaming XLSX tables: one header row, typed cells, totals as formulas.

xlsxwriter's ``constant_memory`` mode flushes every row to disk as soon as the
next one starts, so a table of any length costs the memory of one row. Rows
must therefore be written strictly top to bottom; the totals row is the last.
"""

from datetime import date, datetime

import pytz
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

# Cell kinds and their number formats.
NUMBER_FORMATS = {
    "int": "#,##0",
    "float": "#,##0.00",
    "money": "#,##0.00",
    "hours": "#,##0.0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
    "datetime": "yyyy-mm-dd hh:mm",
}
NUMERIC_KINDS = ("int", "float", "money", "hours", "percent")
DEFAULT_WIDTHS = {
    "text": 18,
    "long": 40,
    "int": 10,
    "float": 12,
    "money": 14,
    "hours": 10,
    "percent": 10,
    "date": 12,
    "month": 10,
    "datetime": 17,
    "bool": 8,
}
# Widest table (in character widths) still printed at a readable size when
# shrunk to the width of a landscape A4 page.
PRINT_FIT_WIDTH = 200
# Characters Excel refuses in sheet names.
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


class XlsxColumn:
    """A column: its header, cell kind, width and how its total is made.

    ``total`` is ``"sum"`` or ``"avg"`` of the visible rows, ``"count"`` of
    their non-empty cells, or ``("ratio", num, den)`` where num and den are
    the keys of two summed columns.
    """

    __slots__ = ("key", "label", "kind", "width", "total")

    def __init__(self, key, label, kind="text", width=None, total=None):
        self.key = key
        self.label = label
        self.kind = kind
        self.width = width or DEFAULT_WIDTHS.get(kind, 14)
        self.total = total


class XlsxTable:
    """One worksheet holding one table, written row by row."""

    def __init__(self, book, name, columns, freeze_cols=1):
        self.book = book
        self.columns = columns
        self.keys = {column.key: index for index, column in enumerate(columns)}
        self.sheet = book.workbook.add_worksheet(self._sheet_name(book, name))
        self.row_count = 0
        self.sums = [0.0] * len(columns)
        self.counts = [0] * len(columns)
        self.closed = False
        header = book.format("header")
        self.sheet.set_row(0, 30)
        # Printed on landscape A4 with the header on every page: narrow tables
        # fit the page width, wide ones repeat their first column instead.
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.repeat_rows(0)
        if sum(column.width for column in columns) <= PRINT_FIT_WIDTH:
            self.sheet.fit_to_pages(1, 0)
        else:
            self.sheet.repeat_columns(0)
        for index, column in enumerate(columns):
            self.sheet.set_column(index, index, column.width, book.format(column.kind))
            self.sheet.write_string(0, index, column.label, header)
        self.sheet.freeze_panes(1, freeze_cols)

    @staticmethod
    def _sheet_name(book, name):
        name = (name or "Sheet").translate(SHEET_NAME_FORBIDDEN).strip()[:31]
        base, suffix = name, 2
        while name.lower() in book.sheet_names:
            tail = f" ({suffix})"
            name = base[: 31 - len(tail)] + tail
            suffix += 1
        book.sheet_names.add(name.lower())
        return name

    def add_row(self, values):
        """Write one row; ``values`` is a sequence in column order or a dict."""
        if isinstance(values, dict):
            values = [values.get(column.key) for column in self.columns]
        self.row_count += 1
        row = self.row_count
        sheet, book = self.sheet, self.book
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            if value is None or (value is False and column.kind != "bool"):
                continue
            kind = column.kind
            self.counts[index] += 1
            if kind in NUMERIC_KINDS:
                sheet.write_number(row, index, value, book.format(kind))
                self.sums[index] += value
            elif kind in ("date", "month"):
                sheet.write_datetime(
                    row,
                    index,
                    datetime.combine(value, datetime.min.time()),
                    book.format(kind),
                )
            elif kind == "datetime":
                sheet.write_datetime(row, index, book.local(value), book.format(kind))
            elif kind == "bool":
                sheet.write_string(row, index, book.yes if value else book.no)
            else:
                sheet.write_string(row, index, str(value), book.format(kind))

    def close(self, total_label=None):
        """Add the filter over the data and a totals row of live formulas.

        The totals use SUBTOTAL, so they follow the rows the filter shows; the
        value cached with each formula is the total of all rows, which is what
        a reader sees on opening.
        """
        if self.closed:
            return
        self.closed = True
        last_col = len(self.columns) - 1
        self.sheet.autofilter(0, 0, max(self.row_count, 1), last_col)
        if not self.row_count or not any(c.total for c in self.columns):
            return
        first, last = 1, self.row_count
        row = last + 1
        book = self.book
        if not self.columns[0].total:
            self.sheet.write_string(
                row, 0, total_label or book.total_label, book.format("total_text")
            )
        for index, column in enumerate(self.columns):
            if not column.total:
                continue
            formula, value = self._total_formula(index, column.total, first, last)
            fmt = book.format("total_" + column.kind)
            self.sheet.write_formula(row, index, formula, fmt, value)

    def _range(self, index, first, last):
        col = xl_col_to_name(index)
        return f"{col}{first + 1}:{col}{last + 1}"

    def _total_formula(self, index, total, first, last):
        if total == "sum":
            return (
                f"=SUBTOTAL(109,{self._range(index, first, last)})",
                self.sums[index],
            )
        if total == "count":
            return (
                f"=SUBTOTAL(103,{self._range(index, first, last)})",
                self.counts[index],
            )
        if total == "avg":
            count = self.counts[index]
            return (
                f'=IFERROR(SUBTOTAL(101,{self._range(index, first, last)}),"")',
                self.sums[index] / count if count else "",
            )
        _kind, num_key, den_key = total
        num, den = self.keys[num_key], self.keys[den_key]
        value = self.sums[num] / self.sums[den] if self.sums[den] else ""
        return (
            f'=IF(SUBTOTAL(109,{self._range(den, first, last)})=0,"",'
            f"SUBTOTAL(109,{self._range(num, first, last)})"
            f"/SUBTOTAL(109,{self._range(den, first, last)}))",
            value,
        )

    def cell(self, row, key):
        """The A1 reference of a data row's cell (row 1 is the first data row)."""
        return xl_rowcol_to_cell(row, self.keys[key])


class XlsxBook:
    """A workbook in constant-memory mode with the shared cell formats."""

    def __init__(self, fileobj, tz="UTC", total_label="Total", yes="Yes", no="No"):
        self.workbook = xlsxwriter.Workbook(
            fileobj,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.tz = pytz.timezone(tz or "UTC")
        self.total_label = total_label
        self.yes, self.no = yes, no
        self.sheet_names = set()
        self._formats = {}

    def format(self, kind):
        if kind not in self._formats:
            props = {"valign": "top"}
            base = kind.removeprefix("total_")
            if base in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[base]
            if kind == "header":
                props.update(
                    bold=True,
                    text_wrap=True,
                    bg_color="#E8EEF7",
                    border=1,
                    valign="vcenter",
                )
            if kind.startswith("total_"):
                props.update(bold=True, top=1)
            self._formats[kind] = self.workbook.add_format(props)
        return self._formats[kind]

    def local(self, value):
        """A naive UTC datetime as the user's wall-clock time."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime.combine(value, datetime.min.time())
        return pytz.utc.localize(value).astimezone(self.tz).replace(tzinfo=None)

    def table(self, name, columns, freeze_cols=1):
        return XlsxTable(self, name, columns, freeze_cols=freeze_cols)

    def set_properties(self, **properties):
        self.workbook.set_properties(properties)

    def close(self):
        self.workbook.close()
