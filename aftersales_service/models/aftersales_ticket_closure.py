from odoo import _, fields, models
from odoo.exceptions import UserError

CONFIRMATION_METHODS = [
    ("signature", "Signature"),
    ("portal", "Portal"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("paper", "Signed Paper Form"),
]


class AftersalesTicket(models.Model):
    """Closure only with the customer's recorded confirmation; reopening is tracked."""

    _inherit = "aftersales.ticket"

    confirmation_method = fields.Selection(
        CONFIRMATION_METHODS, string="Confirmed By Means Of", copy=False, tracking=True
    )
    confirmed_by = fields.Char(
        copy=False,
        tracking=True,
        help="Who confirmed for the customer.",
    )
    confirmation_date = fields.Datetime(
        string="Confirmed On", copy=False, tracking=True
    )
    confirmation_signature = fields.Binary(
        string="Customer Signature", copy=False, attachment=True
    )
    confirmation_note = fields.Text(copy=False)
    reopen_count = fields.Integer(
        string="Times Reopened", readonly=True, copy=False, default=0, tracking=True
    )

    def _check_can_close(self, vals):
        res = super()._check_can_close(vals)
        recorded = {
            fname: vals[fname] if fname in vals else self[fname]
            for fname in ("confirmation_method", "confirmed_by", "confirmation_date")
        }
        if not all(recorded.values()):
            raise UserError(
                _(
                    "Ticket %(ticket)s cannot be closed before the customer's "
                    "confirmation is recorded (who confirmed, when and how). "
                    "Use Close with Confirmation.",
                    ticket=self.name,
                )
            )
        return res

    def _check_stage_at_creation(self):
        # Created closed only when imported together with its confirmation.
        to_check = self.filtered(
            lambda t: not (t.stage_kind == "closed" and t.confirmation_date)
        )
        return super(AftersalesTicket, to_check)._check_stage_at_creation()

    def _on_reopen(self):
        res = super()._on_reopen()
        for ticket in self:
            ticket.write(
                {
                    "reopen_count": ticket.reopen_count + 1,
                    "confirmation_method": False,
                    "confirmed_by": False,
                    "confirmation_date": False,
                    "confirmation_signature": False,
                    "confirmation_note": False,
                }
            )
            ticket._message_log(
                body=_("Ticket reopened by %(user)s.", user=self.env.user.name),
            )
        return res

    def _close_with_confirmation(
        self, method, confirmed_by, date, signature=False, note=False
    ):
        """Record the customer's confirmation and close, in one write."""
        self.ensure_one()
        if method == "signature" and not signature:
            raise UserError(
                _("A confirmation by signature needs the customer's signature.")
            )
        if not confirmed_by:
            raise UserError(_("Say who confirmed the resolution for the customer."))
        stage = self._get_stage_of_kind("closed")
        if not stage:
            raise UserError(
                _("There is no closed stage for team %(team)s.", team=self.team_id.name)
            )
        self.write(
            {
                "confirmation_method": method,
                "confirmed_by": confirmed_by,
                "confirmation_date": date,
                "confirmation_signature": signature,
                "confirmation_note": note,
                "stage_id": stage.id,
            }
        )

    def action_open_close_wizard(self):
        self.ensure_one()
        if self.stage_kind != "resolved":
            raise UserError(
                _(
                    "Ticket %(ticket)s can only be closed from a resolved stage.",
                    ticket=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Close with Customer Confirmation"),
            "res_model": "aftersales.ticket.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }
