from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesFaultLevel(models.Model):
    """How serious a fault is (故障等级); SLA targets are keyed on it."""

    _name = "aftersales.fault.level"
    _description = "Fault Level"
    _order = "level, id"

    name = fields.Char(required=True, translate=True)
    level = fields.Integer(
        required=True,
        default=1,
        help="1 is the most serious. The number is what SLA policies and reports use.",
    )
    description = fields.Text(translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the level between companies."
    )

    _sql_constraints = [
        (
            "level_company_uniq",
            "unique(level, company_id)",
            "Each fault level number can be used only once per company.",
        ),
    ]

    @api.constrains("level")
    def _check_level(self):
        for fault_level in self:
            if fault_level.level < 1:
                raise ValidationError(
                    _(
                        "Fault level %(name)s must have a number of 1 or more.",
                        name=fault_level.name,
                    )
                )
