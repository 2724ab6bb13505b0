from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_cash_visit_ids = fields.Many2many(
        "aftersales.visit",
        string="Visits With Unmatched Cash",
        compute="_compute_aftersales_cash_visit_ids",
    )

    aftersales_cash_amount = fields.Monetary(
        string="Cash Collected On Site",
        compute="_compute_aftersales_cash_visit_ids",
        help="Cash the technicians collected for this invoice's service tickets and "
        "that is not yet registered as a payment.",
    )

    @api.depends(
        "line_ids.sale_line_ids.order_id.aftersales_ticket_id.visit_ids.cash_state"
    )
    def _compute_aftersales_cash_visit_ids(self):
        # Accountants see the amount without needing access to the visits.
        for move in self:
            visits = self.env["aftersales.visit"]
            if move.move_type == "out_invoice":
                tickets = (
                    move.sudo().line_ids.sale_line_ids.order_id.aftersales_ticket_id
                )
                visits = tickets.visit_ids.filtered(
                    lambda v: v.cash_state == "collected"
                )
            move.aftersales_cash_visit_ids = visits
            move.aftersales_cash_amount = sum(visits.mapped("cash_amount"))

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered("aftersales_cash_visit_ids")._aftersales_match_cash()
        return posted

    def action_aftersales_match_cash(self):
        if not self.aftersales_cash_visit_ids:
            raise UserError(
                _("There is no unmatched cash collected on site for this invoice.")
            )
        self._aftersales_match_cash()
        return True

    def _aftersales_match_cash(self):
        """Register the cash collected on the ticket's visits as a payment of the
        invoice, so that accounting reconciles it like any other payment."""
        for move in self:
            if move.state != "posted" or move.payment_state in ("paid", "in_payment"):
                continue
            visits = move.aftersales_cash_visit_ids
            journal = move.company_id._aftersales_cash_journal()
            if not journal:
                raise UserError(
                    _(
                        "Set a cash journal for the cash collected on site in the "
                        "settings."
                    )
                )
            amount = min(sum(visits.mapped("cash_amount")), move.amount_residual)
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=move.ids)
                .create(
                    {
                        "journal_id": journal.id,
                        "amount": amount,
                        "payment_date": fields.Date.context_today(self),
                        "communication": ", ".join(
                            visits.mapped("cash_receipt_number")
                        ),
                    }
                )
            )
            payments = wizard._create_payments()
            visits.sudo().with_context(aftersales_visit_done=True).write(
                {"cash_payment_id": payments[:1].id}
            )
