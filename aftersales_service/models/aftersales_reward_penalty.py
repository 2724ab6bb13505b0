from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

ENTRY_TYPES = [("penalty", "Penalty"), ("reward", "Reward")]


class AftersalesRewardPenaltyReason(models.Model):
    """A reason for a reward or a penalty, with its default amount."""

    _name = "aftersales.reward.penalty.reason"
    _description = "Reward or Penalty Reason"
    _order = "entry_type, sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    entry_type = fields.Selection(
        ENTRY_TYPES, string="Type", required=True, default="penalty"
    )
    amount = fields.Monetary(
        string="Default Amount",
        currency_field="currency_id",
        required=True,
        default=0.0,
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "A default amount cannot be negative.",
        ),
    ]


class AftersalesRewardPenalty(models.Model):
    """An entry of the rewards and penalties ledger (奖惩)."""

    _name = "aftersales.reward.penalty"
    _description = "Reward or Penalty"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    entry_type = fields.Selection(
        ENTRY_TYPES, string="Type", required=True, default="penalty", tracking=True
    )
    reason_id = fields.Many2one(
        "aftersales.reward.penalty.reason",
        string="Reason",
        required=True,
        domain="[('entry_type', '=', entry_type)]",
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index=True, check_company=True
    )
    team_id = fields.Many2one("aftersales.team", string="Team", check_company=True)
    no_direct_responsible = fields.Boolean(
        string="Nobody Directly Responsible",
        help="The team leader is charged instead.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    is_repeat = fields.Boolean(string="Repeat Offence", readonly=True)
    amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="The reason's default amount, doubled for a repeat offence.",
    )
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        if self.ticket_id:
            self.team_id = self.ticket_id.team_id

    @api.depends("no_direct_responsible", "team_id.user_id", "ticket_id.user_id")
    def _compute_user_id(self):
        for entry in self:
            if entry.no_direct_responsible:
                entry.user_id = (entry.team_id or entry.ticket_id.team_id).user_id
            elif not entry.user_id:
                entry.user_id = entry.ticket_id.user_id

    @api.depends("reason_id")
    def _compute_amount(self):
        for entry in self:
            entry.amount = entry.reason_id.amount

    def _previous_offence(self):
        self.ensure_one()
        window = timedelta(days=self.company_id.aftersales_penalty_repeat_days)
        return self.search_count(
            [
                ("id", "!=", self.id),
                ("company_id", "=", self.company_id.id),
                ("user_id", "=", self.user_id.id),
                ("reason_id", "=", self.reason_id.id),
                ("entry_type", "=", "penalty"),
                ("state", "=", "confirmed"),
                ("date", ">=", self.date - window),
                ("date", "<=", self.date),
            ],
            limit=1,
        )

    def action_confirm(self):
        for entry in self:
            if entry.state != "draft":
                raise UserError(_("Only draft entries can be confirmed."))
            if not entry.user_id:
                raise UserError(
                    _(
                        "Say who is charged, or tick that nobody is directly "
                        "responsible on a ticket whose team has a leader."
                    )
                )
            if entry.entry_type == "penalty" and entry._previous_offence():
                entry.write({"is_repeat": True, "amount": entry.amount * 2})
            entry.state = "confirmed"
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        for entry in self:
            if entry.state == "confirmed":
                raise UserError(
                    _(
                        "The entry %(reason)s of %(date)s for %(user)s is confirmed: "
                        "cancel it instead of deleting it.",
                        reason=entry.reason_id.name,
                        date=entry.date,
                        user=entry.user_id.name or "",
                    )
                )
