from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

TRIGGERS = [("at_risk", "At Risk"), ("breached", "Breached")]
RECIPIENTS = [
    ("responsible", "Responsible"),
    ("team_leader", "Team Leader"),
    ("managers", "After-Sales Managers"),
    ("users", "Chosen Users"),
]


class AftersalesSlaEscalation(models.Model):
    """One rung of the escalation ladder: when, and to whom."""

    _name = "aftersales.sla.escalation"
    _description = "SLA Escalation Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    trigger = fields.Selection(TRIGGERS, required=True, default="breached")
    delay_hours = fields.Float(
        string="After (hours)",
        help="Hours after the ticket became at risk or breached its deadline.",
    )
    recipient = fields.Selection(RECIPIENTS, required=True, default="team_leader")
    user_ids = fields.Many2many(
        "res.users", string="Users", domain=[("share", "=", False)]
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        default=lambda self: self.env.ref("mail.mail_activity_data_todo", False),
    )

    @api.constrains("delay_hours", "recipient", "user_ids")
    def _check_values(self):
        for level in self:
            if level.delay_hours < 0:
                raise ValidationError(
                    _(
                        "Escalation %(level)s cannot have a negative delay.",
                        level=level.name,
                    )
                )
            if level.recipient == "users" and not level.user_ids:
                raise ValidationError(
                    _(
                        "Escalation %(level)s needs the users to notify.",
                        level=level.name,
                    )
                )

    def _due_date(self, ticket):
        """When this rung applies to ``ticket``, or ``False``."""
        self.ensure_one()
        start = (
            ticket.sla_warning_date
            if self.trigger == "at_risk"
            else ticket.sla_deadline
        )
        return start and start + timedelta(hours=self.delay_hours)

    def _recipients(self, ticket):
        self.ensure_one()
        if self.recipient == "responsible":
            users = ticket.user_id or ticket.team_id.user_id
        elif self.recipient == "team_leader":
            users = ticket.team_id.user_id
        elif self.recipient == "managers":
            users = self.env.ref(
                "aftersales_service.group_aftersales_manager"
            ).users.filtered(
                lambda u: ticket.company_id in u.company_ids and not u.share
            )
        else:
            users = self.user_ids
        return users

    # ------------------------------------------------------------------
    # Shared rungs (no company) climb every company's tickets: only a user who
    # works for every company creates, changes or deletes them.
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        rungs = super().create(vals_list)
        rungs._check_may_change_shared()
        return rungs

    def write(self, vals):
        self._check_may_change_shared()
        res = super().write(vals)
        if "company_id" in vals:
            self._check_may_change_shared()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_shared_rung(self):
        self._check_may_change_shared()

    def _check_may_change_shared(self):
        if self.env.su:
            return
        shared = self.filtered(lambda rung: not rung.company_id)
        companies = self.env["res.company"].sudo().search([])
        if shared and companies - self.env.user.company_ids:
            raise AccessError(
                _(
                    "Escalation rung %(rung)s is shared by every company: only a "
                    "manager of every company can change it. Add a rung for your "
                    "company instead.",
                    rung=shared[0].name,
                )
            )
