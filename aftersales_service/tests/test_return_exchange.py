from odoo.tests import tagged

from .return_common import ReturnCommon


@tagged("post_install", "-at_install")
class TestReturnExchange(ReturnCommon):
    def test_exchange_same_serial(self):
        ticket = self._return_ticket(
            [(self.serial_line, 1, self.serial_1, {"outcome": "exchange_same"})]
        )
        ticket.action_return_submit()
        ticket.action_return_receive()
        receipt = ticket.return_picking_ids
        self.assertEqual(receipt.move_line_ids.lot_id, self.serial_1)
        self._receive(receipt)
        self.assertEqual(self.serial_line.qty_delivered, 0)
        line = ticket.return_line_ids
        self._inspect(line, disposition="repair")
        self.assertTrue(ticket.return_can_exchange)
        ticket.action_return_exchange()
        replacement = line.replacement_picking_id
        self.assertEqual(replacement.aftersales_ticket_id, ticket)
        self.assertEqual(replacement.move_ids.sale_line_id, self.serial_line)
        self.assertEqual(replacement.sale_id, self.order)
        self.assertEqual(replacement.move_line_ids.lot_id, self.serial_3)
        self._validate(replacement)
        self.assertEqual(self.serial_line.qty_delivered, 1)
        self.assertEqual(self.serial_line.qty_invoiced, 1)
        self.assertFalse(ticket.return_refund_ids)
        # The faulty unit goes to the workshop from quarantine.
        line.action_apply_disposition()
        repair = line.repair_id
        self.assertEqual(repair.product_location_src_id, self.quarantine)
        self.assertEqual(repair.product_location_dest_id, self.stock_location)
        self.assertEqual(repair.lot_id, self.serial_1)
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(ticket.return_repair_count, 1)
        self.assertEqual(line.state, "done")

    def test_exchange_other_product(self):
        better_toner = self.env["product.product"].create(
            {"name": "High-Yield Toner", "is_storable": True, "list_price": 100.0}
        )
        self.env["stock.quant"]._update_available_quantity(
            better_toner, self.stock_location, 10
        )
        ticket, line = self._received_line(
            qty=2, outcome="exchange_other", exchange_product_id=better_toner
        )
        self.assertEqual(self.toner_line.qty_delivered, 5, "the toner stays sold")
        self._inspect(line, disposition="stock")
        ticket.action_return_exchange()
        replacement = line.replacement_picking_id
        self.assertEqual(replacement.move_ids.product_id, better_toner)
        self.assertEqual(replacement.move_ids.product_uom_qty, 2)
        self.assertFalse(replacement.move_ids.sale_line_id)
        self._validate(replacement)
        difference = line.difference_sale_line_id
        self.assertRecordValues(
            difference,
            [
                {
                    "order_id": self.order.id,
                    "product_uom_qty": 2,
                    "price_unit": 20.0,
                    "qty_to_invoice": 2,
                }
            ],
        )
        self.assertEqual(self.toner_line.qty_delivered, 5)
        self.assertEqual(self.toner_line.qty_to_invoice, 0)
        invoice = self.order._create_invoices()
        self.assertEqual(invoice.amount_untaxed, 40.0)
        line.action_apply_disposition()
        self._validate(line.disposition_picking_id)
        self.assertEqual(line.state, "done")
