from datetime import timedelta

from odoo import api, fields, models


class AftersalesComplaintStep(models.Model):
    """One department's pass on a complaint, with its time budget."""

    _name = "aftersales.complaint.step"
    _description = "Complaint Step"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    department_id = fields.Many2one(
        "aftersales.complaint.department", string="Department / Step", required=True
    )
    sequence = fields.Integer(default=10)
    budget_days = fields.Float(string="Budget (days)", required=True)
    date_start = fields.Datetime(string="Started")
    date_deadline = fields.Datetime(
        string="Due", compute="_compute_date_deadline", store=True
    )
    date_done = fields.Datetime(string="Done")
    state = fields.Selection(
        [("waiting", "Waiting"), ("running", "In Progress"), ("done", "Done")],
        default="waiting",
        required=True,
    )
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue")
    note = fields.Text(string="Opinion")

    @api.depends("date_start", "budget_days")
    def _compute_date_deadline(self):
        for step in self:
            step.date_deadline = step.date_start and step.date_start + timedelta(
                days=step.budget_days
            )

    @api.depends("date_deadline", "date_done", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for step in self:
            end = step.date_done or now
            step.is_overdue = bool(
                step.date_deadline
                and step.state != "waiting"
                and end > step.date_deadline
            )
