from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .warranty_claim_common import WarrantyClaimCommon


@tagged("post_install", "-at_install")
class TestWarrantyClaimAccounting(WarrantyClaimCommon):
    def _approved_claim(self, parts=None, responsibility="supplier"):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket, parts=parts)
        claim = self._submitted(ticket.claim_ids, responsibility)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
        return claim

    def test_approval_posts_the_warranty_cost_entry(self):
        claim = self._approved_claim()
        move = claim.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, "entry")
        self.assertEqual(move.journal_id, self.warranty_journal)
        self.assertEqual(claim.approver_id, self.manager)
        lines = move.line_ids
        expense = lines.filtered(lambda line: line.account_id == self.expense_account)
        self.assertEqual(sum(expense.mapped("debit")), 330.0)
        part_line = expense.filtered(lambda line: line.product_id == self.fuser)
        self.assertEqual(part_line.debit, 240.0, "parts at cost, per product")
        self.assertEqual(part_line.partner_id, self.supplier)

        def credit(account):
            return sum(
                lines.filtered(lambda line: line.account_id == account).mapped("credit")
            )

        self.assertEqual(credit(self.parts_account), 240.0)
        self.assertEqual(credit(self.labour_account), 60.0)
        self.assertEqual(credit(self.travel_account), 30.0)
        self.assertEqual(lines.aftersales_claim_id, claim)
        # Approving again does not post twice.
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("line_ids.aftersales_claim_id", "=", claim.id)]
            ),
            1,
        )

    def test_missing_account_refuses_approval_and_writes_nothing(self):
        self.company.aftersales_claim_labour_account_id = False
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids)
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted")
        self.assertFalse(claim.move_id)

    def test_approval_thresholds_as_each_role(self):
        # 5 fusers: 600 + 60 + 30 = 690; the limit is lowered under it.
        self.company.aftersales_claim_second_approval_amount = 500.0
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket, parts=[(self.fuser, 5)])
        claim = self._submitted(ticket.claim_ids)
        self.assertTrue(claim.needs_second_approval)
        for user in (self.technician, self.agent):
            with self.assertRaises(AccessError):
                claim.with_user(user).action_approve()
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted", "waits for a second approval")
        self.assertEqual(claim.first_approver_id, self.manager)
        self.assertFalse(claim.move_id)
        with self.assertRaises(UserError, msg="not the same manager twice"):
            claim.with_user(self.manager).action_approve()
        self.assertFalse(claim.move_id)
        claim.with_user(self.manager_2).action_approve()
        self.assertEqual(claim.state, "approved")
        self.assertEqual(claim.approver_id, self.manager_2)
        self.assertEqual(claim.move_id.amount_total, 690.0)

    def test_below_the_threshold_one_manager_approves(self):
        claim = self._approved_claim()
        self.assertFalse(claim.needs_second_approval)
        self.assertFalse(claim.first_approver_id)

    def test_locked_claim_is_not_approved_twice_at_once(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids)
        real_execute = type(self.env.cr).execute

        def busy(cr, query, params=None, log_exceptions=True):
            if "FOR UPDATE NOWAIT" in str(query):
                raise psycopg2.errors.LockNotAvailable()
            return real_execute(cr, query, params, log_exceptions)

        with (
            patch.object(type(self.env.cr), "execute", busy),
            self.assertRaises(UserError),
        ):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted")
        self.assertFalse(claim.move_id)

    def test_company_liable_claim_is_settled_by_an_accountant(self):
        claim = self._approved_claim(responsibility="company")
        with self.assertRaises(AccessError):
            claim.with_user(self.technician).action_settle()
        claim.with_user(self.accountant).action_settle()
        self.assertEqual(claim.state, "settled")

    def test_supplier_recovery_grouped_per_supplier_and_credit_note(self):
        first = self._approved_claim()
        second = self._approved_claim()
        third = self._approved_claim(parts=[(self.roller, 1)])
        self.assertEqual(first.supplier_id, self.supplier, "from the vendor list")
        self.assertEqual(third.supplier_id, self.other_supplier)
        claims = (first | second | third).with_user(self.accountant)
        action = claims.action_claim_from_supplier()
        recoveries = self.env["aftersales.supplier.recovery"].search(action["domain"])
        self.assertEqual(len(recoveries), 2)
        fuser_recovery = recoveries.filtered(lambda r: r.partner_id == self.supplier)
        self.assertEqual(fuser_recovery.claim_ids, first | second)
        self.assertEqual(fuser_recovery.amount_claimed, 660.0)
        with self.assertRaises(UserError, msg="already claimed"):
            first.with_user(self.accountant).action_claim_from_supplier()
        with self.assertRaises(UserError, msg="settled by the credit note"):
            first.with_user(self.accountant).action_settle()

        with self.assertRaises(AccessError):
            fuser_recovery.with_user(self.manager).action_create_credit_note()
        action = fuser_recovery.with_user(self.accountant).action_create_credit_note()
        refund = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.partner_id, self.supplier)
        self.assertEqual(refund.invoice_line_ids.aftersales_claim_id, first | second)
        self.assertEqual(refund.amount_total, 660.0)
        self.assertEqual(fuser_recovery.state, "claimed")
        # The supplier accepts less for the second claim.
        lines = refund.invoice_line_ids
        index = lines.ids.index(
            lines.filtered(lambda line: line.aftersales_claim_id == second).id
        )
        with Form(refund.with_user(self.accountant)) as form:
            with form.invoice_line_ids.edit(index) as line:
                line.price_unit = 200.0
        self.assertEqual(first.amount_recovered, 0.0, "not posted yet")
        refund.with_user(self.accountant).action_post()
        self.assertEqual(fuser_recovery.state, "settled")
        self.assertEqual((first | second).mapped("state"), ["settled", "settled"])
        self.assertEqual(first.amount_claimed, 330.0)
        self.assertEqual(first.amount_recovered, 330.0)
        self.assertEqual(second.amount_recovered, 200.0)
        self.assertEqual(fuser_recovery.amount_recovered, 530.0)
        self.assertEqual(third.state, "approved", "its supplier has not credited yet")

    def test_only_approved_supplier_claims_are_recovered(self):
        claim = self._approved_claim(responsibility="company")
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_claim_from_supplier()
        self.assertFalse(claim.recovery_id)
        with self.assertRaises(AccessError):
            claim.with_user(self.technician).action_claim_from_supplier()
