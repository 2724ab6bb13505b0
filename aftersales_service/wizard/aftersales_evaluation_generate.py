from odoo import fields, models


class AftersalesEvaluationGenerate(models.TransientModel):
    """Compute the scorecards of a month on demand."""

    _name = "aftersales.evaluation.generate"
    _description = "Compute Technician Scorecards"

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Any day of the month to evaluate.",
    )
    user_ids = fields.Many2many(
        "res.users", string="Technicians", help="Empty: every technician."
    )

    def action_generate(self):
        self.ensure_one()
        evaluation = self.env["aftersales.technician.evaluation"]
        cards = evaluation._generate(
            self.month, self.env.company, self.user_ids or None
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env["ir.actions.act_window"]._for_xml_id(
                "aftersales_service.aftersales_technician_evaluation_action"
            )["name"],
            "res_model": "aftersales.technician.evaluation",
            "view_mode": "list,form",
            "domain": [("id", "in", cards.ids)],
        }
