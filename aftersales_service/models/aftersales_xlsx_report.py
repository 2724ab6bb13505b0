import tempfile

from odoo import _, api, fields, models
from odoo.tools import SQL

from .xlsx_writer import XlsxBook, XlsxColumn


class AftersalesXlsxReport(models.AbstractModel):
    """What every workbook shares: the file, the formats, the parameters sheet.

    A workbook is a model inheriting this one and writing its tables in
    ``_xlsx_write(book, options)``, where ``options`` is the export wizard
    (period, companies, teams, technicians, products). Workbooks read through
    the reading user's record rules, with grouped queries only.
    """

    _name = "aftersales.xlsx.report"
    _description = "After-Sales Workbook"
    # Order of the workbooks in the export wizard.
    _xlsx_sequence = 100

    @api.model
    def _xlsx_reports(self):
        """The workbook models, in the wizard's order."""
        names = self.env.registry[self._name]._inherit_children
        return sorted(
            (self.env[name] for name in names if name != self._name),
            key=lambda model: (model._xlsx_sequence, model._name),
        )

    @api.model
    def _xlsx_title(self):
        return self.env["ir.model"]._get(self._name).name

    def _xlsx_filename(self, options):
        start = fields.Date.to_string(options.date_from)
        end = fields.Date.to_string(options.date_to)
        return f"{self._xlsx_title()} {start}~{end}.xlsx"

    def _xlsx_render(self, options):
        """The workbook as bytes, written through a temporary file."""
        with tempfile.TemporaryFile() as fileobj:
            book = XlsxBook(
                fileobj,
                tz=self._xlsx_tz(),
                total_label=_("Total"),
                yes=_("Yes"),
                no=_("No"),
            )
            book.set_properties(
                title=self._xlsx_title(),
                company=", ".join(options.company_ids.mapped("name")),
                author=self.env.user.name,
            )
            self._xlsx_write(book, options)
            self._xlsx_write_parameters(book, options)
            book.close()
            fileobj.seek(0)
            return fileobj.read()

    def _xlsx_write(self, book, options):
        raise NotImplementedError()

    def _xlsx_write_parameters(self, book, options):
        table = book.table(
            _("Parameters"),
            [
                XlsxColumn("name", _("Parameter"), width=22),
                XlsxColumn("value", _("Parameter Value"), "long", width=60),
            ],
            freeze_cols=0,
        )
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        for name, value in (
            (_("Workbook"), self._xlsx_title()),
            (_("From"), fields.Date.to_string(options.date_from)),
            (_("To"), fields.Date.to_string(options.date_to)),
            (_("Companies"), ", ".join(options.company_ids.mapped("name"))),
            (_("Teams"), ", ".join(options.team_ids.mapped("name")) or _("All")),
            (
                _("Technicians"),
                ", ".join(options.user_ids.mapped("name")) or _("All"),
            ),
            (
                _("Products"),
                ", ".join(options.product_ids.mapped("display_name")) or _("All"),
            ),
            (
                _("Tickets"),
                ", ".join(options.ticket_ids.mapped("name")) or _("All"),
            ),
            (_("Printed By"), self.env.user.name),
            (_("Printed On"), now.strftime("%Y-%m-%d %H:%M")),
        ):
            table.add_row([name, value])
        table.close()

    # ------------------------------------------------------------------
    # Helpers for the workbooks' SQL
    # ------------------------------------------------------------------

    @api.model
    def _xlsx_tz(self):
        """The reader's time zone, or the one the context sets (the company's
        for the scheduled report)."""
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.model
    def _xlsx_lang(self):
        return self.env.lang or "en_US"

    @api.model
    def _xlsx_translated(self, column):
        """A translated jsonb column in the user's language, English otherwise."""
        return SQL("COALESCE(%s->>%s, %s->>'en_US')", column, self._xlsx_lang(), column)

    @api.model
    def _xlsx_labels(self, model, field_name):
        """Selection values to their labels in the user's language."""
        field = self.env[model]._fields[field_name]
        return dict(field._description_selection(self.env))
