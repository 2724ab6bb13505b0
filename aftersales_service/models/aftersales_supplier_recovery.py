from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .aftersales_warranty_claim import ACCOUNT_GROUP, MANAGER_GROUP, lock_rows

RECOVERY_STATES = [
    ("draft", "Draft"),
    ("claimed", "Claimed"),
    ("settled", "Settled"),
]


class AftersalesSupplierRecovery(models.Model):
    """A claim to a supplier (二次索赔) grouping its approved warranty claims,
    settled by the supplier's credit note."""

    _name = "aftersales.supplier.recovery"
    _description = "Supplier Warranty Recovery"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        RECOVERY_STATES, default="draft", required=True, readonly=True, tracking=True
    )
    claim_ids = fields.One2many(
        "aftersales.warranty.claim", "recovery_id", string="Warranty Claims"
    )
    credit_note_ids = fields.One2many(
        "account.move", "aftersales_recovery_id", string="Credit Notes"
    )
    amount_claimed = fields.Monetary(
        string="Claimed", compute="_compute_amounts", store=True
    )
    amount_recovered = fields.Monetary(
        string="Recovered", compute="_compute_amounts", store=True
    )
    claim_count = fields.Integer(compute="_compute_amounts", store=True)

    @api.depends("claim_ids.amount_claimed", "claim_ids.amount_recovered")
    def _compute_amounts(self):
        for recovery in self:
            recovery.amount_claimed = sum(recovery.claim_ids.mapped("amount_claimed"))
            recovery.amount_recovered = sum(
                recovery.claim_ids.mapped("amount_recovered")
            )
            recovery.claim_count = len(recovery.claim_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.supplier.recovery")
                    or "/"
                )
        return super().create(vals_list)

    @api.model
    def _check_accountant(self):
        if not self.env.user.has_group(ACCOUNT_GROUP) and not self.env.su:
            raise AccessError(
                _("Only an accountant can record a supplier's credit note.")
            )

    @api.model
    def _create_from_claims(self, claims):
        """One recovery per supplier and company for the approved supplier-liable
        claims not yet claimed from their supplier."""
        user = self.env.user
        if not (user.has_group(MANAGER_GROUP) or user.has_group(ACCOUNT_GROUP)):
            raise AccessError(
                _(
                    "Only an After-Sales manager or an accountant can claim from "
                    "suppliers."
                )
            )
        claims._lock_rows()
        eligible = claims.filtered(
            lambda c: c.state == "approved"
            and c.responsibility == "supplier"
            and c.supplier_id
            and not c.recovery_id
        )
        if not eligible:
            raise UserError(
                _(
                    "None of these claims can be claimed from a supplier: they must "
                    "be approved, supplier-liable and not claimed yet."
                )
            )
        recoveries = self.browse()
        groups = eligible.grouped(lambda c: (c.company_id, c.supplier_id))
        for (company, supplier), group in groups.items():
            recovery = self.sudo().create(
                {"partner_id": supplier.id, "company_id": company.id}
            )
            group.sudo()._flow().write({"recovery_id": recovery.id})
            recovery._message_log(
                body=_(
                    "Claims %(claims)s claimed from %(supplier)s.",
                    claims=", ".join(group.mapped("name")),
                    supplier=supplier.display_name,
                ),
            )
            recoveries |= recovery
        return recoveries.sudo(False)

    def action_create_credit_note(self):
        """The supplier's credit note, one line per claim, linked to the claim."""
        self._check_accountant()
        lock_rows(self)
        moves = self.env["account.move"]
        for recovery in self:
            if recovery.state != "draft":
                raise UserError(
                    _(
                        "Recovery %(recovery)s already has its credit note.",
                        recovery=recovery.name,
                    )
                )
            account = recovery.company_id._aftersales_claim_recovery_account()
            if not account:
                raise UserError(
                    _("Set the supplier recovery account in the After-Sales settings.")
                )
            move = (
                self.env["account.move"]
                .with_company(recovery.company_id)
                .create(
                    {
                        "move_type": "in_refund",
                        "partner_id": recovery.partner_id.id,
                        "invoice_date": fields.Date.context_today(self),
                        "ref": recovery.name,
                        "invoice_origin": recovery.name,
                        "aftersales_recovery_id": recovery.id,
                        "invoice_line_ids": [
                            Command.create(recovery._credit_note_line(claim, account))
                            for claim in recovery.claim_ids
                        ],
                    }
                )
            )
            recovery.state = "claimed"
            moves |= move
        return self._open_moves(moves)

    def _credit_note_line(self, claim, account):
        parts = ", ".join(claim.part_ids.product_id.mapped("display_name"))
        return {
            "name": _(
                "Warranty claim %(claim)s: %(parts)s",
                claim=claim.name,
                parts=parts or claim.product_id.display_name,
            ),
            "quantity": 1,
            "price_unit": claim.amount_claimed,
            "account_id": account.id,
            "tax_ids": [Command.clear()],
            "aftersales_claim_id": claim.id,
        }

    def _on_credit_note_posted(self):
        for recovery in self.filtered(lambda r: r.state == "claimed"):
            recovery.state = "settled"
            recovery.claim_ids.filtered(lambda c: c.state == "approved")._flow().write(
                {"state": "settled"}
            )
            recovery._message_log(
                body=_(
                    "Settled: %(recovered)s recovered of %(claimed)s claimed.",
                    recovered=recovery.currency_id.format(recovery.amount_recovered),
                    claimed=recovery.currency_id.format(recovery.amount_claimed),
                ),
            )

    def _open_moves(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_refund_type"
        )
        if len(moves) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=moves.id)
        else:
            action["domain"] = [("id", "in", moves.ids)]
        return action

    def action_view_credit_notes(self):
        return self._open_moves(self.credit_note_ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_claimed(self):
        for recovery in self.sudo():
            if recovery.claim_ids or recovery.credit_note_ids:
                raise UserError(
                    _(
                        "Supplier recovery %(recovery)s holds warranty claims: it "
                        "cannot be deleted.",
                        recovery=recovery.name,
                    )
                )
