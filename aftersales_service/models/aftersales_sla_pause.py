from odoo import fields, models


class AftersalesSlaPause(models.Model):
    """A stretch of time the SLA clock of a ticket stood still, and why."""

    _name = "aftersales.sla.pause"
    _description = "SLA Pause"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    stage_id = fields.Many2one("aftersales.stage", string="Stage", readonly=True)
    reason = fields.Char(required=True)
    date_start = fields.Datetime(string="Paused On", required=True, readonly=True)
    date_end = fields.Datetime(string="Resumed On", readonly=True)
    paused_hours = fields.Float(
        readonly=True,
        help="Time the deadlines move by: working hours or calendar hours, as the "
        "ticket's SLA policy counts them.",
    )

    def _close(self, when):
        """End the pauses and measure them the way the ticket's policy counts time."""
        for pause in self:
            policy = pause.ticket_id.sla_policy_id
            calendar = policy and policy._calendar_for(pause.ticket_id)
            if policy and policy.time_basis == "working" and calendar:
                hours = calendar.get_work_hours_count(
                    pause.date_start, when, compute_leaves=True
                )
            else:
                hours = (when - pause.date_start).total_seconds() / 3600
            pause.write({"date_end": when, "paused_hours": hours})
