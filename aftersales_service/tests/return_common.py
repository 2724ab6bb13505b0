from odoo.tests import Form, new_test_user

from .common import AftersalesCommon


class ReturnCommon(AftersalesCommon):
    """Invoiced deliveries to return, reasons and the warehouse and accounting
    users that take part in a return."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_return_approval_amount": 5000.0,
                "aftersales_refund_without_return": False,
            }
        )
        cls.reason_defect = cls.env["aftersales.return.reason"].create(
            {"name": "Defective", "is_quality": True, "default_outcome": "refund"}
        )
        cls.reason_no_reason = cls.env["aftersales.return.reason"].create(
            {"name": "Changed mind", "default_outcome": "refund"}
        )
        cls.warehouse_user = new_test_user(
            cls.env, login="as_wh", groups="stock.group_stock_user"
        )
        cls.accountant = new_test_user(
            cls.env, login="as_acc", groups="account.group_account_invoice"
        )
        cls.toner_line = cls.order.order_line.filtered(
            lambda line: line.product_id == cls.plain_product
        )
        # Invoiced as delivered, so returns show in what is left to invoice.
        (cls.serial_product | cls.plain_product).invoice_policy = "delivery"
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.quarantine = cls.warehouse.aftersales_rma_location_id

    def _return_ticket(self, lines, user=None):
        """A ticket for Acme with return lines entered in the form:
        lines are (sale line, quantity, lot, extra values)."""
        ticket = self._new_ticket(partner_id=self.customer.id)
        if user:
            ticket = ticket.with_user(user)
        with Form(ticket) as form:
            for sale_line, qty, lot, extra in lines:
                with form.return_line_ids.new() as line:
                    line.sale_line_id = sale_line
                    if lot:
                        line.lot_id = lot
                    line.quantity = qty
                    line.reason_id = extra.get("reason", self.reason_defect)
                    for name, value in extra.items():
                        if name != "reason":
                            setattr(line, name, value)
        return ticket

    def _receive(self, picking, quantities=None, backorder=None):
        """Validate a receipt; ``quantities`` {product: qty} for partial ones,
        ``backorder`` True/False to answer the backorder question."""
        picking = picking.with_user(self.warehouse_user)
        for move in picking.move_ids:
            if quantities and move.product_id in quantities:
                move.quantity = quantities[move.product_id]
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict):
            wizard = Form.from_action(self.env(user=self.warehouse_user), result).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    def _validate(self, picking):
        picking.move_ids.picked = True
        result = picking.button_validate()
        self.assertIs(result, True)
        self.assertEqual(picking.state, "done")

    def _inspect(self, line, result="defect_confirmed", disposition=None):
        with Form(line) as form:
            form.inspection_result = result
        line.action_confirm_inspection()
        if disposition:
            with Form(line) as form:
                form.disposition = disposition
        return line

    def _received_line(self, qty=2, outcome="refund", **extra):
        """Toner returned, received into quarantine and inspected."""
        ticket = self._return_ticket(
            [(self.toner_line, qty, None, {"outcome": outcome, **extra})]
        )
        ticket.action_return_submit()
        ticket.action_return_receive()
        self._receive(ticket.return_picking_ids)
        line = ticket.return_line_ids
        self.assertEqual(line.state, "received")
        return ticket, line
