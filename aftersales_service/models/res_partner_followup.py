from dateutil.relativedelta import relativedelta

from odoo import fields, models


class ResPartner(models.Model):
    """Project customers get recurring follow-up calls: monthly in the first
    year after go-live, quarterly after (periods per customer or company)."""

    _inherit = "res.partner"

    aftersales_project_followup = fields.Boolean(
        string="Recurring Follow-up Calls",
        help="Call this project customer regularly after its project went live.",
    )
    aftersales_project_date = fields.Date(
        string="Project Go-live",
        help="Start of the recurring follow-up calls.",
    )
    aftersales_followup_first_months = fields.Integer(
        string="Call Every (months, first year)",
        help="Zero: the company's setting.",
    )
    aftersales_followup_later_months = fields.Integer(
        string="Call Every (months, after the first year)",
        help="Zero: the company's setting.",
    )

    def _aftersales_next_project_followup(self, last_date=None):
        """The date of the next recurring call after ``last_date``."""
        self.ensure_one()
        company = self.company_id or self.env.company
        start = self.aftersales_project_date
        base = last_date or start
        first_year_end = start + relativedelta(years=1)
        first = (
            self.aftersales_followup_first_months
            or company.aftersales_project_first_year_months
            or 1
        )
        later = (
            self.aftersales_followup_later_months
            or company.aftersales_project_later_months
            or 3
        )
        step = first if base < first_year_end else later
        candidate = base + relativedelta(months=step)
        if base < first_year_end < candidate and step == first:
            candidate = min(candidate, first_year_end)
        return candidate
