from odoo.tests import HttpCase, tagged

from .pdf_text import pdf_text
from .warranty_claim_common import WarrantyClaimCommon


@tagged("post_install", "-at_install")
class TestWarrantyClaimPdf(WarrantyClaimCommon, HttpCase):
    """The warranty replacement request and the claim form, rendered by
    wkhtmltopdf in the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )

    def _render(self, report, records):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_text(pdf)

    def _claim(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids
        claim.write(
            {
                "responsibility": "supplier",
                "hour_meter": 1520,
                "diagnosis": "热敏电阻烧毁",
                "shipping_method": "快递",
            }
        )
        claim.part_ids.disposition = "return"
        return claim

    def test_forms_in_chinese(self):
        self.customer.lang = "zh_CN"
        claim = self._claim()
        request = self._render(
            "aftersales_service.action_report_warranty_replacement_request", claim
        )
        for expected in (
            "三包换件申请表",
            claim.name,
            "Fuser Unit",
            "快递",
            "热敏电阻烧毁",
        ):
            self.assertIn(expected, request)
        form = self._render(
            "aftersales_service.action_report_warranty_claim_form", claim
        )
        for expected in (
            "索赔单",
            "配件费用",
            "工时费",
            "里程费",
            "合计金额",
            "旧件处理",
            "返厂",
            "暂存当地仓库",
            "就地销毁",
            "被索赔单位",
            "Fuser Works Ltd",
            "索赔工程师",
            "财务",
        ):
            self.assertIn(expected, form)
        self.assertIn("服务部存档", form)
        self.assertEqual(form.count("技术支持室主任"), 3, "one form per copy")

    def test_forms_in_english(self):
        self.customer.lang = "en_US"
        claim = self._claim()
        self.company.aftersales_claim_form_copies = 1
        form = self._render(
            "aftersales_service.action_report_warranty_claim_form", claim
        )
        for expected in (
            "Warranty Claim Form",
            "Total Amount",
            "Return to Supplier",
            "Finance",
        ):
            self.assertIn(expected, form)
        self.assertNotIn("Service Archive", form, "one copy only")
        request = self._render(
            "aftersales_service.action_report_warranty_replacement_request", claim
        )
        self.assertIn("Warranty Replacement Request", request)
