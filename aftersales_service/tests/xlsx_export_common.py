import base64
from urllib.parse import unquote

from xlsxwriter.utility import xl_col_to_name

from .xlsx_reader import cached_values, load_workbook, read_table


class XlsxExportMixin:
    """Export a workbook as the wizard's button does and read it back."""

    def _wizard(self, report, user=None, **values):
        Wizard = self.env["aftersales.xlsx.export"]
        if user:
            Wizard = Wizard.with_user(user)
        return Wizard.create({"report": report, **values})

    def _export(self, report, user=None, **values):
        return self._download(self._wizard(report, user=user, **values))

    def _download(self, wizard):
        """The file the wizard's Export button gives."""
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "download")
        self.assertTrue(
            unquote(action["url"]).endswith(f"{wizard.file_name}?download=true")
        )
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        return base64.b64decode(wizard.file_data)

    def _tables(self, content):
        """{sheet name: (headers, rows, totals)} of every sheet."""
        book = load_workbook(content)
        return {sheet.title: read_table(sheet) for sheet in book.worksheets}

    def _render_queries(self, wizard):
        """Queries of one export, the records read fresh as after a request."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        wizard._render()
        return self.env.cr.sql_log_count - before

    def _assert_rows(self, table, key, expected):
        """The table's rows by their ``key`` column equal ``expected``
        ({key value: {header: value}}); numbers compared to 2 decimals."""
        _headers, rows, _totals = table
        found = {row[key]: row for row in rows}
        self.assertEqual(len(rows), len(found), "one row per group")
        self.assertEqual(set(found), set(expected))
        for group, values in expected.items():
            for header, value in values.items():
                self._assert_value(found[group][header], value, f"{group} / {header}")

    def _assert_value(self, actual, expected, msg):
        if isinstance(expected, float):
            self.assertIsNotNone(actual, msg)
            self.assertAlmostEqual(actual, expected, places=2, msg=msg)
        else:
            self.assertEqual(actual, expected, msg)

    def _assert_totals(self, content, sheet_name, table, expected):
        """The totals row holds SUBTOTAL formulas over the data rows and caches
        ``expected`` ({header: total}); ratios as (num header, den header, value)."""
        headers, rows, totals = table
        self.assertIsNotNone(totals, f"{sheet_name} has a totals row")
        last = len(rows) + 1
        cached = dict(
            zip(headers, cached_values(content, sheet_name)[last], strict=True)
        )

        def cells(header):
            col = xl_col_to_name(headers.index(header))
            return f"{col}2:{col}{last}"

        for header, value in expected.items():
            if isinstance(value, tuple):
                num, den, value = value
                self.assertEqual(
                    totals[header],
                    f'=IF(SUBTOTAL(109,{cells(den)})=0,"",'
                    f"SUBTOTAL(109,{cells(num)})/SUBTOTAL(109,{cells(den)}))",
                    f"{sheet_name} / {header}",
                )
            else:
                self.assertEqual(
                    totals[header],
                    f"=SUBTOTAL(109,{cells(header)})",
                    f"{sheet_name} / {header}",
                )
            self._assert_value(cached[header], value, f"{sheet_name} total {header}")
