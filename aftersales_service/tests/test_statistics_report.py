from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_mail_server import MailDeliveryException

from .common import AftersalesCommon
from .xlsx_reader import load_workbook, read_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestStatisticsReport(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env["res.partner"].create(
            {"name": "Quality Dept", "email": "quality@example.com"}
        )
        cls.gm = cls.env["res.partner"].create(
            {"name": "General Manager", "email": "gm@example.com"}
        )
        cls.Report = cls.env["aftersales.statistics.report"]
        cls.company.partner_id.tz = "Asia/Shanghai"

    def _recipients(self):
        self.company.aftersales_statistics_partner_ids = self.quality | self.gm

    def _mails(self, report):
        return self.env["mail.mail"].search(
            [("model", "=", report._name), ("res_id", "=", report.id)]
        )

    # Settings ----------------------------------------------------------

    def test_settings_defaults_and_validation(self):
        company = self.env["res.company"].create({"name": "Fresh Statistics Co."})
        self.assertEqual(company.aftersales_statistics_cutoff_day, 25)
        self.assertEqual(company.aftersales_statistics_send_day, 30)
        self.assertFalse(company.aftersales_statistics_partner_ids)
        settings = Form(self.env["res.config.settings"])
        settings.aftersales_statistics_cutoff_day = 20
        settings.aftersales_statistics_send_day = 28
        settings.aftersales_statistics_partner_ids.add(self.quality)
        settings.save().execute()
        self.assertEqual(self.company.aftersales_statistics_cutoff_day, 20)
        self.assertEqual(self.company.aftersales_statistics_send_day, 28)
        self.assertEqual(self.company.aftersales_statistics_partner_ids, self.quality)
        for field, value, message in (
            ("aftersales_statistics_cutoff_day", 0, "cut-off day must be 1 or more"),
            ("aftersales_statistics_send_day", 0, "send day must be a day"),
            ("aftersales_statistics_send_day", 32, "send day must be a day"),
        ):
            with (
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.company.write({field: value})
            self.env.invalidate_all()
        nobody = self.env["res.partner"].create({"name": "No Mail"})
        with (
            self.assertRaisesRegex(ValidationError, "need an e-mail address: No Mail"),
            self.env.cr.savepoint(),
        ):
            self.company.aftersales_statistics_partner_ids = [Command.link(nobody.id)]
        self.env.invalidate_all()
        # 31 or more: calendar months.
        self.company.aftersales_statistics_cutoff_day = 40
        self.assertEqual(
            self.company._aftersales_statistics_period(2026, 11),
            (date(2026, 11, 1), date(2026, 11, 30)),
        )

    # Periods -----------------------------------------------------------

    def test_statistics_periods(self):
        company = self.company
        period = company._aftersales_statistics_period
        self.assertEqual(period(2026, 11), (date(2026, 10, 26), date(2026, 11, 25)))
        self.assertEqual(period(2027, 1), (date(2026, 12, 26), date(2027, 1, 25)))
        last = company._aftersales_statistics_last_closed
        # The month ending on the 25th is closed from the 26th on.
        self.assertEqual(last(date(2026, 11, 25)), period(2026, 10))
        self.assertEqual(last(date(2026, 11, 26)), period(2026, 11))
        self.assertEqual(last(date(2026, 11, 30)), period(2026, 11))
        company.aftersales_statistics_cutoff_day = 31
        self.assertEqual(period(2026, 2), (date(2026, 2, 1), date(2026, 2, 28)))
        self.assertEqual(period(2026, 4), (date(2026, 4, 1), date(2026, 4, 30)))
        self.assertEqual(
            last(date(2026, 12, 1)), (date(2026, 11, 1), date(2026, 11, 30))
        )
        # Cut-off 30: February ends on its last day, March starts on the 1st.
        company.aftersales_statistics_cutoff_day = 30
        self.assertEqual(period(2026, 2), (date(2026, 1, 31), date(2026, 2, 28)))
        self.assertEqual(period(2026, 3), (date(2026, 3, 1), date(2026, 3, 30)))
        self.assertEqual(period(2028, 2), (date(2028, 1, 31), date(2028, 2, 29)))
        # Send day 30 is the 28th in February, the 30th in March.
        is_send_day = company._aftersales_statistics_is_send_day
        self.assertTrue(is_send_day(date(2026, 2, 28)))
        self.assertFalse(is_send_day(date(2026, 3, 28)))
        self.assertTrue(is_send_day(date(2026, 3, 30)))
        self.assertFalse(is_send_day(date(2026, 3, 31)))

    # Cron ----------------------------------------------------------------

    def test_cron_sends_once_on_the_send_day(self):
        self._recipients()
        with freeze_time("2026-11-10 02:00:00"):
            self._new_ticket(channel="email")
        with freeze_time("2026-11-29 08:00:00"):
            self.Report._cron_send_monthly()
        self.assertFalse(self.Report.search([]), "not the send day")
        # 30 November 09:00 in Shanghai.
        with freeze_time("2026-11-30 01:00:00"):
            self.Report._cron_send_monthly()
            self.Report._cron_send_monthly()
        report = self.Report.search([])
        self.assertEqual(len(report), 1)
        self.assertRecordValues(
            report,
            [
                {
                    "company_id": self.company.id,
                    "date_from": date(2026, 10, 26),
                    "date_to": date(2026, 11, 25),
                    "state": "sent",
                    "recipient_ids": (self.quality | self.gm).ids,
                }
            ],
        )
        self.assertTrue(report.date_sent)
        mails = self._mails(report)
        self.assertEqual(len(mails), 1, "the second run sends nothing")
        self.assertEqual(mails.recipient_ids, self.quality | self.gm)
        self.assertIn(
            "monthly service statistics 2026-10-26 ~ 2026-11-25", mails.subject
        )
        self.assertEqual(mails.attachment_ids, report.attachment_id)
        attachment = report.attachment_id
        self.assertEqual(attachment.mimetype, XLSX)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        book = load_workbook(attachment.raw)
        _headers, rows, _totals = read_table(book["By Channel"])
        ours = [row for row in rows if row["Team"] == self.team.name]
        self.assertEqual([row["E-mail"] for row in ours], [1])
        _headers, params, _totals = read_table(book["Parameters"])
        values = {row["Parameter"]: row["Parameter Value"] for row in params}
        self.assertEqual((values["From"], values["To"]), ("2026-10-26", "2026-11-25"))
        # The next day is not a send day.
        with freeze_time("2026-12-01 01:00:00"):
            self.Report._cron_send_monthly()
        self.assertEqual(len(self.Report.search([])), 1)

    def test_cron_without_recipients_sends_nothing(self):
        with freeze_time("2026-11-30 01:00:00"):
            self.Report._cron_send_monthly()
        self.assertFalse(self.Report.search([]))

    def test_failed_send_is_visible_then_sent_again(self):
        self._recipients()
        with (
            freeze_time("2026-11-30 01:00:00"),
            mute_logger("odoo.addons.mail.models.mail_mail"),
            patch(
                "odoo.addons.base.models.ir_mail_server.IrMailServer.send_email",
                side_effect=MailDeliveryException("Connection refused"),
            ),
        ):
            self.Report._cron_send_monthly()
        report = self.Report.search([])
        self.assertEqual(report.state, "failed")
        self.assertIn("Connection refused", report.failure_reason)
        self.assertFalse(report.date_sent)
        self.assertTrue(report.attachment_id)
        # The manager sends it again from the report.
        report.with_user(self.manager).action_send()
        self.assertEqual(report.state, "sent")
        self.assertFalse(report.failure_reason)
        self.assertEqual(len(self._mails(report)), 2)

    def test_manager_generates_now_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        with freeze_time("2026-12-03 08:00:00"):
            form = Form(self.Report.with_user(self.manager))
            report = form.save()
        self.assertEqual(
            (report.date_from, report.date_to), (date(2026, 10, 26), date(2026, 11, 25))
        )
        self.assertEqual(report.state, "draft")
        report.with_user(self.manager).action_generate()
        self.assertEqual(report.state, "generated")
        self.assertEqual(report.lang, "zh_CN")
        book = load_workbook(report.attachment_id.raw)
        title = (
            self.env["ir.model"]
            .with_context(lang="zh_CN")
            ._get("aftersales.xlsx.monthly.statistics")
            .name
        )
        self.assertTrue(report.attachment_id.name.startswith(title))
        self.assertEqual(len(book.sheetnames), 8)
        # Not visible to agents, nor to another company's managers.
        self.assertFalse(
            self.Report.with_user(self.agent).has_access("read"),
        )
        with self.assertRaises(Exception):  # noqa: B017
            report.with_user(self.agent).read(["state"])
