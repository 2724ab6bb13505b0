from odoo import Command
from odoo.tests import HttpCase, tagged

from .pdf_text import pdf_text


@tagged("post_install", "-at_install")
class TestReturnPdf(HttpCase):
    """The return application and return receipt, rendered by wkhtmltopdf."""

    def _pdf_text(self, report, records):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_text(pdf)

    def test_chinese_return_forms(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )
        customer = self.env["res.partner"].create(
            {"name": "上海精工机械有限公司", "is_company": True, "lang": "zh_CN"}
        )
        product = self.env["product.product"].create(
            {"name": "空气过滤器", "is_storable": True, "list_price": 50.0}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 5
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 3
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        reason = self.env["aftersales.return.reason"].create({"name": "质量问题"})
        ticket = self.env["aftersales.ticket"].create(
            {"subject": "过滤器漏气", "partner_id": customer.id}
        )
        self.env["aftersales.return.line"].create(
            {
                "ticket_id": ticket.id,
                "sale_line_id": order.order_line.id,
                "quantity": 2,
                "reason_id": reason.id,
            }
        )
        ticket.action_return_submit()
        ticket.action_return_receive()
        receipt = ticket.return_picking_ids
        receipt.move_ids.picked = True
        receipt.button_validate()

        text = self._pdf_text(
            "aftersales_service.action_report_aftersales_return_application", ticket
        )
        for expected in (
            ticket.name,
            "退货申请单",
            "上海精工机械有限公司",
            "空气过滤器",
            "质量问题",
            "退款",
        ):
            self.assertIn(expected, text)
        text = self._pdf_text(
            "aftersales_service.action_report_aftersales_return_receipt", ticket
        )
        for expected in ("退货入库单", receipt.name, "空气过滤器"):
            self.assertIn(expected, text)
