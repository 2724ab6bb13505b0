from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .field_service_common import FieldServiceCommon
from .pdf_text import pdf_text


@tagged("post_install", "-at_install")
class TestFieldServicePdf(FieldServiceCommon, HttpCase):
    """The printed field-service forms, rendered by wkhtmltopdf via the server,
    in the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )
        cls.customer.lang = "zh_CN"
        cls.customer_contact.lang = "zh_CN"

    def _render(self, report, records):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_text(pdf)

    def test_service_report_carries_the_work_parts_and_signature(self):
        ticket = self._warranty_ticket(description="<p>打印机卡纸</p>")
        visit = self._visit(ticket)
        visit.action_arrive()
        visit.write(
            {
                "date_departure": visit.date_arrival + timedelta(hours=2),
                "travel_distance": 18,
                "fault_cause": "定影器老化",
                "work_done": "更换定影器并试打印",
                "part_ids": [
                    Command.create(
                        {
                            "product_id": self.fuser.id,
                            "quantity": 1,
                            "old_part_returned": True,
                        }
                    )
                ],
            }
        )
        self._sign(visit, "李雷")
        visit.action_complete()
        text = self._render("aftersales_service.action_report_service_report", visit)
        for expected in (
            "服务报告单",
            visit.name,
            ticket.name,
            "Acme Trading",
            "定影器老化",
            "更换定影器并试打印",
            "Fuser Unit",
            # 客户 may come out as the variant 客戶: check the rest of the line.
            "签字: 李雷",
        ):
            self.assertIn(expected, text)

    def test_pickup_receipt_and_repair_tag(self):
        ticket = self._warranty_ticket()
        action = ticket.with_user(self.technician).action_new_repair()
        repair = (
            self.env["repair.order"]
            .with_context(**action["context"])
            .create({"item_condition": "外壳有划痕，附电源线"})
        )
        repair.action_issue_pickup_receipt()
        receipt = self._render(
            "aftersales_service.action_report_pickup_receipt", repair
        )
        for expected in (
            "取件单",
            repair.pickup_number,
            ticket.name,
            "外壳有划痕",
            "LP200-0001",
        ):
            self.assertIn(expected, receipt)
        repair.repair_hours = 1.5
        tag = self._render("aftersales_service.action_report_repair_tag", repair)
        for expected in (
            "维修卡",
            repair.name,
            repair.pickup_number,
            "Laser Printer LP-200",
            "01:30",
        ):
            self.assertIn(expected, tag)
