from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .field_service_common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestServiceQuote(FieldServiceCommon):
    def _quotation(self, ticket, lines, user=None):
        action = ticket.with_user(user or self.agent).action_new_quotation()
        env = (
            self.env["sale.order"]
            .with_user(user or self.agent)
            .with_context(**action["context"])
        )
        with Form(env) as form:
            for product, qty in lines:
                with form.order_line.new() as line:
                    line.product_id = product
                    line.product_uom_qty = qty
        return form.record

    def _done_visit(self, ticket, hours, km, parts=()):
        visit = self._visit(ticket)
        visit.action_arrive()
        visit.write(
            {
                "date_departure": visit.date_arrival + timedelta(hours=hours),
                "travel_distance": km,
                "part_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": qty,
                            "old_part_returned": True,
                        }
                    )
                    for product, qty in parts
                ],
            }
        )
        self._sign(visit)
        visit.action_complete()
        return visit

    def test_warranty_lines_are_priced_by_the_policy_coverage(self):
        ticket = self._warranty_ticket()
        order = self._quotation(
            ticket,
            [(self.fuser, 1), (self.labour, 2), (self.travel, 40), (self.fee, 1)],
        )
        self.assertEqual(order.aftersales_ticket_id, ticket)
        self.assertEqual(order.origin, ticket.name)
        by_product = {line.product_id: line for line in order.order_line}
        self.assertEqual(by_product[self.fuser].aftersales_cost_kind, "parts")
        self.assertEqual(by_product[self.fuser].discount, 100.0)
        self.assertEqual(by_product[self.labour].discount, 50.0)
        self.assertEqual(by_product[self.travel].discount, 0.0)
        self.assertFalse(by_product[self.fee].aftersales_covered)
        # 0 parts + 2 h × 100 × 50 % + 40 km × 2 + fee 50
        self.assertAlmostEqual(order.amount_untaxed, 100.0 + 80.0 + 50.0)
        self.assertEqual(
            by_product[self.labour].aftersales_service_category, "warranty"
        )
        with self.assertRaises(ValidationError):
            by_product[self.labour].discount = 80.0
        self.assertEqual(by_product[self.labour].discount, 50.0)

    def test_paid_lines_are_not_covered(self):
        order = self._quotation(
            self._paid_ticket(), [(self.fuser, 1), (self.labour, 2)]
        )
        self.assertEqual(order.order_line.mapped("discount"), [0.0, 0.0])
        self.assertAlmostEqual(order.amount_untaxed, 300.0 + 200.0)

    def test_discount_above_the_limit_needs_a_manager(self):
        order = self._quotation(self._paid_ticket(), [(self.labour, 2), (self.fee, 1)])
        fee_line = order.order_line.filtered(lambda line: line.product_id == self.fee)
        fee_line.with_user(self.agent).discount = 10.0
        self.assertFalse(order.aftersales_discount_needs_approval, "at the limit")
        fee_line.with_user(self.agent).discount = 100.0  # fee waived
        self.assertTrue(order.aftersales_discount_needs_approval)
        with self.assertRaises(UserError):
            order.with_user(self.agent).action_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(UserError):
            order.with_user(self.agent).action_aftersales_approve_discount()
        order.with_user(self.manager).action_aftersales_approve_discount()
        self.assertEqual(order.aftersales_discount_approved, 100.0)
        self.assertEqual(order.aftersales_discount_approved_uid, self.manager)
        order.with_user(self.agent).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_fee_waived_by_price_needs_a_manager_too(self):
        order = self._quotation(self._paid_ticket(), [(self.fee, 1)])
        with Form(order.with_user(self.agent)) as form:
            with form.order_line.edit(0) as line:
                line.price_unit = 0.0
        self.assertEqual(order.aftersales_max_discount, 100.0)
        self.assertTrue(order.aftersales_discount_needs_approval)
        with self.assertRaises(UserError):
            order.with_user(self.agent).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_paid_visit_waits_for_acceptance_recorded_by_the_agent(self):
        ticket = self._paid_ticket()
        visit = self._visit(ticket)
        with self.assertRaises(UserError):
            visit.action_arrive()
        self.assertEqual(visit.state, "planned")
        self.assertFalse(ticket.date_onsite)
        order = self._quotation(ticket, [(self.labour, 1)])
        wizard_action = order.with_user(
            self.agent
        ).action_aftersales_record_acceptance()
        wizard = Form(
            self.env[wizard_action["res_model"]]
            .with_user(self.agent)
            .with_context(**wizard_action["context"])
        )
        wizard.accepted_by = "Li Lei"
        wizard.channel = "phone"
        wizard.save().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.aftersales_accepted_by, "Li Lei")
        visit.action_arrive()
        self.assertEqual(visit.state, "on_site")

    def test_acceptance_setting_off_lets_work_start(self):
        self.company.aftersales_quote_acceptance_required = False
        visit = self._visit(self._paid_ticket())
        visit.action_arrive()
        self.assertEqual(visit.state, "on_site")

    def test_invoice_from_visit_hours_kilometres_and_parts(self):
        ticket = self._warranty_ticket()
        order = self._quotation(
            ticket, [(self.labour, 1), (self.travel, 10), (self.fuser, 1)]
        )
        order.action_confirm()
        self.assertFalse(
            order.picking_ids, "parts are issued by the visits, not a delivery"
        )
        self._done_visit(ticket, hours=2.5, km=30, parts=[(self.fuser, 2)])
        lines = {line.product_id: line for line in order.order_line}
        self.assertEqual(lines[self.labour].qty_delivered, 2.5)
        self.assertEqual(lines[self.travel].qty_delivered, 30.0)
        self.assertEqual(lines[self.fuser].qty_delivered, 2.0)
        self._done_visit(ticket, hours=1.0, km=12)
        self.assertEqual(lines[self.labour].qty_delivered, 3.5)
        self.assertEqual(lines[self.travel].qty_delivered, 42.0)

        invoice = order.with_user(self.accountant)._create_invoices()
        invoice.action_post()
        # parts 2 × 300 × 0 % + labour 3.5 × 100 × 50 % + travel 42 × 2 × 100 %
        self.assertAlmostEqual(invoice.amount_untaxed, 175.0 + 84.0)
        income = invoice.line_ids.filtered(lambda line: line.display_type == "product")
        self.assertAlmostEqual(-sum(income.mapped("balance")), 259.0)
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertAlmostEqual(receivable.debit, 259.0)
        self.assertEqual(lines[self.labour].qty_invoiced, 3.5)
        with self.assertRaises(UserError):
            order.with_user(self.accountant)._create_invoices()

    def test_repair_hours_and_parts_are_delivered_through_the_repair(self):
        ticket = self._paid_ticket()
        order = self._quotation(ticket, [(self.labour, 1)])
        order.action_confirm()
        action = ticket.with_user(self.warehouse_user).action_new_repair()
        repair = Form(
            self.env["repair.order"]
            .with_user(self.warehouse_user)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(repair.sale_order_id, order)
        repair.move_ids = [
            Command.create(
                {
                    "product_id": self.fuser.id,
                    "product_uom_qty": 1,
                    "repair_line_type": "add",
                }
            )
        ]
        repair.repair_hours = 1.75
        self._confirm_repair(repair)
        repair.action_repair_start()
        repair.move_ids.quantity = 1
        repair.move_ids.picked = True
        repair.action_repair_end()
        labour = order.order_line.filtered(lambda line: line.product_id == self.labour)
        parts = order.order_line.filtered(lambda line: line.product_id == self.fuser)
        self.assertEqual(labour.qty_delivered, 1.75)
        self.assertEqual(parts.qty_delivered, 1.0)

    def test_cash_collected_on_site_is_matched_when_invoiced(self):
        ticket = self._paid_ticket()
        order = self._quotation(ticket, [(self.fee, 1)])
        order.action_confirm()
        visit = self._visit(ticket)
        with self.assertRaises(ValidationError):
            visit.cash_amount = 30.0  # no receipt number
        visit.write({"cash_amount": 30.0, "cash_receipt_number": "R-0001"})
        self.assertEqual(visit.cash_state, "collected")
        invoice = order._create_invoices()
        self.assertEqual(invoice.aftersales_cash_amount, 30.0)
        invoice.action_post()
        self.assertEqual(visit.cash_state, "matched")
        self.assertEqual(visit.cash_payment_id.amount, 30.0)
        self.assertEqual(invoice.payment_state in ("partial", "in_payment"), True)
        self.assertAlmostEqual(invoice.amount_residual, 20.0)
        self.assertFalse(invoice.aftersales_cash_amount)
        with self.assertRaises(UserError):
            invoice.action_aftersales_match_cash()
