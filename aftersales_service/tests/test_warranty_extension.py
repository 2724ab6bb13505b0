from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyExtension(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.extension = cls.env["product.product"].create(
            {
                "name": "Extended Warranty +12 Months",
                "type": "service",
                "list_price": 150.0,
                "invoice_policy": "order",
                "aftersales_extension_months": 12,
            }
        )

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def test_extension_sold_with_the_unit_extends_once_invoiced(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.other_customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.printer.id, "product_uom_qty": 1}
                    ),
                    Command.create(
                        {"product_id": self.extension.id, "product_uom_qty": 1}
                    ),
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.lot_id = self.printer_lots[3]
        picking.move_ids.picked = True
        picking.button_validate()
        equipment = self.env["aftersales.equipment"].search(
            [("lot_id", "=", self.printer_lots[3].id)]
        )
        base_end = equipment.warranty_end
        self.assertFalse(equipment.extension_ids, "not extended before invoicing")
        self._invoice(order)
        self.assertEqual(equipment.extension_ids.months, 12)
        self.assertEqual(equipment.warranty_end.year, base_end.year + 1)
        # Posting another invoice for the same order does not extend twice.
        self.env["aftersales.warranty.extension"]._extend_from_lines(order.order_line)
        self.assertEqual(len(equipment.extension_ids), 1)

    def test_extension_pointed_at_existing_equipment(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.extension.id,
                            "product_uom_qty": 1,
                            "aftersales_equipment_id": self.equipment.id,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self._invoice(order)
        self.assertEqual(str(self.equipment.warranty_end), "2028-03-01")
        self.assertIn("extended by 12 months", self.equipment.warranty_status)
        ticket = self._ticket_on("2027-06-01 02:00:00")
        self.assertEqual(ticket.warranty_state, "in_warranty")
        self.assertIn("extended by 12 months", ticket.warranty_reason)

    def test_negative_extension_is_refused(self):
        with self.assertRaises(ValidationError):
            self.extension.aftersales_extension_months = -3
        self.assertEqual(self.extension.aftersales_extension_months, 12)
