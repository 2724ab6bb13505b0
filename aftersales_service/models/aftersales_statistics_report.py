import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

_logger = logging.getLogger(__name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATISTICS_WORKBOOK = "aftersales.xlsx.monthly.statistics"


class AftersalesStatisticsReport(models.Model):
    """The monthly service statistics of one closed statistics month, kept as
    a workbook and e-mailed to the company's recipients on the send day.

    The workbook is rendered with superuser rights restricted to the report's
    company (every ticket of the company counts, whoever triggers it), in the
    language and time zone of the company's partner; one workbook and one
    e-mail go to every recipient.
    """

    _name = "aftersales.statistics.report"
    _description = "Monthly Statistics Report"
    _inherit = ["mail.thread"]
    _order = "date_from desc, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    date_from = fields.Date(
        string="From",
        required=True,
        readonly=True,
        default=lambda self: self._default_period()[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        readonly=True,
        default=lambda self: self._default_period()[1],
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("generated", "Generated"),
            ("sent", "Sent"),
            ("failed", "Sending Failed"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        "aftersales_statistics_report_partner_rel",
        "report_id",
        "partner_id",
        string="Recipients",
        default=lambda self: self.env.company.aftersales_statistics_partner_ids,
    )
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        readonly=True,
        help="Language the workbook and its e-mail were written in.",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Workbook", readonly=True, copy=False
    )
    file_data = fields.Binary(related="attachment_id.datas", string="File")
    file_name = fields.Char(related="attachment_id.name", string="File Name")
    date_generated = fields.Datetime(string="Generated On", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    mail_id = fields.Many2one("mail.mail", string="E-mail", readonly=True, copy=False)
    failure_reason = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        (
            "company_period_unique",
            "UNIQUE(company_id, date_from)",
            "A company has one statistics report per statistics month.",
        ),
    ]

    @api.model
    def _default_period(self):
        today = fields.Date.context_today(self)
        return self.env.company._aftersales_statistics_last_closed(today)

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for report in self:
            report.name = _(
                "Monthly Service Statistics %(start)s ~ %(end)s",
                start=fields.Date.to_string(report.date_from) or "",
                end=fields.Date.to_string(report.date_to) or "",
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for report in self:
            if report.date_from > report.date_to:
                raise UserError(
                    _(
                        "The period starts on %(start)s, after its end on %(end)s.",
                        start=fields.Date.to_string(report.date_from),
                        end=fields.Date.to_string(report.date_to),
                    )
                )

    # Rendering ----------------------------------------------------------

    def _render_env(self):
        """Superuser rights in the report's company only, in the language and
        time zone of the company."""
        self.ensure_one()
        company = self.company_id
        partner = company.partner_id
        lang = partner.lang or self.env.ref("base.lang_en").code
        context = dict(
            clean_context(self.env.context),
            lang=lang,
            tz=partner.tz or "UTC",
            allowed_company_ids=company.ids,
        )
        return self.env(context=context, su=True), lang

    def _generate(self):
        """Render the workbook of each report and keep it as its attachment."""
        for report in self:
            env, lang = report._render_env()
            wizard = env["aftersales.xlsx.export"].create(
                {
                    "report": STATISTICS_WORKBOOK,
                    "date_from": report.date_from,
                    "date_to": report.date_to,
                    "company_ids": [(6, 0, report.company_id.ids)],
                }
            )
            file_name, content = wizard._render()
            wizard.unlink()
            old = report.attachment_id
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": file_name,
                        "raw": content,
                        "mimetype": XLSX_MIMETYPE,
                        "res_model": report._name,
                        "res_id": report.id,
                    }
                )
            )
            report.sudo().write(
                {
                    "attachment_id": attachment.id,
                    "lang": lang,
                    "date_generated": fields.Datetime.now(),
                    "state": "sent" if report.state == "sent" else "generated",
                }
            )
            old.sudo().unlink()

    def _send(self):
        """E-mail the workbook to the recipients; a failure shows on the report."""
        template = self.env.ref("aftersales_service.mail_template_statistics_report")
        for report in self:
            if not report.recipient_ids:
                raise UserError(
                    _(
                        "Report %(report)s has no recipients: add them on the report "
                        "or in the settings.",
                        report=report.name,
                    )
                )
            if not report.attachment_id:
                report._generate()
            mail_id = template.sudo().send_mail(
                report.id,
                email_values={
                    "recipient_ids": [(6, 0, report.recipient_ids.ids)],
                    "attachment_ids": [(6, 0, report.attachment_id.ids)],
                },
            )
            mail = self.env["mail.mail"].sudo().browse(mail_id)
            mail.send(raise_exception=False)
            if mail.exists() and mail.state == "exception":
                report.sudo().write(
                    {
                        "state": "failed",
                        "mail_id": mail.id,
                        "failure_reason": mail.failure_reason
                        or _("The mail server refused the e-mail."),
                    }
                )
                report._message_log(
                    body=_(
                        "The statistics could not be sent: %(reason)s",
                        reason=report.failure_reason,
                    ),
                )
                continue
            report.sudo().write(
                {
                    "state": "sent",
                    "mail_id": mail.exists().id,
                    "date_sent": fields.Datetime.now(),
                    "failure_reason": False,
                }
            )
            report._message_log(
                body=_(
                    "Statistics sent to %(recipients)s.",
                    recipients=", ".join(
                        report.recipient_ids.mapped("email_formatted")
                    ),
                ),
                attachment_ids=report.attachment_id.ids,
            )

    # Actions ------------------------------------------------------------

    def action_generate(self):
        self._generate()
        return True

    def action_send(self):
        self._send()
        return True

    # Scheduled report ---------------------------------------------------

    @api.model
    def _cron_send_monthly(self):
        """On each company's send day, report the statistics month just closed.

        Once per company and month: a report already sent is left alone, so a
        second run the same day sends nothing; a failed one is tried again.
        Companies without recipients get no report.
        """
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("aftersales_statistics_partner_ids", "!=", False)])
        )
        for company in companies:
            today = fields.Date.context_today(
                self.with_context(tz=company.partner_id.tz or "UTC")
            )
            if not company._aftersales_statistics_is_send_day(today):
                continue
            start, end = company._aftersales_statistics_last_closed(today)
            Report = self.sudo().with_company(company)
            report = Report.search(
                [("company_id", "=", company.id), ("date_from", "=", start)], limit=1
            )
            if report.state == "sent":
                continue
            if not report:
                report = Report.create(
                    {
                        "company_id": company.id,
                        "date_from": start,
                        "date_to": end,
                        "recipient_ids": [
                            (6, 0, company.aftersales_statistics_partner_ids.ids)
                        ],
                    }
                )
            try:
                with self.env.cr.savepoint():
                    report._generate()
                    report._send()
            except Exception as error:  # noqa: BLE001 - other companies go on
                _logger.exception(
                    "Monthly statistics of %s could not be sent", company.name
                )
                report.write({"state": "failed", "failure_reason": str(error)})
