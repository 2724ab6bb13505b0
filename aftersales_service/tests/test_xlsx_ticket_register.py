import base64
from datetime import datetime
from unittest.mock import patch

import pytz

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.aftersales_service.models import aftersales_xlsx_helpers

from .field_service_common import FieldServiceCommon
from .xlsx_reader import cached_values, load_workbook, read_table

REGISTER = "aftersales.xlsx.ticket.register"


@tagged("post_install", "-at_install")
class TestXlsxTicketRegister(FieldServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Asia/Shanghai"
        cls.manager.tz = cls.technician.tz = "Asia/Shanghai"
        cls.first = cls._ticket(
            subject="Fuser noise",
            partner_id=cls.customer.id,
            product_id=cls.fuser.id,
            user_id=cls.technician.id,
            date_received=datetime(2021, 10, 3, 1, 30),
            compensation_amount=80.0,
        )
        cls.second = cls._ticket(
            subject="Paper jam in tray 2",
            partner_id=cls.other_customer.id,
            team_id=cls.other_team.id,
            date_received=datetime(2021, 10, 20, 9, 0),
            compensation_amount=20.5,
        )
        # Outside the period, and in another company.
        cls.before = cls._ticket(
            subject="Old", date_received=datetime(2021, 9, 30, 15, 59)
        )
        cls.other_company = cls.env["aftersales.ticket"].create(
            {
                "subject": "Elsewhere",
                "company_id": cls.company_2.id,
                "team_id": cls.team_company_2.id,
                "date_received": datetime(2021, 10, 5),
            }
        )

    @classmethod
    def _ticket(cls, **values):
        values.setdefault("team_id", cls.team.id)
        return cls.env["aftersales.ticket"].create(values)

    def _export(self, user=None, **values):
        values = {
            "report": REGISTER,
            "date_from": "2021-10-01",
            "date_to": "2021-10-31",
            "company_ids": [self.company.id],
            **values,
        }
        user = user or self.env.user
        # As in the web client, the context speaks the user's language.
        env = self.env(user=user, context=dict(self.env.context, lang=user.lang))
        wizard = env["aftersales.xlsx.export"].create(values)
        action = wizard.action_export()
        self.assertIn(
            f"/web/content/aftersales.xlsx.export/{wizard.id}/", action["url"]
        )
        return wizard, base64.b64decode(wizard.file_data)

    def _invoice_fee(self, ticket, quantity):
        action = ticket.with_user(self.agent).action_new_quotation()
        env = (
            self.env["sale.order"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        with Form(env) as form:
            with form.order_line.new() as line:
                line.product_id = self.fee
                line.product_uom_qty = quantity
        order = form.record
        order.action_confirm()
        invoice = order.with_user(self.accountant)._create_invoices()
        invoice.action_post()
        return invoice

    def test_one_row_per_ticket_of_the_period_with_totals(self):
        _wizard, content = self._export()
        book = load_workbook(content)
        self.assertEqual(book.sheetnames, ["Tickets", "Parameters"])
        sheet = book["Tickets"]
        self.assertEqual(sheet.freeze_panes, "B2")
        headers, rows, totals = read_table(sheet)
        self.assertEqual(headers[:4], ["Ticket", "Subject", "Customer", "Product"])
        self.assertEqual(
            [row["Ticket"] for row in rows], [self.first.name, self.second.name]
        )
        first = rows[0]
        self.assertEqual(first["Customer"], self.customer.name)
        self.assertEqual(first["Product"], self.fuser.display_name)
        self.assertEqual(first["Team"], "Workshop Team")
        self.assertEqual(first["Technician"], self.technician.name)
        self.assertEqual(first["Stage"], self.first.stage_id.name)
        # Dates are dates, in the reader's time zone (UTC+8).
        self.assertEqual(first["Received"], datetime(2021, 10, 3, 9, 30))
        self.assertEqual(
            sheet.cell(row=2, column=headers.index("Received") + 1).number_format,
            "yyyy-mm-dd hh:mm",
        )
        self.assertEqual(first["Compensation"], 80.0)
        # Totals are formulas over the data rows, with their values cached.
        self.assertEqual(totals["Ticket"], "=SUBTOTAL(103,A2:A3)")
        column = sheet.cell(row=1, column=headers.index("Compensation") + 1)
        letter = column.column_letter
        self.assertEqual(totals["Compensation"], f"=SUBTOTAL(109,{letter}2:{letter}3)")
        cached = dict(zip(headers, cached_values(content, "Tickets")[3], strict=True))
        self.assertEqual(cached["Ticket"], 2)
        self.assertAlmostEqual(cached["Compensation"], 100.5)
        self.assertEqual(
            sheet.auto_filter.ref, f"A1:{sheet.cell(1, len(headers)).column_letter}3"
        )

    def test_invoiced_service_and_access_to_amounts(self):
        ticket = self._paid_ticket(date_received=datetime(2021, 10, 8))
        invoice = self._invoice_fee(ticket, 3)
        expected = invoice.amount_untaxed
        self.assertAlmostEqual(expected, 3 * self.fee.lst_price)
        _wizard, content = self._export()
        headers, rows, _totals = read_table(load_workbook(content)["Tickets"])
        by_name = {row["Ticket"]: row for row in rows}
        self.assertAlmostEqual(by_name[ticket.name]["Service Invoiced"], expected)
        self.assertIsNone(by_name[self.first.name]["Service Invoiced"])
        # Without access to invoices, the amounts are left out.
        _wizard, content = self._export(user=self.manager)
        headers, rows, _totals = read_table(load_workbook(content)["Tickets"])
        self.assertNotIn("Service Invoiced", headers)
        self.assertIn("Compensation", headers)

    def test_scope_by_team_technician_product(self):
        for values, expected in (
            ({"team_ids": [self.other_team.id]}, self.second),
            ({"user_ids": [self.technician.id]}, self.first),
            ({"product_ids": [self.fuser.id]}, self.first),
            ({"company_ids": [self.company_2.id]}, self.other_company),
        ):
            env = self.env
            if "company_ids" in values:
                self.env = self.env(
                    context=dict(
                        self.env.context,
                        allowed_company_ids=[self.company.id, self.company_2.id],
                    )
                )
            _wizard, content = self._export(**values)
            self.env = env
            _headers, rows, _totals = read_table(load_workbook(content)["Tickets"])
            self.assertEqual([row["Ticket"] for row in rows], expected.mapped("name"))

    def test_technician_exports_only_the_tickets_they_may_read(self):
        _wizard, content = self._export(user=self.technician)
        _headers, rows, _totals = read_table(load_workbook(content)["Tickets"])
        readable = (
            self.env["aftersales.ticket"]
            .with_user(self.technician)
            .search(
                [
                    ("date_received", ">=", "2021-09-30 16:00:00"),
                    ("date_received", "<", "2021-10-31 16:00:00"),
                ]
            )
        )
        self.assertEqual(readable, self.first)
        self.assertEqual([row["Ticket"] for row in rows], [self.first.name])

    def test_period_is_in_the_readers_time_zone(self):
        # 2021-09-30 15:59 UTC is 23:59 in Shanghai: still September there.
        _wizard, content = self._export(date_from="2021-09-30", date_to="2021-09-30")
        _headers, rows, _totals = read_table(load_workbook(content)["Tickets"])
        self.assertEqual([row["Ticket"] for row in rows], [self.before.name])
        wizard = self.env["aftersales.xlsx.export"].create(
            {"report": REGISTER, "date_from": "2021-09-30", "date_to": "2021-09-30"}
        )
        start, end = wizard._period_bounds()
        tz = pytz.timezone("Asia/Shanghai")
        self.assertEqual(
            pytz.utc.localize(start).astimezone(tz).replace(tzinfo=None),
            datetime(2021, 9, 30),
        )
        self.assertEqual((end - start).days, 1)

    def test_rows_stream_in_batches_in_order(self):
        extra = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Batch {i}",
                    "team_id": self.team.id,
                    "date_received": datetime(2021, 10, 10, i),
                }
                for i in range(5)
            ]
        )
        with patch.object(aftersales_xlsx_helpers, "FETCH_SIZE", 2):
            _wizard, content = self._export()
        _headers, rows, totals = read_table(load_workbook(content)["Tickets"])
        expected = (self.first | extra | self.second).sorted(
            lambda t: (t.date_received, t.id)
        )
        self.assertEqual([row["Ticket"] for row in rows], expected.mapped("name"))
        self.assertEqual(totals["Ticket"], "=SUBTOTAL(103,A2:A8)")

    def test_query_count_does_not_grow_with_tickets(self):
        def count_queries():
            wizard = self.env["aftersales.xlsx.export"].create(
                {
                    "report": REGISTER,
                    "date_from": "2021-10-01",
                    "date_to": "2021-10-31",
                    "company_ids": [self.company.id],
                }
            )
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard._render()
            return self.env.cr.sql_log_count - before

        count_queries()  # warm-up: translations, access rights
        few = count_queries()
        self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Load {i}",
                    "team_id": (self.team | self.other_team)[i % 2].id,
                    "partner_id": self.customer.id,
                    "product_id": self.fuser.id,
                    "user_id": self.technician.id,
                    "date_received": datetime(2021, 10, 12, i % 24),
                }
                for i in range(60)
            ]
        )
        many = count_queries()
        self.assertEqual(few, many)

    def test_chinese_headers_for_chinese_readers(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )
        self.manager.lang = "zh_CN"
        _wizard, content = self._export(user=self.manager)
        book = load_workbook(content)
        self.assertEqual(book.sheetnames, ["服务单", "参数"])
        headers, rows, _totals = read_table(book["服务单"])
        self.assertEqual(headers[:3], ["服务单", "主题", "客户"])
        self.assertEqual(rows[0]["受理渠道"], "电话")

    def test_print_menu_exports_the_selection(self):
        action = self.env.ref(
            "aftersales_service.aftersales_ticket_action_print_register"
        )
        result = action.with_context(
            active_model="aftersales.ticket",
            active_ids=(self.second | self.before).ids,
        ).run()
        self.assertEqual(result["res_model"], "aftersales.xlsx.export")
        context = result["context"]
        self.assertEqual(context["default_report"], REGISTER)
        wizard = Form(self.env["aftersales.xlsx.export"].with_context(**context)).save()
        self.assertEqual(wizard.date_from, fields.Date.to_date("2021-09-30"))
        self.assertEqual(wizard.date_to, fields.Date.to_date("2021-10-20"))
        wizard.action_export()
        _headers, rows, _totals = read_table(
            load_workbook(base64.b64decode(wizard.file_data))["Tickets"]
        )
        self.assertEqual(
            [row["Ticket"] for row in rows], [self.before.name, self.second.name]
        )

    def test_period_backwards_is_refused(self):
        with self.assertRaisesRegex(UserError, "after its end"):
            self.env["aftersales.xlsx.export"].create(
                {"report": REGISTER, "date_from": "2021-10-31", "date_to": "2021-10-01"}
            )


@tagged("post_install", "-at_install")
class TestXlsxDownload(HttpCase):
    def test_technician_downloads_the_workbook(self):
        technician = new_test_user(
            self.env,
            login="xlsx_technician",
            password="xlsx_technician_pw",
            groups="aftersales_service.group_aftersales_technician",
        )
        team = self.env["aftersales.team"].create(
            {"name": "Download Team", "member_ids": [Command.set(technician.ids)]}
        )
        ticket = self.env["aftersales.ticket"].create(
            {"subject": "Streamed", "team_id": team.id}
        )
        wizard = (
            self.env["aftersales.xlsx.export"]
            .with_user(technician)
            .create({"report": REGISTER, "ticket_ids": [Command.set(ticket.ids)]})
        )
        action = wizard.action_export()
        self.authenticate("xlsx_technician", "xlsx_technician_pw")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers["Content-Disposition"])
        _headers, rows, _totals = read_table(load_workbook(response.content)["Tickets"])
        self.assertEqual([row["Ticket"] for row in rows], [ticket.name])
        # Another user cannot fetch it.
        new_test_user(
            self.env,
            login="xlsx_other",
            password="xlsx_other_pw",
            groups="aftersales_service.group_aftersales_technician",
        )
        self.authenticate("xlsx_other", "xlsx_other_pw")
        response = self.url_open(action["url"])
        self.assertNotEqual(response.status_code, 200)
