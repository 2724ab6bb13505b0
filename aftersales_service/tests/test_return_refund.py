from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .return_common import ReturnCommon


@tagged("post_install", "-at_install")
class TestReturnRefund(ReturnCommon):
    def test_refund_end_to_end(self):
        ticket = self._return_ticket([(self.toner_line, 2, None, {})])
        line = ticket.return_line_ids
        self.assertEqual(line.state, "draft")
        self.assertEqual(line.product_id, self.plain_product)
        ticket.action_return_submit()
        self.assertEqual(line.state, "approved", "cheap return within the window")
        ticket.action_return_receive()
        receipt = ticket.return_picking_ids
        self.assertEqual(receipt.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(receipt.location_dest_id, self.quarantine)
        self.assertEqual(receipt.sale_id, self.order)
        move = receipt.move_ids
        self.assertEqual(move.sale_line_id, self.toner_line)
        self.assertTrue(move.to_refund)
        self.assertEqual(move.origin_returned_move_id.picking_id, self.delivery)
        self.assertEqual(self.toner_line.qty_delivered, 5)

        self._receive(receipt)
        self.assertEqual(line.state, "received")
        self.assertEqual(line.qty_received, 2)
        self.assertEqual(self.toner_line.qty_delivered, 3)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(
                self.plain_product, self.quarantine
            ),
            2,
        )

        self._inspect(line, "not_confirmed", disposition="stock")
        self.assertEqual(line.responsibility, "undetermined")
        action = ticket.action_return_refund()
        credit_note = ticket.return_refund_ids
        self.assertEqual(action["res_id"], credit_note.id)
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "draft",
                    "reversed_entry_id": self.invoice.id,
                    "aftersales_ticket_id": ticket.id,
                    "amount_untaxed": 160.0,
                }
            ],
        )
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [{"product_id": self.plain_product.id, "quantity": 2, "price_unit": 80.0}],
        )
        self.assertEqual(line.qty_refunded, 2)
        self.assertEqual(self.toner_line.qty_invoiced, 3)

        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(credit_note.state, "posted")
        income = credit_note.line_ids.filtered(
            lambda aml: aml.display_type == "product"
        )
        receivable = credit_note.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(income.debit, 160.0)
        self.assertEqual(
            income.account_id,
            self.invoice.invoice_line_ids.filtered(
                lambda aml: aml.product_id == self.plain_product
            ).account_id,
        )
        self.assertEqual(receivable.credit, credit_note.amount_total)
        self.assertEqual(self.toner_line.qty_to_invoice, 0)

        line.action_apply_disposition()
        restock = line.disposition_picking_id
        self.assertEqual(restock.location_id, self.quarantine)
        self.assertEqual(restock.location_dest_id, self.stock_location)
        self._validate(restock)
        self.assertEqual(line.state, "done")
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(
                self.plain_product, self.quarantine
            ),
            0,
        )

    def test_double_refund_refused(self):
        ticket, line = self._received_line()
        self._inspect(line)
        ticket.action_return_refund()
        self.assertFalse(ticket.return_can_refund)
        with self.assertRaises(UserError), self.cr.savepoint():
            ticket.action_return_refund()
        with self.assertRaises(UserError), self.cr.savepoint():
            line._create_refunds()
        self.assertEqual(len(ticket.return_refund_ids), 1)
        self.assertEqual(line.qty_refunded, 2)
        # A cancelled credit note gives the quantity back.
        ticket.return_refund_ids.button_cancel()
        self.assertEqual(line.qty_refunded, 0)
        self.assertTrue(ticket.return_can_refund)

    def test_refund_needs_receipt_and_inspection(self):
        ticket = self._return_ticket([(self.toner_line, 1, None, {})])
        ticket.action_return_submit()
        line = ticket.return_line_ids
        with self.assertRaises(UserError), self.cr.savepoint():
            line._create_refunds()
        ticket, line = self._received_line(qty=1)
        with self.assertRaises(UserError), self.cr.savepoint():
            line._create_refunds()
        self._inspect(line, "customer_damage")
        self.assertEqual(line.responsibility, "customer")
        self.assertFalse(ticket.return_can_refund)
        with self.assertRaises(UserError), self.cr.savepoint():
            line._create_refunds()
        self.assertFalse(ticket.return_refund_ids)

    def test_partial_receipt(self):
        ticket = self._return_ticket([(self.toner_line, 3, None, {})])
        ticket.action_return_submit()
        ticket.action_return_receive()
        line = ticket.return_line_ids
        self._receive(
            ticket.return_picking_ids, {self.plain_product: 2}, backorder=False
        )
        self.assertEqual(line.state, "received")
        self.assertEqual(line.qty_received, 2)
        self.assertEqual(self.toner_line.qty_delivered, 3)
        # The unit that never came back can be returned again.
        other = self._return_ticket([(self.toner_line, 3, None, {})])
        self.assertEqual(other.return_line_ids.quantity, 3)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.toner_line, 1, None, {})])
        self._inspect(line)
        ticket.action_return_refund()
        self.assertEqual(ticket.return_refund_ids.invoice_line_ids.quantity, 2)

    def test_partial_receipt_with_backorder(self):
        ticket = self._return_ticket([(self.toner_line, 3, None, {})])
        ticket.action_return_submit()
        ticket.action_return_receive()
        line = ticket.return_line_ids
        self._receive(
            ticket.return_picking_ids, {self.plain_product: 1}, backorder=True
        )
        self.assertEqual(line.state, "receiving")
        self.assertEqual(line.qty_received, 1)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.toner_line, 3, None, {})])
        backorder = ticket.return_picking_ids.filtered(lambda p: p.state != "done")
        self.assertEqual(backorder.move_ids.aftersales_return_line_id, line)
        self._receive(backorder)
        self.assertEqual(line.state, "received")
        self.assertEqual(line.qty_received, 3)
        self.assertEqual(self.toner_line.qty_delivered, 2)

    def test_cancel_and_redo(self):
        ticket = self._return_ticket([(self.toner_line, 2, None, {})])
        ticket.action_return_submit()
        ticket.action_return_receive()
        line = ticket.return_line_ids
        ticket.return_picking_ids.with_user(self.warehouse_user).action_cancel()
        self.assertEqual(line.state, "approved")
        self.assertEqual(self.toner_line.qty_delivered, 5)
        # Still held by the line: only 3 more can be returned.
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.toner_line, 4, None, {})])
        ticket.action_return_receive()
        redo = ticket.return_picking_ids.filtered(lambda p: p.state != "cancel")
        self.assertEqual(len(redo), 1)
        self._receive(redo)
        self.assertEqual(line.qty_received, 2)
        self.assertEqual(self.toner_line.qty_delivered, 3)
        # A cancelled line frees its quantity.
        second = self._return_ticket([(self.toner_line, 3, None, {})])
        second.return_line_ids.action_cancel()
        self.assertEqual(second.return_line_ids.state, "cancel")
        third = self._return_ticket([(self.toner_line, 3, None, {})])
        self.assertEqual(third.return_line_ids.quantity, 3)
        with self.assertRaises(UserError), self.cr.savepoint():
            line.action_cancel()

    def test_refund_without_return(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.toner_line, 1, None, {"no_return": True})])
        settings = self.env["res.config.settings"].create({})
        settings.aftersales_refund_without_return = True
        settings.execute()
        self.assertTrue(self.company.aftersales_refund_without_return)
        ticket = self._return_ticket([(self.toner_line, 1, None, {"no_return": True})])
        ticket.action_return_submit()
        line = ticket.return_line_ids
        self.assertFalse(ticket.return_can_receive)
        with self.assertRaises(UserError), self.cr.savepoint():
            ticket.action_return_receive()
        ticket.action_return_refund()
        self.assertEqual(line.state, "done")
        self.assertFalse(ticket.return_picking_ids)
        self.assertEqual(self.toner_line.qty_delivered, 5)
        self.assertEqual(self.toner_line.qty_invoiced, 4)
        self.assertEqual(ticket.return_refund_ids.amount_untaxed, 80.0)

    def test_unlinked_order_not_invoiced(self):
        order = self._sell_and_deliver(self.customer, [(self.plain_product, 2, None)])
        ticket = self._return_ticket([(order.order_line, 1, None, {})])
        ticket.action_return_submit()
        ticket.action_return_receive()
        self._receive(ticket.return_picking_ids)
        line = ticket.return_line_ids
        self._inspect(line)
        with self.assertRaises(UserError), self.cr.savepoint():
            ticket.action_return_refund()
        self.assertFalse(ticket.return_refund_ids)

    def test_technician_cannot_refund(self):
        ticket, line = self._received_line()
        self._inspect(line)
        ticket.user_id = self.technician
        with self.assertRaises(AccessError), self.cr.savepoint():
            ticket.with_user(self.technician).action_return_refund()
        self.assertFalse(ticket.return_refund_ids)
        Form(line.with_user(self.technician))  # the technician reads the line
