from odoo import fields, models


class AftersalesSurveyLevel(models.Model):
    """One answer level of the survey criteria (very satisfied ... dissatisfied)."""

    _name = "aftersales.survey.level"
    _description = "Satisfaction Survey Level"
    _order = "sequence, score desc, id"

    name = fields.Char(string="Label", required=True, translate=True)
    sequence = fields.Integer(default=10)
    score = fields.Float(required=True, help="Points this answer is worth (0-100).")
    is_satisfied = fields.Boolean(
        string="Counts as Satisfied",
        help="Answers at this level count as satisfied in the satisfaction rate.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)

    _sql_constraints = [
        (
            "score_range",
            "CHECK(score >= 0 AND score <= 100)",
            "A level's score must be between 0 and 100.",
        ),
    ]
