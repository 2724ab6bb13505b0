from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestInstalledBase(WarrantyCommon):
    def _return(self, picking, quantities):
        """Return goods through Odoo's own return wizard."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0)
        return_picking = wizard._create_return()
        for move in return_picking.move_ids:
            lot = quantities.get((move.product_id, "lot"))
            move.move_line_ids.unlink()
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "picking_id": return_picking.id,
                                "product_id": move.product_id.id,
                                "quantity": move.product_uom_qty,
                                "lot_id": lot.id if lot else False,
                                "location_id": move.location_id.id,
                                "location_dest_id": move.location_dest_id.id,
                            }
                        )
                    ],
                    "picked": True,
                }
            )
        return_picking.button_validate()
        return return_picking

    def test_serial_delivery_creates_one_record_per_serial(self):
        order = self._sell_and_deliver(
            self.other_customer,
            [(self.printer, 2, self.printer_lots[1] | self.printer_lots[2])],
        )
        equipment = self.env["aftersales.equipment"].search(
            [("sale_order_id", "=", order.id)]
        )
        self.assertEqual(equipment.lot_id, self.printer_lots[1] | self.printer_lots[2])
        self.assertEqual(set(equipment.mapped("partner_id")), {self.other_customer})
        self.assertTrue(all(e.sale_line_id.order_id == order for e in equipment))

    def test_untracked_products_only_when_configured(self):
        Equipment = self.env["aftersales.equipment"]
        self.assertFalse(Equipment.search([("product_id", "=", self.plain_product.id)]))
        self.plain_product.aftersales_register_equipment = True
        order = self._sell_and_deliver(self.customer, [(self.plain_product, 3, None)])
        units = Equipment.search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(units), 3, "one record per delivered unit")
        self._return(order.picking_ids, {self.plain_product: 2})
        self.assertEqual(units.mapped("state").count("returned"), 2)

    def test_lot_tracked_products_one_record_per_lot(self):
        product = self.env["product.product"].create(
            {
                "name": "Filter Pack",
                "is_storable": True,
                "tracking": "lot",
                "aftersales_register_equipment": True,
            }
        )
        lot = self.env["stock.lot"].create(
            {"name": "FP-2026-11", "product_id": product.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            product, self.stock_location, 10, lot_id=lot
        )
        self._sell_and_deliver(self.customer, [(product, 4, lot)])
        self._sell_and_deliver(self.customer, [(product, 2, lot)])
        equipment = self.env["aftersales.equipment"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(equipment), 1)
        self.assertEqual(equipment.quantity, 6)

    def test_returned_serial_closes_and_redelivery_moves_it(self):
        self._flush_tracking()
        lot = self.printer_lots[0]
        self._return(
            self.printer_delivery, {self.printer: 1, (self.printer, "lot"): lot}
        )
        self.assertEqual(self.equipment.state, "returned")
        self.assertTrue(self.equipment.return_picking_id)
        self.assertEqual(self.equipment.picking_count, 2, "the delivery and the return")
        with freeze_time("2026-09-01 02:00:00"):
            order = self._sell_and_deliver(
                self.other_customer, [(self.printer, 1, lot)]
            )
        same = self.env["aftersales.equipment"].search([("lot_id", "=", lot.id)])
        self.assertEqual(same, self.equipment, "the same record follows the serial")
        self.assertRecordValues(
            same,
            [
                {
                    "partner_id": self.other_customer.id,
                    "state": "in_service",
                    "picking_id": order.picking_ids.id,
                    "return_picking_id": False,
                }
            ],
        )
        self.assertEqual(str(same.delivery_date), "2026-09-01")
        self._flush_tracking()
        tracked = same.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "partner_id"
        )
        self.assertTrue(tracked, "the change of customer stays in the history")
        # The serial now belongs to the other customer.
        ticket = self._new_ticket(lot_id=lot.id)
        self.assertEqual(ticket.partner_id, self.other_customer)
        self.assertEqual(ticket.equipment_id, same)

    def test_history_and_repeat_failures(self):
        first = self._ticket_on("2026-04-01 02:00:00")
        self._ticket_on("2026-04-20 02:00:00")  # 19 days later: a repeat
        self._ticket_on("2026-08-01 02:00:00")  # months later: not a repeat
        self.assertEqual(first.equipment_id, self.equipment)
        self.assertEqual(self.equipment.ticket_count, 3)
        self.assertEqual(self.equipment.repeat_failure_count, 1)
        action = self.equipment.action_view_tickets()
        self.assertEqual(len(self.env["aftersales.ticket"].search(action["domain"])), 3)

    def test_build_installed_base_from_past_deliveries(self):
        Equipment = self.env["aftersales.equipment"].with_context(active_test=False)
        # Forget what the live hook registered, as if the module had come later.
        Equipment.search([]).unlink()
        lot = self.printer_lots[0]
        self._return(
            self.printer_delivery, {self.printer: 1, (self.printer, "lot"): lot}
        )
        Equipment.search([]).unlink()
        wizard = (
            self.env["aftersales.equipment.build"].with_user(self.manager).create({})
        )
        wizard.action_build()
        rebuilt = Equipment.search([("lot_id", "=", lot.id)])
        self.assertEqual(
            rebuilt.state, "returned", "deliveries and returns are replayed in order"
        )
        self.assertEqual(
            Equipment.search([("lot_id", "=", self.serial_1.id)]).partner_id,
            self.customer,
        )
        count = Equipment.search_count([])
        wizard.action_build()
        self.assertEqual(
            Equipment.search_count([]), count, "building twice creates nothing"
        )

    def test_other_company_equipment_is_hidden(self):
        other = self.env["aftersales.equipment"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.plain_product.id,
                "company_id": self.company_2.id,
            }
        )
        visible = self.env["aftersales.equipment"].with_user(self.agent).search([])
        self.assertNotIn(other, visible)
        self.assertIn(self.equipment, visible)
