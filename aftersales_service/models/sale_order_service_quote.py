from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .aftersales_ticket_warranty import MANAGER_GROUP

ACCEPTANCE_CHANNELS = [
    ("phone", "Phone"),
    ("in_person", "In Person"),
    ("email", "E-mail"),
    ("signed_form", "Signed Form"),
]


class SaleOrder(models.Model):
    """A service quotation: the sale order of a ticket's paid work."""

    _inherit = "sale.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        copy=False,
        check_company=True,
        tracking=True,
    )
    aftersales_max_discount = fields.Float(
        string="Largest Discount (%)",
        compute="_compute_aftersales_discount_approval",
        help="The largest discount given by hand on the quotation; lines covered by "
        "warranty are not counted.",
    )
    aftersales_discount_needs_approval = fields.Boolean(
        compute="_compute_aftersales_discount_approval"
    )
    aftersales_discount_approved = fields.Float(
        string="Approved Discount (%)", readonly=True, copy=False, tracking=True
    )
    aftersales_discount_approved_uid = fields.Many2one(
        "res.users", string="Discount Approved By", readonly=True, copy=False
    )
    aftersales_discount_approved_date = fields.Datetime(
        string="Discount Approved On", readonly=True, copy=False
    )
    aftersales_accepted_by = fields.Char(
        string="Accepted By", readonly=True, copy=False, tracking=True
    )
    aftersales_accepted_via = fields.Selection(
        ACCEPTANCE_CHANNELS, string="Accepted Via", readonly=True, copy=False
    )
    aftersales_accepted_on = fields.Datetime(
        string="Accepted On", readonly=True, copy=False
    )

    @api.depends(
        "order_line.discount",
        "order_line.price_unit",
        "order_line.technical_price_unit",
        "order_line.aftersales_covered",
        "aftersales_discount_approved",
        "company_id.aftersales_discount_limit",
    )
    def _compute_aftersales_discount_approval(self):
        for order in self:
            manual = order.order_line.filtered(
                lambda line: not line.display_type and not line.aftersales_covered
            )
            largest = max(
                (line._aftersales_manual_reduction() for line in manual), default=0.0
            )
            order.aftersales_max_discount = largest
            limit = max(
                order.company_id.aftersales_discount_limit,
                order.aftersales_discount_approved,
            )
            order.aftersales_discount_needs_approval = bool(
                order.aftersales_ticket_id and float_compare(largest, limit, 2) > 0
            )

    def action_aftersales_approve_discount(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(_("Only an After-Sales manager can approve discounts."))
        # The approver is an after-sales manager, not necessarily a salesman.
        for order in self.sudo().filtered("aftersales_discount_needs_approval"):
            order.write(
                {
                    "aftersales_discount_approved": order.aftersales_max_discount,
                    "aftersales_discount_approved_uid": self.env.uid,
                    "aftersales_discount_approved_date": fields.Datetime.now(),
                }
            )
        return True

    def action_confirm(self):
        pending = self.filtered("aftersales_discount_needs_approval")
        if pending:
            raise UserError(
                _(
                    "Quotation %(order)s gives a %(discount)s%% discount, above the "
                    "%(limit)s%% limit: an After-Sales manager must approve it first.",
                    order=pending[0].name,
                    discount=pending[0].aftersales_max_discount,
                    limit=pending[0].company_id.aftersales_discount_limit,
                )
            )
        return super().action_confirm()

    def _aftersales_record_acceptance(self, accepted_by, channel):
        self.ensure_one()
        if not (accepted_by or "").strip():
            raise UserError(_("Enter who accepted the quotation."))
        if self.state not in ("draft", "sent"):
            raise UserError(
                _("Quotation %(order)s is not waiting for acceptance.", order=self.name)
            )
        self.write(
            {
                "aftersales_accepted_by": accepted_by.strip(),
                "aftersales_accepted_via": channel,
                "aftersales_accepted_on": fields.Datetime.now(),
            }
        )
        self.action_confirm()

    def action_aftersales_record_acceptance(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Customer Acceptance"),
            "res_model": "aftersales.quote.accept",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_aftersales_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "res_id": self.aftersales_ticket_id.id,
            "view_mode": "form",
        }
