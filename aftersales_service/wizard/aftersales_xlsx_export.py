import base64
from datetime import datetime, time, timedelta
from urllib.parse import quote as url_quote

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesXlsxExport(models.TransientModel):
    """Choose a workbook and its scope, then download it."""

    _name = "aftersales.xlsx.export"
    _description = "Export After-Sales Workbook"

    report = fields.Selection(
        selection="_selection_report", string="Workbook", required=True
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    team_ids = fields.Many2many(
        "aftersales.team", string="Teams", help="Empty: every team."
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Technicians",
        domain=[("share", "=", False)],
        help="Empty: every technician.",
    )
    product_ids = fields.Many2many(
        "product.product", string="Products", help="Empty: every product."
    )
    ticket_ids = fields.Many2many(
        "aftersales.ticket",
        string="Tickets",
        help="Only these tickets, when the export starts from a selection.",
    )
    file_data = fields.Binary(string="File", readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)

    @api.model
    def _selection_report(self):
        return [
            (model._name, model._xlsx_title())
            for model in self.env["aftersales.xlsx.report"]._xlsx_reports()
        ]

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(
                    _(
                        "The period starts on %(start)s, after its end on " "%(end)s.",
                        start=fields.Date.to_string(wizard.date_from),
                        end=fields.Date.to_string(wizard.date_to),
                    )
                )

    # ------------------------------------------------------------------
    # Scope of the workbook, as domains
    # ------------------------------------------------------------------

    def _ticket_domain(self, path=""):
        """The chosen companies, teams, technicians, products and tickets.

        ``path`` leads from another model to its ticket, e.g. ``"ticket_id."``.
        """
        self.ensure_one()
        domain = [(f"{path}company_id", "in", self.company_ids.ids)]
        if self.team_ids:
            domain.append((f"{path}team_id", "in", self.team_ids.ids))
        if self.user_ids:
            domain.append((f"{path}user_id", "in", self.user_ids.ids))
        if self.product_ids:
            domain.append((f"{path}product_id", "in", self.product_ids.ids))
        if self.ticket_ids:
            domain.append((path + "id" if path else "id", "in", self.ticket_ids.ids))
        return domain

    def _period_bounds(self):
        """The period as UTC datetimes: from the first day's midnight to the
        midnight after the last day, in the reader's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.env["aftersales.xlsx.report"]._xlsx_tz())

        def to_utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(self.date_from), to_utc(self.date_to + timedelta(days=1))

    def _period_domain(self, field_name, is_date=False):
        self.ensure_one()
        if is_date:
            return [
                (field_name, ">=", self.date_from),
                (field_name, "<=", self.date_to),
            ]
        start, end = self._period_bounds()
        return [(field_name, ">=", start), (field_name, "<", end)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _render(self):
        self.ensure_one()
        report = self.env[self.report]
        return report._xlsx_filename(self), report._xlsx_render(self)

    def action_export(self):
        self.ensure_one()
        file_name, content = self._render()
        self.write({"file_data": base64.b64encode(content), "file_name": file_name})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/"
            f"{url_quote(file_name)}?download=true",
            "target": "download",
        }

    @api.model
    def action_open_for(self, report, records=None, **defaults):
        """The wizard as a print-menu entry opens it: ``report`` chosen and,
        from a ticket selection, only those tickets."""
        context = {"default_report": report}
        if records is not None and records._name == "aftersales.ticket":
            context["default_ticket_ids"] = records.ids
            dates = [d for d in records.mapped("date_received") if d]
            if dates:
                context["default_date_from"] = fields.Date.to_string(
                    fields.Date.context_today(self, min(dates))
                )
                context["default_date_to"] = fields.Date.to_string(
                    fields.Date.context_today(self, max(dates))
                )
        context.update({f"default_{key}": value for key, value in defaults.items()})
        return {
            "type": "ir.actions.act_window",
            "name": _("Export Workbook"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }
