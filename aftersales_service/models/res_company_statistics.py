import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


def _month_end(year, month, day):
    """``day`` of the month, clamped to its last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


class ResCompany(models.Model):
    """The statistics month closed on a fixed day and its monthly report
    (统计截止日 / 发送日): figures close on the 25th and go to Quality and the
    general manager on the 30th."""

    _inherit = "res.company"

    aftersales_statistics_cutoff_day = fields.Integer(
        string="Statistics Cut-off Day",
        default=25,
        help="The statistics month ends on this day: with 25, the month runs from "
        "the 26th of the previous month to the 25th. 31 or more: calendar months. "
        "In shorter months it ends on the last day.",
    )
    aftersales_statistics_send_day = fields.Integer(
        string="Statistics Send Day",
        default=30,
        help="Day of the month the monthly statistics of the month just closed are "
        "e-mailed (the last day in shorter months).",
    )
    aftersales_statistics_partner_ids = fields.Many2many(
        "res.partner",
        "res_company_aftersales_statistics_partner_rel",
        "company_id",
        "partner_id",
        string="Statistics Recipients",
        help="Who receives the monthly statistics workbook (e.g. Quality and the "
        "general manager). Nobody: the report is not sent.",
    )

    @api.constrains(
        "aftersales_statistics_cutoff_day", "aftersales_statistics_send_day"
    )
    def _check_aftersales_statistics_days(self):
        for company in self:
            if company.aftersales_statistics_cutoff_day < 1:
                raise ValidationError(
                    _(
                        "The statistics cut-off day must be 1 or more (31 or more "
                        "for calendar months), not %(day)s.",
                        day=company.aftersales_statistics_cutoff_day,
                    )
                )
            if not 1 <= company.aftersales_statistics_send_day <= 31:
                raise ValidationError(
                    _(
                        "The statistics send day must be a day of the month "
                        "between 1 and 31, not %(day)s.",
                        day=company.aftersales_statistics_send_day,
                    )
                )

    @api.constrains("aftersales_statistics_partner_ids")
    def _check_aftersales_statistics_partners(self):
        for company in self:
            missing = company.aftersales_statistics_partner_ids.filtered(
                lambda partner: not partner.email
            )
            if missing:
                raise ValidationError(
                    _(
                        "The statistics recipients need an e-mail address: "
                        "%(names)s.",
                        names=", ".join(missing.mapped("display_name")),
                    )
                )

    # Statistics months ----------------------------------------------------

    def _aftersales_statistics_month_end(self, year, month):
        """Last day of the statistics month named ``year``-``month``."""
        self.ensure_one()
        return _month_end(year, month, self.aftersales_statistics_cutoff_day)

    def _aftersales_statistics_period(self, year, month):
        """(first day, last day) of the statistics month named ``year``-``month``:
        from the day after the previous month's cut-off to this month's."""
        self.ensure_one()
        previous = date(year, month, 1) - relativedelta(months=1)
        start = self._aftersales_statistics_month_end(
            previous.year, previous.month
        ) + timedelta(days=1)
        return start, self._aftersales_statistics_month_end(year, month)

    def _aftersales_statistics_month_of(self, day):
        """The first day of the statistics month ``day`` belongs to."""
        self.ensure_one()
        if day > self._aftersales_statistics_month_end(day.year, day.month):
            return day.replace(day=1) + relativedelta(months=1)
        return day.replace(day=1)

    def _aftersales_statistics_last_closed(self, today):
        """The period of the latest statistics month that ended before ``today``."""
        self.ensure_one()
        month = self._aftersales_statistics_month_of(today) - relativedelta(months=1)
        return self._aftersales_statistics_period(month.year, month.month)

    def _aftersales_statistics_is_send_day(self, today):
        self.ensure_one()
        send = _month_end(today.year, today.month, self.aftersales_statistics_send_day)
        return today == send
