import threading
from concurrent.futures import ThreadPoolExecutor

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestReturnConcurrentRefund(BaseCase):
    """Two users refund the same return line at the same moment, each in their
    own transaction on committed data: one credit note, never two."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            env.company.aftersales_refund_without_return = True
            product = env["product.product"].create(
                {
                    "name": "Concurrency Widget",
                    "type": "consu",
                    "list_price": 10.0,
                    "invoice_policy": "order",
                }
            )
            partner = env["res.partner"].create({"name": "Concurrent Customer"})
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 3})
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.move_ids.quantity = 3
            picking.move_ids.picked = True
            picking.button_validate()
            invoice = order._create_invoices()
            invoice.action_post()
            reason = env["aftersales.return.reason"].create(
                {"name": "Concurrency reason"}
            )
            ticket = env["aftersales.ticket"].create(
                {"subject": "Refund twice?", "partner_id": partner.id}
            )
            line = env["aftersales.return.line"].create(
                {
                    "ticket_id": ticket.id,
                    "sale_line_id": order.order_line.id,
                    "quantity": 2,
                    "reason_id": reason.id,
                    "no_return": True,
                }
            )
            ticket.action_return_submit()
            cls.ids = {
                "product": product.id,
                "partner": partner.id,
                "order": order.id,
                "picking": picking.id,
                "invoice": invoice.id,
                "reason": reason.id,
                "ticket": ticket.id,
                "line": line.id,
            }

    @classmethod
    def _cleanup(cls):
        ids = getattr(cls, "ids", None)
        if not ids:
            return
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.aftersales_refund_without_return = False
            ticket = env["aftersales.ticket"].browse(ids["ticket"])
            moves = ticket.return_refund_ids | env["account.move"].browse(
                ids["invoice"]
            )
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            # A refunded ticket stays on record (it cannot be deleted): the test's
            # own data is removed at the database level.
            cr.execute("DELETE FROM aftersales_ticket WHERE id = %s", [ticket.id])
            order = env["sale.order"].browse(ids["order"])
            picking = env["stock.picking"].browse(ids["picking"])
            env["aftersales.equipment"].search(
                [("sale_line_id", "in", order.order_line.ids)]
            ).unlink()
            cr.execute(
                "DELETE FROM stock_valuation_layer WHERE product_id = %s",
                [ids["product"]],
            )
            cr.execute(
                "DELETE FROM stock_move_line WHERE picking_id = %s", [picking.id]
            )
            cr.execute("DELETE FROM stock_move WHERE picking_id = %s", [picking.id])
            cr.execute("DELETE FROM stock_picking WHERE id = %s", [picking.id])
            env.invalidate_all()
            order._action_cancel()
            order.unlink()
            env["aftersales.return.reason"].browse(ids["reason"]).unlink()
            env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
            env["res.partner"].browse(ids["partner"]).unlink()

    @mute_logger("odoo.sql_db")
    def test_parallel_refund(self):
        barrier = threading.Barrier(2)

        def refund():
            with self.registry.cursor() as cr:
                # The loading thread holds the registry lock: hand the registry over.
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
                ticket = env["aftersales.ticket"].browse(self.ids["ticket"])
                ticket.return_line_ids.mapped("qty_refunded")  # both read 0 first
                barrier.wait(timeout=10)
                try:
                    ticket.action_return_refund()
                except UserError:
                    return False
                return True  # committed when the cursor closes

        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(refund) for _i in range(2)]
            results = [future.result(timeout=60) for future in futures]

        self.assertEqual(sorted(results), [False, True])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["aftersales.ticket"].browse(self.ids["ticket"])
            self.assertEqual(len(ticket.return_refund_ids), 1)
            self.assertEqual(ticket.return_refund_ids.invoice_line_ids.quantity, 2)
            self.assertEqual(ticket.return_line_ids.qty_refunded, 2)
            # Once committed, a later click is refused too.
            with self.assertRaises(UserError):
                ticket.action_return_refund()
