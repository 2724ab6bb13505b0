from odoo import fields, models


class AftersalesComplaintDepartment(models.Model):
    """A step of the complaint relay: a department and its time budget."""

    _name = "aftersales.complaint.department"
    _description = "Complaint Handling Step"
    _order = "sequence, id"

    name = fields.Char(string="Department / Step", required=True, translate=True)
    sequence = fields.Integer(default=10)
    budget_domestic = fields.Float(
        string="Budget, Domestic (days)", required=True, default=1.0
    )
    budget_foreign = fields.Float(
        string="Budget, Foreign (days)", required=True, default=1.0
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)

    _sql_constraints = [
        (
            "budget_positive",
            "CHECK(budget_domestic >= 0 AND budget_foreign >= 0)",
            "A step's time budget cannot be negative.",
        ),
    ]


class AftersalesComplaintCategory(models.Model):
    _name = "aftersales.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)
